#include "api/series_params.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "api/request_params.h"
#include "common/time_format.h"
#include "query/window.h"

namespace zhizao::api {
namespace {

using query::kMaxAbsTimestampNs;

std::string Named(std::string_view name) { return "parameter " + std::string(name); }

int64_t Clamp(int64_t ts_ns) { return std::clamp(ts_ns, -kMaxAbsTimestampNs, kMaxAbsTimestampNs); }

int64_t UnitNs(std::string_view unit) {
  if (unit == "ns") return 1;
  if (unit == "us" || unit == "µs") return 1'000;
  if (unit == "ms") return 1'000'000;
  if (unit == "s") return 1'000'000'000;
  if (unit == "m") return int64_t{60} * 1'000'000'000;
  if (unit == "h") return int64_t{3600} * 1'000'000'000;
  if (unit == "d") return int64_t{86'400} * 1'000'000'000;
  if (unit == "w") return int64_t{7 * 86'400} * 1'000'000'000;
  return 0;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Result<int64_t> ParseDuration(std::string_view text, std::string_view name) {
  auto bad = [&] {
    return Status::InvalidArgument(Named(name) + ": expected a duration such as 30s, 1m, 1h30m (units ns, us, ms, "
                                   "s, m, h, d, w), got '" + std::string(text) + "'");
  };
  if (text.empty()) return bad();
  int64_t total = 0;
  std::string_view rest = text;
  while (!rest.empty()) {
    int64_t n = 0;
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), n);
    if (ec != std::errc() || end == rest.data() || n < 0 || rest[0] == '-') return bad();
    rest.remove_prefix(static_cast<size_t>(end - rest.data()));
    size_t unit_len = 0;
    while (unit_len < rest.size() && !IsDigit(rest[unit_len])) ++unit_len;
    int64_t unit = UnitNs(rest.substr(0, unit_len));
    if (unit == 0) return bad();
    rest.remove_prefix(unit_len);
    if (n > (kMaxAbsTimestampNs - total) / unit) {
      return Status::InvalidArgument(Named(name) + ": '" + std::string(text) + "' is longer than ~146 years");
    }
    total += n * unit;
  }
  if (total <= 0) return Status::InvalidArgument(Named(name) + ": must be longer than 0");
  return total;
}

Result<int64_t> ParseTimeParam(std::string_view text, int64_t now_ns, std::string_view name) {
  if (text.starts_with("now")) {
    std::string_view rest = text.substr(3);
    if (rest.empty()) return Clamp(now_ns);
    if (rest[0] != '-' && rest[0] != '+') {
      return Status::InvalidArgument(Named(name) + ": expected now, now-<duration> or now+<duration>, got '" +
                                     std::string(text) + "'");
    }
    ZZ_ASSIGN_OR_RETURN(int64_t span, ParseDuration(rest.substr(1), name));
    // Both are within ±2^62, so the sum cannot overflow before clamping.
    return Clamp(rest[0] == '-' ? Clamp(now_ns) - span : Clamp(now_ns) + span);
  }
  if (!text.empty() && (IsDigit(text[0]) || text[0] == '-') && text.find_first_of("T:") == std::string_view::npos) {
    ZZ_ASSIGN_OR_RETURN(int64_t ms, ParseInt(text, Named(name) + " (epoch milliseconds)"));
    if (ms > kMaxAbsTimestampNs / 1'000'000 || ms < -kMaxAbsTimestampNs / 1'000'000) {
      return Status::InvalidArgument(Named(name) + ": epoch milliseconds " + std::string(text) + " out of range");
    }
    return ms * 1'000'000;
  }
  Result<int64_t> ts = ParseRfc3339(text);
  if (!ts.ok()) {
    return Status::InvalidArgument(Named(name) + ": expected RFC 3339 (2026-11-28T10:00:00Z), epoch milliseconds "
                                   "or now-<duration>, got '" + std::string(text) + "'");
  }
  return Clamp(*ts);
}

Result<TimeRange> TimeRangeParams(const HttpRequest& request, int64_t now_ns, int64_t default_span_ns) {
  TimeRange range;
  std::optional<std::string_view> to = request.Query("to");
  std::optional<std::string_view> from = request.Query("from");
  if (to) {
    ZZ_ASSIGN_OR_RETURN(range.to_ns, ParseTimeParam(*to, now_ns, "to"));
  } else {
    range.to_ns = Clamp(now_ns);
  }
  if (from) {
    ZZ_ASSIGN_OR_RETURN(range.from_ns, ParseTimeParam(*from, now_ns, "from"));
  } else {
    range.from_ns = Clamp(range.to_ns - default_span_ns);
  }
  if (range.from_ns > range.to_ns) {
    return Status::OutOfRange("from (" + FormatRfc3339(range.from_ns) + ") is after to (" +
                              FormatRfc3339(range.to_ns) + ")");
  }
  return range;
}

Result<int64_t> EpochParam(const HttpRequest& request) {
  std::string_view epoch = request.Query("epoch").value_or("");
  if (epoch.empty()) return int64_t{0};
  if (epoch == "ns") return int64_t{1};
  if (epoch == "us") return int64_t{1'000};
  if (epoch == "ms") return int64_t{1'000'000};
  if (epoch == "s") return int64_t{1'000'000'000};
  return Status::InvalidArgument("parameter epoch: expected s, ms, us or ns, got '" + std::string(epoch) + "'");
}

nlohmann::json TimeJson(int64_t ts_ns, int64_t divisor) {
  if (divisor == 0) return FormatRfc3339(ts_ns);
  return ts_ns / divisor;
}

Result<bool> BoolParam(const HttpRequest& request, std::string_view name, bool fallback) {
  std::optional<std::string_view> text = request.Query(name);
  if (!text) return fallback;
  if (*text == "true" || *text == "1") return true;
  if (*text == "false" || *text == "0") return false;
  return Status::InvalidArgument(Named(name) + ": expected true or false, got '" + std::string(*text) + "'");
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    if (comma != 0) out.emplace_back(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return out;
}

Result<std::vector<query::AggregateSpec>> ParseFunctions(std::string_view text) {
  std::vector<query::AggregateSpec> specs;
  for (const std::string& item : SplitList(text.empty() ? "mean" : text)) {
    size_t colon = item.find(':');
    Result<query::AggregateFn> fn = query::ParseAggregateFn(std::string_view(item).substr(0, colon));
    if (!fn.ok()) return Status::InvalidArgument("parameter fn: " + fn.status().message());
    query::AggregateSpec spec{.fn = *fn};
    if (*fn == query::AggregateFn::kPercentile) {
      double p = -1;
      std::string_view arg = colon == std::string::npos ? std::string_view() : std::string_view(item).substr(colon + 1);
      auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), p);
      if (arg.empty() || ec != std::errc() || end != arg.data() + arg.size() || !(p >= 0 && p <= 100)) {
        return Status::InvalidArgument("parameter fn: percentile takes its p from 0 to 100 after a colon, "
                                       "percentile:95; got '" + item + "'");
      }
      spec.percentile = p;
    } else if (colon != std::string::npos) {
      return Status::InvalidArgument("parameter fn: only percentile takes an argument; got '" + item + "'");
    }
    specs.push_back(spec);
  }
  if (specs.empty()) return Status::InvalidArgument("parameter fn: give one or more functions");
  return specs;
}

std::string FunctionLabel(const query::AggregateSpec& spec) {
  std::string name(query::AggregateFnName(spec.fn));
  if (spec.fn != query::AggregateFn::kPercentile) return name;
  char p[32];
  std::snprintf(p, sizeof p, "%g", spec.percentile);
  return name + ":" + p;
}

nlohmann::json NumberJson(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return value;
}

nlohmann::json ValueJson(const Value& value, std::string_view text) {
  switch (value.type()) {
    case DataType::kFloat64: return NumberJson(value.f64());
    case DataType::kInt64: return value.i64();
    case DataType::kBool: return value.boolean();
    case DataType::kString: return std::string(text);
  }
  return nullptr;
}

Result<catalog::Tag> ResolveTag(catalog::Catalog& catalog, std::string_view text) {
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos) {
    Result<int64_t> id = ParseInt(text, "tag id");
    if (!id.ok() || *id <= 0 || *id > UINT32_MAX) return Status::NotFound("no tag with id " + std::string(text));
    return catalog.GetTag(static_cast<TagId>(*id));
  }
  return catalog.FindTag(text);
}

Result<catalog::Asset> ResolveAsset(catalog::Catalog& catalog, std::string_view text) {
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos) {
    Result<int64_t> id = ParseInt(text, "asset id");
    if (!id.ok() || *id <= 0) return Status::NotFound("no asset with id " + std::string(text));
    return catalog.GetAsset(*id);
  }
  return catalog.FindAsset(text);
}

}  // namespace zhizao::api
