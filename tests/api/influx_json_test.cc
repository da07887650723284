// The /query answer writer (api/influx_json.h) against the nlohmann::json rendering it replaced:
// the same text for random results, and the float spellings InfluxDB clients see.
#include "api/influx_json.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <bit>
#include <charconv>
#include <cmath>
#include <limits>
#include <random>

#include "common/time_format.h"

namespace zhizao::api {
namespace {

namespace iql = query::influxql;
using json = nlohmann::ordered_json;

// The rendering before influx_json.cc, kept here as the reference.
json FloatJson(double x) {
  constexpr double kInt64Bound = 9.2e18;
  if (std::isfinite(x) && x == std::trunc(x) && std::abs(x) < kInt64Bound && !(x == 0 && std::signbit(x))) {
    return static_cast<int64_t>(x);
  }
  return x;
}

json ValueJson(const iql::ResultValue& v) {
  return std::visit(
      [](const auto& x) -> json {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) return nullptr;
        else if constexpr (std::is_same_v<T, double>) return FloatJson(x);
        else return x;
      },
      v);
}

json SeriesJson(const iql::ResultSeries& s, int64_t divisor) {
  json out = json::object();
  if (!s.name.empty()) out["name"] = s.name;
  if (!s.tags.empty()) {
    json tags = json::object();
    for (const auto& [k, v] : s.tags) tags[k] = v;
    out["tags"] = std::move(tags);
  }
  out["columns"] = s.columns;
  json values = json::array();
  for (const auto& row : s.values) {
    json r = json::array();
    for (size_t i = 0; i < row.size(); ++i) {
      if (i == 0 && s.time_first) {
        int64_t t = std::get<int64_t>(row[0]);
        r.push_back(divisor == 0 ? json(FormatRfc3339(t)) : json(t / divisor));
      } else {
        r.push_back(ValueJson(row[i]));
      }
    }
    values.push_back(std::move(r));
  }
  out["values"] = std::move(values);
  return out;
}

std::string Reference(const std::vector<iql::StatementResult>& results, int64_t divisor) {
  json all = json::array();
  for (const auto& r : results) {
    json out = {{"statement_id", r.statement_id}};
    if (!r.error.empty()) {
      out["error"] = r.error;
    } else if (!r.series.empty()) {
      json series = json::array();
      for (const auto& s : r.series) series.push_back(SeriesJson(s, divisor));
      out["series"] = std::move(series);
    }
    all.push_back(std::move(out));
  }
  return json{{"results", std::move(all)}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string FloatText(double x) {
  std::string s;
  AppendInfluxFloat(x, s);
  return s;
}

std::string ReferenceFloat(double x) {
  return FloatJson(x).dump(-1, ' ', false, json::error_handler_t::replace);
}

double RandomDouble(std::mt19937_64& rng) {
  switch (rng() % 6) {
    case 0: return std::bit_cast<double>(rng());  // any bit pattern: NaN, infinities, subnormals
    case 1: return static_cast<double>(static_cast<int64_t>(rng() % 2000001) - 1000000) / 100;  // a sensor reading
    case 2: return std::ldexp(static_cast<double>(rng() % 1000000), static_cast<int>(rng() % 140) - 90);
    case 3: return std::pow(10.0, static_cast<int>(rng() % 50) - 25) * static_cast<double>(rng() % 10);
    case 4: return static_cast<double>(rng() % 100000) / 3.0;
    default: return std::uniform_real_distribution<double>(-1e20, 1e20)(rng);
  }
}

std::string RandomText(std::mt19937_64& rng) {
  static const std::string kPieces[] = {"plant", "d00003", "temp", "a\"b", "back\\slash", "tab\t", "nl\n", "\x01",
                                        "caf\xc3\xa9", "\xe6\x99\xba\xe9\x80\xa0", "bad\xff", "\xc3", "", " "};
  std::string s;
  for (size_t n = rng() % 3; n > 0; --n) s += kPieces[rng() % std::size(kPieces)];
  return s;
}

iql::ResultValue RandomValue(std::mt19937_64& rng) {
  switch (rng() % 5) {
    case 0: return std::monostate{};
    case 1: return static_cast<int64_t>(rng());
    case 2: return rng() % 2 == 0;
    case 3: return RandomText(rng);
    default: return RandomDouble(rng);
  }
}

TEST(InfluxJsonTest, FloatsAreSpelledAsTheNlohmannRenderingSpelledThem) {
  for (double x : {0.0, -0.0, 1.0, -1.0, 70.0, 0.1, 0.5, 1e-4, 2e-4, 1e-5, 1.234e-5, 0.0001234, 0.001, 123.456,
                   1e15 + 0.5, 999999999999999.9, -0.00012, 0.0001, 4503599627370495.5, 9.2e18, 1e19, 1.2345678901234567e19, 1e20, -1e300, 5e-324,
                   std::numeric_limits<double>::max(), std::numeric_limits<double>::infinity(),
                   -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()}) {
    EXPECT_EQ(FloatText(x), ReferenceFloat(x)) << x;
  }
  EXPECT_EQ(FloatText(70.0), "70");
  EXPECT_EQ(FloatText(0.1), "0.1");
  EXPECT_EQ(FloatText(1e-5), "1e-05");
  EXPECT_EQ(FloatText(1e20), "1e+20");
  EXPECT_EQ(FloatText(-0.0), "-0.0");
  EXPECT_EQ(FloatText(std::numeric_limits<double>::quiet_NaN()), "null");
}

// Between 1e-4 and 1e15 both layouts are plain: the text is the shortest round-trip fixed
// notation, whether it takes the short-decimal path (up to 4 places below 1e9) or not.
TEST(InfluxJsonTest, FloatsOfPlainSizeAreTheShortestFixedDigits) {
  std::mt19937_64 rng(29);
  auto fixed = [](double x) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed);
    EXPECT_EQ(ec, std::errc());
    return std::string(buf, end);
  };
  for (int i = 0; i < 300000; ++i) {
    int places = static_cast<int>(rng() % 7);  // 5 and 6 places miss the short path
    double magnitude = std::pow(10.0, static_cast<int>(rng() % 14));
    auto n = static_cast<int64_t>(rng() % static_cast<uint64_t>(magnitude));
    double x = static_cast<double>(n) / std::pow(10.0, places) * (rng() % 2 == 0 ? 1 : -1);
    if (i % 4 == 0) x = std::uniform_real_distribution<double>(-1e9, 1e9)(rng);  // any digits
    if (std::abs(x) < 1e-4 || std::abs(x) >= 1e15 || x == 0) continue;
    ASSERT_EQ(FloatText(x), fixed(x)) << places;
  }
  EXPECT_EQ(FloatText(71.25), "71.25");
  EXPECT_EQ(FloatText(-0.0005), "-0.0005");
  EXPECT_EQ(FloatText(999999999.9999), "999999999.9999");
  EXPECT_EQ(FloatText(0.1 + 0.2), "0.30000000000000004");
}

TEST(InfluxJsonTest, RandomFloatsReadBackAsTheSameDoubleAndMostlyInTheSameText) {
  // nlohmann prints Grisu2 digits, which round-trip but are not always the shortest; to_chars
  // prints the shortest. Both must read back as x; the text may differ in the last digits only
  // where Grisu2 was longer.
  std::mt19937_64 rng(20261129);
  int differ = 0;
  for (int i = 0; i < 200000; ++i) {
    double x = RandomDouble(rng);
    std::string ours = FloatText(x), theirs = ReferenceFloat(x);
    if (ours == theirs) continue;
    ++differ;
    ASSERT_TRUE(std::isfinite(x)) << theirs << " vs " << ours;
    EXPECT_EQ(std::stod(ours), x) << ours;
    EXPECT_LE(ours.size(), theirs.size()) << theirs << " vs " << ours;
  }
  // A sanity bound, not a target: 371 of these 200,000 differed when this was written.
  EXPECT_LT(differ, 1000) << "Grisu2 is shortest in all but rare cases";
}

TEST(InfluxJsonTest, RandomResultsRenderAsTheNlohmannRenderingDid) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::vector<iql::StatementResult> results(1 + rng() % 3);
    for (size_t r = 0; r < results.size(); ++r) {
      iql::StatementResult& result = results[r];
      result.statement_id = static_cast<int>(r);
      if (rng() % 10 == 0) {
        result.error = RandomText(rng) + "error";
        continue;
      }
      for (size_t n = rng() % 3; n > 0; --n) {
        iql::ResultSeries s;
        s.name = rng() % 5 == 0 ? "" : RandomText(rng);
        for (size_t t = rng() % 3; t > 0; --t) s.tags.emplace_back(RandomText(rng), RandomText(rng));
        s.time_first = rng() % 4 != 0;
        size_t width = 1 + rng() % 4;
        for (size_t c = 0; c < width; ++c) s.columns.push_back(c == 0 && s.time_first ? "time" : RandomText(rng));
        for (size_t row = rng() % 6; row > 0; --row) {
          std::vector<iql::ResultValue> values;
          for (size_t c = 0; c < width; ++c) {
            // Times stay within what RFC 3339 spells (years 1678..2262 in ns).
            values.push_back(c == 0 && s.time_first ? iql::ResultValue(static_cast<int64_t>(rng() % (int64_t{1} << 62)) - (int64_t{1} << 61))
                                                    : RandomValue(rng));
          }
          s.values.push_back(std::move(values));
        }
        result.series.push_back(std::move(s));
      }
    }
    // Only the doubles may be spelled differently (see above): compare where both agree on them.
    for (int64_t divisor : {int64_t{0}, int64_t{1}, int64_t{1'000'000}, int64_t{3'600'000'000'000}}) {
      std::string ours = InfluxResultsJson(results, divisor);
      std::string theirs = Reference(results, divisor);
      if (ours == theirs) continue;
      EXPECT_EQ(json::parse(ours), json::parse(theirs)) << theirs << "\n" << ours;
    }
  }
}

