// Runs the fuzzer's body on random and mutated inputs so that every compiler's CI covers it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fuzz_replay.h"
#include "lineproto_fuzz_target.h"

namespace zhizao::connect::lineproto {
namespace {

// Valid and nearly valid bodies to mutate; the first byte picks the precision.
std::vector<std::string> Seeds() {
  return {
      std::string("\x02") + "plant,device=d00042,line=l03,site=s01 temperature=65.23,pressure=4.512 1700000000000\n",
      std::string("\x00", 1) + "cpu,host=a,region=eu usage=0.5,idle=99i,up=true,state=\"ok\" 1\n# comment\n\n"
                               "mem,host=b free=12u\r\ndisk used=1e3 -5\n",
      std::string("\x03") + "m\\,x\\ y,t\\=k=v\\ w f\\=k=\"a \\\"q\\\" \\\\ b\nline\" 42\n",
      std::string("\x01") + "z,b=2,a=1 v=1,v=2,w=-0.0,x=1.5e-300,y=9223372036854775807i\n",
      std::string("\x04") + "智造,车间=一 温度=1\n",
      std::string("\x05") + "bad line\ncpu value=\ncpu,=x v=1\ncpu v=1 12a\n",
  };
}

void Feed(const std::string& input) {
  FuzzLineProtocol(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

TEST(LineProtocolFuzzTest, SurvivesMutatedValidInputs) {
  fuzz_replay::Mutated(Seeds(), ",= \\\"\n\r#-.eEiutf0123456789", 50'000, Feed);
}

TEST(LineProtocolFuzzTest, SurvivesRandomInputs) {
  fuzz_replay::Random("ab,= \\\"\n\r#-.e1i0ut", 20'000, Feed);
}

}  // namespace
}  // namespace zhizao::connect::lineproto
