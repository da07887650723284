// Runs the fuzzer's body on seed, mutated and random inputs so that every compiler's CI covers it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fuzz_replay.h"
#include "csv_fuzz_target.h"

namespace zhizao::connect::csv {
namespace {

// Valid and nearly valid files to mutate; the first byte picks the epoch unit.
std::vector<std::string> Seeds() {
  return {
      std::string("\x00", 1) + "time,measurement,line|tag,temp,count|int,ok|bool,note|string\r\n"
                               "2023-11-14T22:13:20Z,press,l1,61.5,7,true,\"a, \"\"b\"\"\"\r\n"
                               "2023-11-14T22:13:21.5+08:00,press,,,8,,\r\n",
      std::string("\x03") + "time,v,n|uint\n1700000000,1e3,18446744073709551615\n\n-1,-0.5,0\n",
      std::string("\x01") + "\xEF\xBB\xBF" "a,b\n\"multi\nline\",2\n\"open\n",
      std::string("\x02") + "a,a\nt|time,time\nx|bogus\n",
      std::string("\x00", 1) + "v\nabc\n1,2\n\"x\"y\n",
  };
}

void Feed(const std::string& input) { FuzzCsv(reinterpret_cast<const uint8_t*>(input.data()), input.size()); }

TEST(CsvFuzzTest, ReplaysTheSeeds) {
  for (const std::string& seed : Seeds()) Feed(seed);
}

TEST(CsvFuzzTest, SurvivesMutatedSeeds) {
  fuzz_replay::Mutated(Seeds(), ",\"\r\n|:-.eE+0123456789TZtf ", 30'000, Feed);
}

TEST(CsvFuzzTest, SurvivesRandomInputs) {
  fuzz_replay::Random("ab,\"\r\n|1.-T:Z ", 20'000, Feed);
}

}  // namespace
}  // namespace zhizao::connect::csv
