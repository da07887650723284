// AggregateFn names, query validation and the cursor's public face; the folding loop is in
// aggregate_cursor.cc.
#include "query/aggregate.h"

#include <algorithm>
#include <array>
#include <string>

#include "query/internal/aggregate_cursor_impl.h"

namespace zhizao::query {
namespace {

constexpr std::array kFunctions = {
    AggregateFn::kMean,  AggregateFn::kMin,    AggregateFn::kMax,    AggregateFn::kSum,
    AggregateFn::kCount, AggregateFn::kFirst,  AggregateFn::kLast,   AggregateFn::kStddev,
    AggregateFn::kSpread, AggregateFn::kMedian, AggregateFn::kPercentile,
};

Status ValidateQuery(const AggregateQuery& q) {
  if (q.tags.empty()) return Status::InvalidArgument("the query names no tag");
  for (TagId tag : q.tags) {
    if (tag == 0) return Status::InvalidArgument("tag id 0 is not valid");
  }
  if (q.functions.empty()) return Status::InvalidArgument("the query asks for no function");
  for (const AggregateSpec& f : q.functions) {
    if (f.fn == AggregateFn::kPercentile && !(f.percentile >= 0 && f.percentile <= 100)) {
      return Status::InvalidArgument("percentile must be between 0 and 100, not " + std::to_string(f.percentile));
    }
  }
  if (!q.per_series && !q.combined) return Status::InvalidArgument("the query asks for neither per-series nor combined rows");
  ZZ_RETURN_IF_ERROR(q.window.Validate());
  if (q.from_ns > q.to_ns) return Status::InvalidArgument("the range starts after it ends");
  return Status::Ok();
}

}  // namespace

std::string_view AggregateFnName(AggregateFn fn) {
  switch (fn) {
    case AggregateFn::kMean: return "mean";
    case AggregateFn::kMin: return "min";
    case AggregateFn::kMax: return "max";
    case AggregateFn::kSum: return "sum";
    case AggregateFn::kCount: return "count";
    case AggregateFn::kFirst: return "first";
    case AggregateFn::kLast: return "last";
    case AggregateFn::kStddev: return "stddev";
    case AggregateFn::kSpread: return "spread";
    case AggregateFn::kMedian: return "median";
    case AggregateFn::kPercentile: return "percentile";
  }
  return "?";
}

Result<AggregateFn> ParseAggregateFn(std::string_view name) {
  for (AggregateFn fn : kFunctions) {
    if (name == AggregateFnName(fn)) return fn;
  }
  return Status::InvalidArgument("unknown aggregate function \"" + std::string(name) + "\"");
}

bool AppliesToStrings(AggregateFn fn) {
  return fn == AggregateFn::kCount || fn == AggregateFn::kFirst || fn == AggregateFn::kLast;
}

Result<std::unique_ptr<AggregateCursor>> AggregateCursor::Open(const SampleSource& source, AggregateQuery query,
                                                               const QueryOptions& options) {
  ZZ_RETURN_IF_ERROR(ValidateQuery(query));
  query.from_ns = std::max(query.from_ns, -kMaxAbsTimestampNs);
  query.to_ns = std::min(query.to_ns, kMaxAbsTimestampNs);
  if (query.from_ns > query.to_ns) return Status::InvalidArgument("the range lies outside ±2^62 ns");
  const int64_t windows = query.window.IndexOf(query.to_ns) - query.window.IndexOf(query.from_ns) + 1;
  const int64_t outputs = (query.per_series ? static_cast<int64_t>(query.tags.size()) : 0) + (query.combined ? 1 : 0);
  if (windows > options.max_points_returned / outputs) {
    return LimitExceeded("return", options.max_points_returned, "max_points_returned");
  }
  return std::unique_ptr<AggregateCursor>(
      new AggregateCursor(std::make_unique<Impl>(source, std::move(query), options)));
}

AggregateCursor::AggregateCursor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AggregateCursor::~AggregateCursor() = default;

Result<bool> AggregateCursor::Next(WindowRow* row) { return impl_->Next(row); }

const QueryStats& AggregateCursor::stats() const { return impl_->stats(); }

Status ForEachRow(AggregateCursor& cursor, const std::function<Status(const WindowRow&)>& sink) {
  WindowRow row;
  while (true) {
    ZZ_ASSIGN_OR_RETURN(bool more, cursor.Next(&row));
    if (!more) return Status::Ok();
    ZZ_RETURN_IF_ERROR(sink(row));
  }
}

}  // namespace zhizao::query
