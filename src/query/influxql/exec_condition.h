// A WHERE clause taken apart for the executor: the time range it bounds, the test it puts on
// each series' tags, and the test it puts on each row's fields.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "query/influxql.h"
#include "query/influxql_exec.h"
#include "query/sample_source.h"

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

// The compiled test of a WHERE clause. Time comparisons, which must sit under ANDs only,
// narrow the range and count as true; the others compare a tag (a tag a series lacks has the
// value "", as in InfluxDB) or a field of the row (a field the row lacks fails every
// comparison; numbers compare with numbers, strings with strings and regexes, booleans with
// true and false; other pairs are false, not errors, as in InfluxDB). Regexes are RE2, the
// syntax InfluxDB's Go regexps share.
class Condition {
 public:
  // Tells a field from a tag by name (`name::field` and `name::tag` say it themselves).
  using IsField = std::function<bool(const std::string& name)>;
  // The value of a field in the row under test; null when the row lacks it.
  using FieldValue = std::function<const ResultValue*(const std::string& name)>;

  // `condition` may be null (no WHERE): the whole time range, every series.
  static Result<Condition> Compile(const Expr* condition, int64_t now_ns, const IsField& is_field);
  Condition();
  ~Condition();
  Condition(Condition&&) noexcept;
  Condition& operator=(Condition&&) noexcept;

  const TimeRange& range() const { return range_; }
  // True when a series with these tags (sorted by key) may pass: the tag test, with every
  // field comparison taken as true (InfluxQL has no NOT, so that never drops a row that passes).
  bool Matches(const std::vector<std::pair<std::string, std::string>>& tags) const;
  // A tag every series that Matches has: a `key = 'value'` (value not empty) that the rest of
  // the condition joins by AND only. Nullopt when there is none (the first one otherwise).
  std::optional<std::pair<std::string, std::string>> RequiredTag() const;
  // The fields the condition compares, sorted; empty when it tests tags and time only.
  const std::vector<std::string>& fields() const { return fields_; }
  // True when a row of a series with these tags and these field values passes.
  bool MatchesRow(const std::vector<std::pair<std::string, std::string>>& tags, const FieldValue& field) const;

  struct Node;

 private:
  TimeRange range_;
  std::unique_ptr<Node> root_;  // null: every series
  std::vector<std::string> fields_;
};

// Reads through `base`, dropping the samples of the rows that `where`'s field comparisons
// reject: a row is a series' fields at one timestamp. Tags that no AddSeries declared read
// unfiltered. Last() is not served (the newest row may fail): callers must not use it.
// Thread-safe after the last AddSeries. REQUIRES: base and where outlive this.
class RowFilterSource final : public SampleSource {
 public:
  RowFilterSource(const SampleSource& base, const Condition& where) : base_(base), where_(where) {}

  // Declares one series: `tags` are the catalog tags of the fields read from it, `series_tags`
  // its tag pairs, `fields` the catalog tags of where.fields() in that order (0 when missing).
  void AddSeries(const std::vector<TagId>& tags, std::vector<std::pair<std::string, std::string>> series_tags,
                 std::vector<TagId> fields);

  Status Read(TagId tag, int64_t from_ns, int64_t to_ns, storage::SeriesSamples* out) const override;
  Result<std::optional<storage::LastSample>> Last(TagId tag) const override;

 private:
  struct Series {
    std::vector<std::pair<std::string, std::string>> tags;
    std::vector<TagId> fields;
  };
  const SampleSource& base_;
  const Condition& where_;
  std::vector<Series> series_;
  std::map<TagId, size_t> series_of_;
};

// Compiles an RE2 pattern; InvalidArgument naming it when it does not compile.
Result<std::shared_ptr<re2::RE2>> CompileRegex(const std::string& pattern);
// InfluxDB's =~ finds the pattern anywhere in the text (a search, not a full match).
bool Search(const re2::RE2& re, const std::string& text);

}  // namespace zhizao::query::influxql::internal
