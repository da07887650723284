// Runs the fuzzer's body on seed, mutated and random inputs so that every compiler's CI covers it.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

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

std::string Mutate(std::string input, std::mt19937_64& rng) {
  static constexpr char kInteresting[] = ",\"\r\n|:-.eE+0123456789TZtf ";
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits; ++e) {
    const size_t at = input.size() <= 1 ? 1 : 1 + rng() % (input.size() - 1);
    const char c = rng() % 2 ? kInteresting[rng() % (sizeof(kInteresting) - 1)] : static_cast<char>(rng());
    switch (rng() % 4) {
      case 0:
        if (at < input.size()) input[at] = c;
        break;
      case 1:
        if (at <= input.size()) input.insert(input.begin() + static_cast<std::ptrdiff_t>(at), c);
        break;
      case 2:
        if (at < input.size()) input.erase(at, 1 + rng() % 8);
        break;
      case 3:  // duplicate a slice: repeated columns, long rows
        if (at < input.size()) input.insert(at, input.substr(at, rng() % 32));
        break;
    }
  }
  return input;
}

void Feed(const std::string& input) { FuzzCsv(reinterpret_cast<const uint8_t*>(input.data()), input.size()); }

TEST(CsvFuzzTest, ReplaysTheSeeds) {
  for (const std::string& seed : Seeds()) Feed(seed);
}

TEST(CsvFuzzTest, SurvivesMutatedSeeds) {
  std::mt19937_64 rng(20261128);
  const std::vector<std::string> seeds = Seeds();
  for (int i = 0; i < 30'000; ++i) {
    std::string input = seeds[static_cast<size_t>(i) % seeds.size()];
    for (int round = 0; round < 1 + i % 3; ++round) input = Mutate(std::move(input), rng);
    Feed(input);
  }
}

TEST(CsvFuzzTest, SurvivesRandomInputs) {
  std::mt19937_64 rng(7);
  static constexpr char kAlphabet[] = "ab,\"\r\n|1.-T:Z ";
  for (int i = 0; i < 20'000; ++i) {
    std::string input(rng() % 200, '\0');
    for (char& c : input) c = i % 2 ? kAlphabet[rng() % (sizeof(kAlphabet) - 1)] : static_cast<char>(rng());
    Feed(input);
  }
}

}  // namespace
}  // namespace zhizao::connect::csv
