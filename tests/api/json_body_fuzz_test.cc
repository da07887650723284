// Runs the fuzzer's body on seeds, their mutations and random bytes, so that every compiler's
// CI covers it.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "fuzz_replay.h"
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

void Feed(const std::string& input) { FuzzJsonBody(reinterpret_cast<const uint8_t*>(input.data()), input.size()); }

TEST(JsonBodyFuzzTest, SurvivesSeedsAndTheirMutations) {
  fuzz_replay::Mutated(Seeds(), "{}[]\":,\\0123456789-+.eEtrufalsn \x80\xff", 30'000, Feed);
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
