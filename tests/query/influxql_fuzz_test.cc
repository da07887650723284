// Runs the InfluxQL fuzzer's body on random and mutated queries so that every compiler's CI
// covers it.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "influxql_fuzz_target.h"

namespace zhizao::query::influxql {
namespace {

// Valid and nearly valid queries to mutate: what Grafana and the influx shell send, and the
// corners of the lexer.
std::vector<std::string> Seeds() {
  return {
      "SELECT mean(\"value\") FROM \"cpu\" WHERE (\"host\" =~ /^a$/) AND time >= now() - 6h and time <= now() "
      "GROUP BY time(10s), \"host\" fill(null) ORDER BY time DESC LIMIT 10",
      "SHOW TAG VALUES FROM \"cpu\" WITH KEY = \"host\" WHERE \"region\" = 'eu'",
      "SELECT last(temperature) FROM plant WHERE device='d00003' AND time > 1700003300s AND time <= 1700003599s",
      "SHOW DATABASES; SHOW MEASUREMENTS ON db WITH MEASUREMENT =~ /c\\/pu/ LIMIT 5 OFFSET 1;",
      "SHOW TAG KEYS ON \"d\" FROM db.rp.m, db../x/ WHERE a != 'b' LIMIT 1; SHOW FIELD KEYS FROM rp.m",
      "SHOW TAG VALUES WITH KEY IN (\"a\", b) ; SHOW SERIES FROM /m/ WHERE x <> 1; SHOW RETENTION POLICIES ON x",
      "CREATE DATABASE \"tele\\\"graf\" WITH DURATION 30d REPLICATION 1 SHARD DURATION 1h NAME rp",
      "select derivative(mean(x), 1s) * -2.5 + percentile(y, 95) / (a - -b) % 3 AS \"d\", *::field, h::tag "
      "from m group by time(1h, -15m), /re/, * fill(-1) slimit 2 soffset 1 tz('Europe/Berlin')",
      "SELECT DISTINCT v, count(distinct(w)), moving_average(max(z), 3), top(a, b, 2) FROM m -- c\n/* d */",
      "SELECT a FROM m WHERE t = true OR f = false AND s = 'it\\'s \\\\ \\n' AND d > 1h30m AND u < 10µs",
      "select * from m where time > '2024-01-01T00:00:00Z' and x = -9223372036854775808 and y = .5",
  };
}

std::string Mutate(std::string input, std::mt19937_64& rng) {
  static constexpr char kInteresting[] = "()\"'\\/*,.;:=!~<>-+%$ \n0123456789smhdwuµ";
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits; ++e) {
    const size_t at = input.empty() ? 0 : rng() % input.size();
    const char c = rng() % 2 ? kInteresting[rng() % (sizeof(kInteresting) - 1)] : static_cast<char>(rng());
    switch (rng() % 5) {
      case 0:
        if (at < input.size()) input[at] = c;
        break;
      case 1:
        input.insert(input.begin() + static_cast<std::ptrdiff_t>(at), c);
        break;
      case 2:
        if (at < input.size()) input.erase(at, 1 + rng() % 8);
        break;
      case 3:
        input.resize(at);
        break;
      case 4:  // duplicate a slice: nesting, long chains
        if (at < input.size()) input.insert(at, input.substr(at, rng() % 32));
        break;
    }
  }
  return input;
}

void Feed(const std::string& input) {
  FuzzInfluxQL(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

TEST(InfluxQLFuzzTest, SurvivesMutatedValidQueries) {
  std::mt19937_64 rng(20261128);
  const std::vector<std::string> seeds = Seeds();
  for (const std::string& seed : seeds) Feed(seed);
  for (int i = 0; i < 30'000; ++i) {
    std::string input = seeds[static_cast<size_t>(i) % seeds.size()];
    for (int round = 0; round < 1 + i % 3; ++round) input = Mutate(std::move(input), rng);
    Feed(input);
  }
}

TEST(InfluxQLFuzzTest, SurvivesRandomInputs) {
  std::mt19937_64 rng(7);
  static constexpr char kAlphabet[] = "SELECT a,b FROM m WHERE AND OR ()*/+-=~!<>'\"\\;.:1s";
  for (int i = 0; i < 20'000; ++i) {
    std::string input(rng() % 200, '\0');
    for (char& c : input) c = i % 2 ? kAlphabet[rng() % (sizeof(kAlphabet) - 1)] : static_cast<char>(rng());
    Feed(input);
  }
}

TEST(InfluxQLFuzzTest, SurvivesDeepAndLongInputs) {
  Feed("SELECT " + std::string(100'000, '(') + "a FROM m");
  std::string signs = "SELECT ";
  for (int i = 0; i < 50'000; ++i) signs += "-(";
  Feed(signs + "a FROM m");
  std::string chain = "SELECT a";
  for (int i = 0; i < 20'000; ++i) chain += " + a";
  Feed(chain + " FROM m");
  std::string calls = "SELECT ";
  for (int i = 0; i < 10'000; ++i) calls += "f(";
  Feed(calls);
}

}  // namespace
}  // namespace zhizao::query::influxql
