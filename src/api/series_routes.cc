// zhizao's own reads of series data: the last values, raw samples a page at a time, and windowed
// aggregates or chart-sized decimations. Quality travels with every answer: raw samples carry
// their status, aggregate rows and buckets how many of their samples were not Good.
#include <nlohmann/json.hpp>

#include <map>
#include <memory>

#include "api/request_params.h"
#include "api/routes.h"
#include "api/series_params.h"
#include "common/clock.h"
#include "common/time_format.h"
#include "query/decimate.h"
#include "query/range_read.h"

namespace zhizao::api {
namespace {

using nlohmann::json;

constexpr size_t kMaxLastTags = 10'000;
constexpr size_t kMaxAggregateTags = 1'000;
constexpr int64_t kDefaultRangeLimit = 10'000;
constexpr int64_t kMaxDecimationPoints = 100'000;
constexpr int64_t kDefaultSpanNs = int64_t{3600} * kNanosPerSecond;  // from defaults to to - 1 h

// What the routes share. The source is owned here only when the services name none.
struct SeriesContext {
  catalog::Catalog* catalog;
  const query::SampleSource* source;
  std::shared_ptr<query::SampleSource> owned_source;
  query::QueryOptions options;
};

// A query past its limits is refused for what it asks, not for how busy the server is: asking
// again brings the same refusal, so it is a 422 naming the limit, not the 503 that
// ResourceExhausted means elsewhere (and that clients answer by retrying).
Status QueryError(const Status& status) {
  if (status.code() != StatusCode::kResourceExhausted) return status;
  return Status::OutOfRange(status.message() + "; narrow from/to, widen the window or ask for fewer points");
}



// By the tag's type, not samples.type: ReadRange lets an empty later slice reset the latter to
// its default (float64), and the columns are what count. A column shorter than the timestamps
// (which would be a bug below) reads as null rather than out of bounds.
json SampleValueJson(const storage::SeriesSamples& s, DataType type, size_t i) {
  switch (type) {
    case DataType::kFloat64: return i < s.f64.size() ? NumberJson(s.f64[i]) : json();
    case DataType::kInt64: return i < s.i64.size() ? json(s.i64[i]) : json();
    case DataType::kBool: return i < s.i64.size() ? json(s.i64[i] != 0) : json();
    case DataType::kString: return i < s.str.size() ? json(s.str[i]) : json();
  }
  return nullptr;
}

HttpResponse LastValues(const SeriesContext& ctx, const HttpRequest& request) {
  std::vector<std::string> paths = SplitList(request.Query("tags").value_or(""));
  if (paths.empty()) return ErrorResponse(Status::InvalidArgument("tags: give one or more tag paths, comma-separated"));
  if (paths.size() > kMaxLastTags) {
    return ErrorResponse(Status::InvalidArgument("tags: at most " + std::to_string(kMaxLastTags) + " per request"));
  }
  json values = json::array();
  for (const std::string& path : paths) {
    Result<catalog::Tag> tag = ctx.catalog->FindTag(path);
    if (!tag.ok()) return ErrorResponse(tag.status());
    Result<std::optional<storage::LastSample>> last = ctx.source->Last(tag->id);
    if (!last.ok()) return ErrorResponse(last.status());
    json entry = {{"tag", path}, {"id", tag->id}};
    if (*last) {
      entry["time"] = FormatRfc3339((*last)->ts_ns);
      entry["value"] = ValueJson((*last)->value, (*last)->str);
      entry["quality"] = QualitySeverityName(SeverityOf((*last)->status));
      entry["status"] = (*last)->status;
    } else {
      entry["time"] = nullptr;
      entry["value"] = nullptr;
    }
    values.push_back(std::move(entry));
  }
  return HttpResponse::Json(json{{"values", std::move(values)}}.dump());
}

// ?cursor= is the from_ns of the next page as a decimal string; it replaces ?from=. It may lie
// past `to` (the previous page ended at `to`): the page is then empty.
Result<TimeRange> RangeOf(const HttpRequest& request, int64_t now_ns) {
  ZZ_ASSIGN_OR_RETURN(TimeRange range, TimeRangeParams(request, now_ns, kDefaultSpanNs));
  if (std::optional<std::string_view> cursor = request.Query("cursor")) {
    Result<int64_t> from = ParseInt(*cursor, "parameter cursor");
    if (!from.ok()) return Status::InvalidArgument("parameter cursor: not a cursor this server gave out");
    range.from_ns = *from;
  }
  return range;
}

Result<json> RangeBody(const SeriesContext& ctx, const HttpRequest& request) {
  std::string_view tag_text = request.Query("tag").value_or("");
  if (tag_text.empty()) return Status::InvalidArgument("parameter tag: give a tag path or id");
  ZZ_ASSIGN_OR_RETURN(TimeRange range, RangeOf(request, SystemClock::Instance().NowNs()));
  int64_t max_limit = ctx.options.max_points_returned;
  ZZ_ASSIGN_OR_RETURN(std::optional<int64_t> limit, IntParam(request, "limit", 1, max_limit));
  ZZ_ASSIGN_OR_RETURN(int64_t divisor, EpochParam(request));
  ZZ_ASSIGN_OR_RETURN(catalog::Tag tag, ResolveTag(*ctx.catalog, tag_text));
  Result<query::RangePage> page = query::RangePage{};
  if (range.from_ns <= range.to_ns) {
    page = query::ReadRange(*ctx.source, tag.id, range.from_ns, range.to_ns,
                            limit.value_or(std::min(kDefaultRangeLimit, max_limit)), ctx.options);
  }
  if (!page.ok()) return QueryError(page.status());
  const storage::SeriesSamples& s = page->samples;
  json samples = json::array();
  for (size_t i = 0; i < s.size(); ++i) {
    samples.push_back({{"time", TimeJson(s.ts_ns[i], divisor)},
                       {"value", SampleValueJson(s, tag.data_type, i)},
                       {"quality", QualitySeverityName(SeverityOf(s.status[i]))},
                       {"status", s.status[i]}});
  }
  json next = nullptr;
  if (page->next_from_ns) {
    next = {{"cursor", std::to_string(*page->next_from_ns)}, {"from", TimeJson(*page->next_from_ns, divisor)}};
  }
  return json{{"tag", tag.path},         {"id", tag.id},
              {"data_type", DataTypeName(tag.data_type)}, {"unit", tag.unit},
              {"from", TimeJson(range.from_ns, divisor)}, {"to", TimeJson(range.to_ns, divisor)},
              {"count", s.size()},        {"samples", std::move(samples)},
              {"next", std::move(next)}};
}

HttpResponse Range(const SeriesContext& ctx, const HttpRequest& request) {
  Result<json> body = RangeBody(ctx, request);
  if (!body.ok()) return ErrorResponse(body.status());
  return HttpResponse::Json(body->dump(-1, ' ', false, json::error_handler_t::replace));
}

Result<std::vector<catalog::Tag>> ResolveTags(catalog::Catalog& catalog, const HttpRequest& request) {
  std::vector<std::string> items = SplitList(request.Query("tags").value_or(""));
  if (items.empty()) return Status::InvalidArgument("parameter tags: give one or more tag paths or ids, comma-separated");
  if (items.size() > kMaxAggregateTags) {
    return Status::InvalidArgument("parameter tags: at most " + std::to_string(kMaxAggregateTags) + " per request");
  }
  std::vector<catalog::Tag> tags;
  for (const std::string& item : items) {
    ZZ_ASSIGN_OR_RETURN(catalog::Tag tag, ResolveTag(catalog, item));
    tags.push_back(std::move(tag));
  }
  return tags;
}

json CellJson(const query::Cell& cell) {
  if (const double* d = std::get_if<double>(&cell)) return NumberJson(*d);
  if (const std::string* s = std::get_if<std::string>(&cell)) return *s;
  return nullptr;
}

json CountsJson(int64_t start_ns, const query::WindowState& state, int64_t divisor) {
  return {{"time", TimeJson(start_ns, divisor)},
          {"samples", state.samples},
          {"non_good", state.non_good},
          {"bad", state.bad},
          {"count", state.count}};
}

json SeriesHeader(const catalog::Tag& tag) { return {{"tag", tag.path}, {"id", tag.id}}; }

// The parameters both kinds of aggregate read share.
struct AggregateParams {
  std::vector<catalog::Tag> tags;
  TimeRange range;
  int64_t divisor = 0;
  query::QueryOptions options;
};

Result<AggregateParams> AggregateParamsOf(const SeriesContext& ctx, const HttpRequest& request) {
  AggregateParams p;
  ZZ_ASSIGN_OR_RETURN(p.range, TimeRangeParams(request, SystemClock::Instance().NowNs(), kDefaultSpanNs));
  ZZ_ASSIGN_OR_RETURN(p.divisor, EpochParam(request));
  p.options = ctx.options;
  if (std::optional<std::string_view> quality = request.Query("quality")) {
    Result<query::QualityPolicy> policy = query::ParseQualityPolicy(*quality);
    if (!policy.ok()) return Status::InvalidArgument("parameter quality: " + policy.status().message());
    p.options.quality = *policy;
  }
  ZZ_ASSIGN_OR_RETURN(p.tags, ResolveTags(*ctx.catalog, request));
  return p;
}

json CommonJson(const AggregateParams& p) {
  return {{"from", TimeJson(p.range.from_ns, p.divisor)},
          {"to", TimeJson(p.range.to_ns, p.divisor)},
          {"quality_policy", query::QualityPolicyName(p.options.quality)}};
}

Result<json> WindowedBody(const SeriesContext& ctx, const HttpRequest& request, const AggregateParams& p) {
  query::AggregateQuery q{.from_ns = p.range.from_ns, .to_ns = p.range.to_ns};
  ZZ_ASSIGN_OR_RETURN(q.window.width_ns, ParseDuration(request.Query("window").value_or(""), "window"));
  ZZ_ASSIGN_OR_RETURN(q.functions, ParseFunctions(request.Query("fn").value_or("")));
  ZZ_ASSIGN_OR_RETURN(q.combined, BoolParam(request, "combined", false));
  q.per_series = !q.combined;
  for (const catalog::Tag& tag : p.tags) q.tags.push_back(tag.id);
  Result<std::unique_ptr<query::AggregateCursor>> cursor = query::AggregateCursor::Open(*ctx.source, q, p.options);
  if (!cursor.ok()) return QueryError(cursor.status());
  std::map<TagId, json> rows;  // by tag, 0 for the combined rows; each in time order
  Status read = query::ForEachRow(**cursor, [&](const query::WindowRow& row) {
    json out = CountsJson(row.start_ns, row.state, p.divisor);
    json values = json::object();
    for (size_t i = 0; i < row.cells.size(); ++i) values[FunctionLabel(q.functions[i])] = CellJson(row.cells[i]);
    out["values"] = std::move(values);
    auto [it, fresh] = rows.try_emplace(row.tag, json::array());
    it->second.push_back(std::move(out));
    return Status::Ok();
  });
  if (!read.ok()) return QueryError(read);
  json body = CommonJson(p);
  body["window"] = std::string(request.Query("window").value_or(""));
  json functions = json::array();
  for (const query::AggregateSpec& spec : q.functions) functions.push_back(FunctionLabel(spec));
  body["functions"] = std::move(functions);
  json series = json::array();
  for (const catalog::Tag& tag : p.tags) {
    if (q.combined) break;
    json one = SeriesHeader(tag);
    auto it = rows.find(tag.id);
    one["rows"] = it == rows.end() ? json::array() : std::move(it->second);
    series.push_back(std::move(one));
  }
  body["series"] = std::move(series);
  if (q.combined) body["combined"] = rows.count(0) ? std::move(rows[0]) : json::array();
  return body;
}

Result<json> DecimatedBody(const SeriesContext& ctx, const HttpRequest& request, const AggregateParams& p) {
  for (std::string_view other : {"window", "fn", "combined"}) {
    if (request.Query(other)) {
      return Status::InvalidArgument("parameter " + std::string(other) + ": not used with points (decimation keeps "
                                     "first, last, min and max per bucket)");
    }
  }
  ZZ_ASSIGN_OR_RETURN(std::optional<int64_t> points, IntParam(request, "points", 1, kMaxDecimationPoints));
  json series = json::array();
  for (const catalog::Tag& tag : p.tags) {
    Result<query::Decimation> d = query::Decimate(*ctx.source, tag.id, p.range.from_ns, p.range.to_ns, *points, p.options);
    if (!d.ok()) return QueryError(d.status());
    json chart = json::array();
    json buckets = json::array();
    for (const query::DecimatedBucket& bucket : d->buckets) {
      buckets.push_back(CountsJson(bucket.start_ns, bucket.state, p.divisor));
      for (const query::TimedValue& v : bucket.Points()) {
        chart.push_back({{"time", TimeJson(v.ts_ns, p.divisor)}, {"value", NumberJson(v.value)}});
      }
    }
    json one = SeriesHeader(tag);
    one["bucket_width_ns"] = d->bucket_width_ns;
    one["points"] = std::move(chart);
    one["buckets"] = std::move(buckets);
    series.push_back(std::move(one));
  }
  json body = CommonJson(p);
  body["points"] = *points;
  body["series"] = std::move(series);
  return body;
}

HttpResponse Aggregate(const SeriesContext& ctx, const HttpRequest& request) {
  bool decimate = request.Query("points").has_value();
  if (!decimate && !request.Query("window")) {
    return ErrorResponse(Status::InvalidArgument("parameter window: give a window (1m) or points (a chart's width)"));
  }
  Result<AggregateParams> params = AggregateParamsOf(ctx, request);
  if (!params.ok()) return ErrorResponse(params.status());
  Result<json> body = decimate ? DecimatedBody(ctx, request, *params) : WindowedBody(ctx, request, *params);
  if (!body.ok()) return ErrorResponse(body.status());
  return HttpResponse::Json(body->dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace

void AddSeriesRoutes(Router& router, const ApiServices& services) {
  auto ctx = std::make_shared<SeriesContext>(
      SeriesContext{services.catalog, services.source, nullptr, services.query_options});
  if (ctx->source == nullptr) {
    ctx->owned_source = std::make_shared<query::EngineSource>(*services.engine);
    ctx->source = ctx->owned_source.get();
  }
  router.Add({.method = "GET",
              .pattern = "/api/v1/series/last",
              .resource_kind = "series",
              .summary = "The last value of each tag in ?tags=path,path,…, with its time and quality.",
              .handler = [ctx](RequestContext& c) { return LastValues(*ctx, c.request); }});
  router.Add({.method = "GET",
              .pattern = "/api/v1/series/range",
              .resource_kind = "series",
              .summary = "Raw samples of ?tag= (path or id) in [?from=, ?to=], a page of ?limit= at a time (?cursor= "
                         "from the previous page's next), times per ?epoch=.",
              .handler = [ctx](RequestContext& c) { return Range(*ctx, c.request); }});
  router.Add({.method = "GET",
              .pattern = "/api/v1/series/aggregate",
              .resource_kind = "series",
              .summary = "Windowed aggregates of ?tags= (?window=, ?fn=, ?combined=), or a min/max-preserving "
                         "decimation to ?points= for charts.",
              .handler =
                  [ctx](RequestContext& c) { return Aggregate(*ctx, c.request); }});
}

}  // namespace zhizao::api
