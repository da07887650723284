// The query parameters of the /api/v1/series routes: times, durations, functions, lists.
// Every error is InvalidArgument (400) and names the parameter, except a range whose from is
// after its to, which is OutOfRange (422): each bound is fine, the pair is not.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/http.h"
#include "catalog/catalog.h"
#include "common/batch.h"
#include "common/status.h"
#include "query/aggregate.h"

namespace zhizao::api {

// A point in time, in one of three spellings:
//   RFC 3339:            2026-11-28T10:00:00Z, 2026-11-28T18:00:00.5+08:00
//   epoch milliseconds:  1795860000000 (an integer, possibly negative)
//   relative to now:     now, now-1h, now+30s, now-1h30m (units as ParseDuration)
// Results are clamped to ±query::kMaxAbsTimestampNs.
Result<int64_t> ParseTimeParam(std::string_view text, int64_t now_ns, std::string_view name);

// A positive duration: one or more <integer><unit> terms, "1m", "500ms", "1h30m"; units ns, us,
// ms, s, m, h, d (24 h), w (7 d). At most query::kMaxAbsTimestampNs.
Result<int64_t> ParseDuration(std::string_view text, std::string_view name);

struct TimeRange {
  int64_t from_ns = 0;  // inclusive
  int64_t to_ns = 0;    // inclusive
};

// ?from= and ?to=; `to` defaults to now and `from` to `to` minus default_span_ns.
// OutOfRange when from is after to.
Result<TimeRange> TimeRangeParams(const HttpRequest& request, int64_t now_ns, int64_t default_span_ns);

// ?epoch=: 0 for RFC 3339 strings (the default), else the divisor of ns for "s", "ms", "us"
// or "ns".
Result<int64_t> EpochParam(const HttpRequest& request);
// A timestamp as the response gives it: an RFC 3339 string for divisor 0, else an integer in
// that unit (truncated toward zero).
nlohmann::json TimeJson(int64_t ts_ns, int64_t divisor);

// ?name=true|false; `fallback` when absent.
Result<bool> BoolParam(const HttpRequest& request, std::string_view name, bool fallback);

// Comma-separated, empty items dropped: "a,,b" is {"a", "b"}.
std::vector<std::string> SplitList(std::string_view text);

// ?fn=: comma-separated aggregate functions, "mean,max,percentile:95" (percentile takes its p
// after a colon, 0 to 100). Default: mean.
Result<std::vector<query::AggregateSpec>> ParseFunctions(std::string_view text);
// The name a function has in responses: "mean", "percentile:95", "percentile:99.9".
std::string FunctionLabel(const query::AggregateSpec& spec);

// A number for JSON, which has no NaN or infinity: those become "NaN", "+Inf" and "-Inf", as
// InfluxDB writes them.
nlohmann::json NumberJson(double value);

// A sample's value for JSON, by its type (NumberJson for a float); `text` is the value of a
// string sample, which a Value only indexes.
nlohmann::json ValueJson(const Value& value, std::string_view text);

// A tag named as ?tag= and ?tags= items name one: by path, or by id (digits only).
// Errors: NotFound.
Result<catalog::Tag> ResolveTag(catalog::Catalog& catalog, std::string_view text);
// An asset named as ?asset= or a body's "asset": by path, or by id (digits only). Errors: NotFound.
Result<catalog::Asset> ResolveAsset(catalog::Catalog& catalog, std::string_view text);

}  // namespace zhizao::api
