// A WHERE clause taken apart for the executor: the time range it bounds, and the test it puts on
// each series' tags.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "query/influxql.h"

namespace re2 {
class RE2;
}

namespace zhizao::query::influxql::internal {

// Unbounded ends of a time range: far enough that window arithmetic cannot overflow.
inline constexpr int64_t kMinTime = -((int64_t{1} << 61) - 1);
inline constexpr int64_t kMaxTime = (int64_t{1} << 61) - 1;

struct TimeRange {
  int64_t from_ns = kMinTime;  // inclusive
  int64_t to_ns = kMaxTime;    // inclusive
  bool has_from = false;
  bool has_to = false;
  bool empty() const { return from_ns > to_ns; }
};

// Evaluates a time expression: now(), an RFC 3339 string, an integer (ns), a duration written
// as an epoch (1700000000s), and + or - of those. InvalidArgument otherwise.
Result<int64_t> EvalTime(const Expr& expr, int64_t now_ns);

// The compiled tag test of a WHERE clause. Time comparisons, which must sit under ANDs only,
// narrow the range and count as true; every other comparison is on a tag (a tag a series lacks
// has the value "", as in InfluxDB). Regexes are RE2, the syntax InfluxDB's Go regexps share.
class Condition {
 public:
  // Tells a field from a tag by name: conditions on fields are refused (not served yet).
  using IsField = std::function<bool(const std::string& name)>;

  // `condition` may be null (no WHERE): the whole time range, every series.
  static Result<Condition> Compile(const Expr* condition, int64_t now_ns, const IsField& is_field);
  Condition();
  ~Condition();
  Condition(Condition&&) noexcept;
  Condition& operator=(Condition&&) noexcept;

  const TimeRange& range() const { return range_; }
  // True when a series with these tags (sorted by key) passes the tag test.
  bool Matches(const std::vector<std::pair<std::string, std::string>>& tags) const;

  struct Node;

 private:
  TimeRange range_;
  std::unique_ptr<Node> root_;  // null: every series
};

// Compiles an RE2 pattern; InvalidArgument naming it when it does not compile.
Result<std::shared_ptr<re2::RE2>> CompileRegex(const std::string& pattern);
// InfluxDB's =~ finds the pattern anywhere in the text (a search, not a full match).
bool Search(const re2::RE2& re, const std::string& text);

}  // namespace zhizao::query::influxql::internal
