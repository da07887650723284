// Runs the fuzzer's body on seeds, their mutations and random bytes, so that every compiler's
// CI covers it.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "json_body_fuzz_target.h"

namespace zhizao::api {
namespace {

std::vector<std::string> Seeds() {
  return {
      R"({"path":"acme/sh/line1","level":"line","kind":"packaging","description":{"zh":"一号线","en":"Line 1"}})",
      R"({"parent_id":3,"name":"p101","level":"equipment","id":null,"children":[]})",
      R"({"path":"acme/sh/line1/flow","data_type":"float64","unit":"m3/h","range":{"lo":0,"hi":500},)"
      R"("limits":{"lolo":null,"lo":10,"hi":450,"hihi":1e3},"period_ms":1000,"classification":"core",)"
      R"("retention_days":30,"writable":true})",
      R"({"tags":[{"asset_id":4,"name":"a","data_type":"int64"},{"path":"x/y","period_ms":1.0}]})",
      R"({"tags":[{"path":"x/y","period_ms":1.5,"range":{"lo":"a"}}],"extra":[1,2,{"k":[true,false,null]}]})",
      R"([1, -0.0, 1e308, 18446744073709551615, -9223372036854775808, "\u00e9\ud83d\ude00", {"a":{}}])",
  };
}

std::string Mutate(std::string input, std::mt19937_64& rng) {
  static constexpr char kInteresting[] = "{}[]\":,\\0123456789-+.eEtrufalsn \x80\xff";
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits; ++e) {
    const size_t at = input.empty() ? 0 : rng() % input.size();
    const char c = rng() % 2 ? kInteresting[rng() % (sizeof(kInteresting) - 1)] : static_cast<char>(rng());
    switch (rng() % 4) {
      case 0:
        if (at < input.size()) input[at] = c;
        break;
      case 1: input.insert(input.begin() + static_cast<std::ptrdiff_t>(at), c); break;
      case 2:
        if (at < input.size()) input.erase(at, 1 + rng() % 8);
        break;
      case 3:  // duplicate a slice: repeated keys, deeper nesting
        if (at < input.size()) input.insert(at, input.substr(at, rng() % 32));
        break;
    }
  }
  return input;
}

void Feed(const std::string& input) { FuzzJsonBody(reinterpret_cast<const uint8_t*>(input.data()), input.size()); }

TEST(JsonBodyFuzzTest, SurvivesSeedsAndTheirMutations) {
  std::mt19937_64 rng(20261128);
  const std::vector<std::string> seeds = Seeds();
  for (const std::string& seed : seeds) Feed(seed);
  for (int i = 0; i < 20'000; ++i) {
    std::string input = seeds[static_cast<size_t>(i) % seeds.size()];
    for (int round = 0; round < 1 + i % 3; ++round) input = Mutate(std::move(input), rng);
    Feed(input);
  }
}

TEST(JsonBodyFuzzTest, SurvivesDeepNestingAndRandomBytes) {
  Feed(std::string(100'000, '['));
  Feed(std::string(1'000, '{') + std::string(1'000, '}'));
  Feed("{\"a\":" + std::string(31, '[') + std::string(31, ']') + "}");
  std::mt19937_64 rng(7);
  for (int i = 0; i < 5'000; ++i) {
    std::string input(rng() % 200, '\0');
    for (char& c : input) c = static_cast<char>(rng());
    Feed(input);
  }
}

}  // namespace
}  // namespace zhizao::api
