// Runs the fuzzer's body on random and mutated inputs so that every compiler's CI covers it.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

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

std::string Mutate(std::string input, std::mt19937_64& rng) {
  static constexpr char kInteresting[] = ",= \\\"\n\r#-.eEiutf0123456789";
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits; ++e) {
    const size_t at = input.size() <= 1 ? 1 : 1 + rng() % (input.size() - 1);
    const char c = rng() % 2 ? kInteresting[rng() % (sizeof(kInteresting) - 1)] : static_cast<char>(rng());
    switch (rng() % 5) {
      case 0:
        if (at < input.size()) input[at] = c;
        break;
      case 1:
        if (at <= input.size()) input.insert(input.begin() + static_cast<std::ptrdiff_t>(at), c);
        break;
      case 2:
        if (at < input.size()) input.erase(at, 1 + rng() % 8);
        break;
      case 3:
        if (at < input.size()) input.resize(at);
        break;
      case 4:  // duplicate a slice: repeated keys, long lines
        if (at < input.size()) input.insert(at, input.substr(at, rng() % 32));
        break;
    }
  }
  return input;
}

void Feed(const std::string& input) {
  FuzzLineProtocol(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

TEST(LineProtocolFuzzTest, SurvivesMutatedValidInputs) {
  std::mt19937_64 rng(20261128);
  const std::vector<std::string> seeds = Seeds();
  for (int i = 0; i < 50'000; ++i) {
    std::string input = seeds[static_cast<size_t>(i) % seeds.size()];
    for (int round = 0; round < 1 + i % 3; ++round) input = Mutate(std::move(input), rng);
    Feed(input);
  }
}

TEST(LineProtocolFuzzTest, SurvivesRandomInputs) {
  std::mt19937_64 rng(7);
  static constexpr char kAlphabet[] = "ab,= \\\"\n\r#-.e1i0ut";
  for (int i = 0; i < 20'000; ++i) {
    std::string input(rng() % 200, '\0');
    for (char& c : input) c = i % 2 ? kAlphabet[rng() % (sizeof(kAlphabet) - 1)] : static_cast<char>(rng());
    Feed(input);
  }
}

}  // namespace
}  // namespace zhizao::connect::lineproto