TEST(InfluxJsonTest, AnErrorReplacesTheSeriesAndAnEmptyResultHasNeither) {
  std::vector<iql::StatementResult> results(2);
  results[0].error = "database not found: x";
  results[1].statement_id = 1;
  EXPECT_EQ(InfluxResultsJson(results, 0),
            R"({"results":[{"statement_id":0,"error":"database not found: x"},{"statement_id":1}]})");
}

TEST(InfluxJsonTest, TimesAreDividedTowardZeroOrSpelledInRfc3339) {
  std::vector<iql::StatementResult> results(1);
  results[0].series.push_back({"cpu", {{"host", "a"}}, {"time", "mean"}, {{int64_t{-1'500'000}, 1.5}}, true});
  EXPECT_EQ(InfluxResultsJson(results, 1'000'000),
            R"({"results":[{"statement_id":0,"series":[{"name":"cpu","tags":{"host":"a"},"columns":["time","mean"],"values":[[-1,1.5]]}]}]})");
  EXPECT_EQ(InfluxResultsJson(results, 0), Reference(results, 0));
}

// A raw answer may come as samples (ResultSeries::samples) instead of rows: the same text.
TEST(InfluxJsonTest, SamplesRenderAsTheRowsTheyStandFor) {
  std::mt19937_64 rng(11);
  for (DataType type : {DataType::kFloat64, DataType::kInt64, DataType::kBool, DataType::kString}) {
    for (size_t n : {size_t{0}, size_t{1}, size_t{500}}) {
      storage::SeriesSamples samples;
      samples.type = type;
      iql::ResultSeries rows{"plant", {{"device", "d00003"}}, {"time", "temperature"}, {}, true};
      for (size_t i = 0; i < n; ++i) {
        int64_t t = static_cast<int64_t>(rng() % (int64_t{1} << 62)) - (int64_t{1} << 61);
        samples.ts_ns.push_back(t);
        iql::ResultValue cell;  // the row's cell for the sample: bool columns hold 0 or 1
        if (type == DataType::kFloat64) cell = samples.f64.emplace_back(RandomDouble(rng));
        if (type == DataType::kInt64) cell = samples.i64.emplace_back(static_cast<int64_t>(rng()));
        if (type == DataType::kBool) cell = samples.i64.emplace_back(static_cast<int64_t>(rng() % 2)) != 0;
        if (type == DataType::kString) cell = samples.str.emplace_back(RandomText(rng));
        rows.values.push_back({t, std::move(cell)});
      }
      iql::ResultSeries columns = rows;
      columns.values.clear();
      columns.samples = samples;
      std::vector<iql::StatementResult> by_rows(1), by_samples(1);
      by_rows[0].series.push_back(rows);
      by_samples[0].series.push_back(columns);
      for (int64_t divisor : {int64_t{0}, int64_t{1}, int64_t{1'000}, int64_t{1'000'000}, int64_t{1'000'000'000}}) {
        EXPECT_EQ(InfluxResultsJson(by_samples, divisor), InfluxResultsJson(by_rows, divisor))
            << static_cast<int>(type) << " × " << n;
      }
    }
  }
}

}  // namespace
}  // namespace zhizao::api
