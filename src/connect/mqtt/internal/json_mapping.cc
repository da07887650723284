#include "connect/mqtt/internal/json_mapping.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "catalog/model.h"
#include "common/clock.h"
#include "common/time_format.h"

namespace zhizao::connect::mqtt {
namespace {

using nlohmann::json;

Result<TimeUnit> ParseTimeUnit(std::string_view text) {
  if (text == "auto") return TimeUnit::kAuto;
  if (text == "s") return TimeUnit::kSeconds;
  if (text == "ms") return TimeUnit::kMillis;
  if (text == "us") return TimeUnit::kMicros;
  if (text == "ns") return TimeUnit::kNanos;
  return Status::InvalidArgument("time_unit '" + std::string(text) + "' is none of auto, s, ms, us, ns");
}

Result<std::string> StringField(const json& object, const char* key, const std::string& where, bool required) {
  auto it = object.find(key);
  if (it == object.end()) {
    if (required) return Status::InvalidArgument(where + "." + key + " is required");
    return std::string();
  }
  if (!it->is_string()) return Status::InvalidArgument(where + "." + key + " must be a string");
  return it->get<std::string>();
}

Result<std::optional<JsonPath>> OptionalPath(const json& object, const char* key, const std::string& where) {
  ZZ_ASSIGN_OR_RETURN(std::string text, StringField(object, key, where, false));
  if (text.empty()) return std::optional<JsonPath>();
  Result<JsonPath> path = JsonPath::Parse(text);
  if (!path.ok()) return path.status().WithContext(where + "." + key);
  return std::optional<JsonPath>(std::move(*path));
}

std::optional<double> NumberOf(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (!v.is_string()) return std::nullopt;
  const std::string& s = v.get_ref<const std::string&>();
  double d = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty() || !std::isfinite(d)) return std::nullopt;
  return d;
}

// 2^63 as a double: the first value an int64 cannot hold.
constexpr double kTwo63 = 9223372036854775808.0;

Result<SampleValue> ValueAs(DataType type, const json& v) {
  switch (type) {
    case DataType::kFloat64:
      if (std::optional<double> d = NumberOf(v)) return SampleValue(*d);
      return Status::InvalidArgument("value is not a number");
    case DataType::kInt64:
      if (v.is_number_integer()) {
        if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t{std::numeric_limits<int64_t>::max()}) break;
        return SampleValue(v.get<int64_t>());
      }
      if (std::optional<double> d = NumberOf(v); d && std::trunc(*d) == *d && std::abs(*d) < kTwo63) {
        return SampleValue(static_cast<int64_t>(*d));
      }
      break;
    case DataType::kBool:
      if (v.is_boolean()) return SampleValue(v.get<bool>());
      if (v.is_number() && (v.get<double>() == 0 || v.get<double>() == 1)) return SampleValue(v.get<double>() == 1);
      if (v == "true" || v == "false") return SampleValue(v == "true");
      return Status::InvalidArgument("value is not a boolean");
    case DataType::kString:
      if (v.is_string()) return SampleValue(v.get<std::string>());
      if (v.is_primitive()) return SampleValue(v.dump());
      return Status::InvalidArgument("value is an object or array, not a string");
  }
  return Status::InvalidArgument("value is not a whole number within int64");
}

TimeUnit UnitByMagnitude(double t) {
  double a = std::abs(t);
  return a < 1e11 ? TimeUnit::kSeconds : a < 1e14 ? TimeUnit::kMillis : a < 1e17 ? TimeUnit::kMicros : TimeUnit::kNanos;
}

Result<int64_t> TimeOf(const json& v, TimeUnit unit) {
  if (v.is_string()) return ParseRfc3339(v.get_ref<const std::string&>());
  if (!v.is_number()) return Status::InvalidArgument("time is neither a number nor an RFC 3339 string");
  const double t = v.get<double>();
  if (unit == TimeUnit::kAuto) unit = UnitByMagnitude(t);
  const int64_t scale = unit == TimeUnit::kSeconds ? kNanosPerSecond
                        : unit == TimeUnit::kMillis ? kNanosPerMilli
                        : unit == TimeUnit::kMicros ? 1000
                                                    : 1;
  const Status out_of_range = Status::OutOfRange("time " + v.dump() + " is outside 1677 to 2262");
  // Whole numbers in integer arithmetic: a double would round nanoseconds.
  if (v.is_number_integer()) {
    if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t{std::numeric_limits<int64_t>::max()}) return out_of_range;
    int64_t ns = 0;
    if (__builtin_mul_overflow(v.get<int64_t>(), scale, &ns)) return out_of_range;
    return ns;
  }
  double ns = t * static_cast<double>(scale);
  if (!(std::abs(ns) < kTwo63)) return out_of_range;
  return static_cast<int64_t>(ns);
}

Result<uint32_t> QualityOf(const json& v) {
  if (v.is_boolean()) return v.get<bool>() ? status_codes::kGood : status_codes::kBad;
  if (v.is_number_unsigned() && v.get<uint64_t>() <= 0xFFFFFFFFu) return static_cast<uint32_t>(v.get<uint64_t>());
  if (v == "good") return status_codes::kGood;
  if (v == "uncertain") return status_codes::kUncertain;
  if (v == "bad") return status_codes::kBad;
  return Status::InvalidArgument("quality is none of a status code, true/false, \"good\", \"uncertain\", \"bad\"");
}

Result<MappedSample> MapOne(const JsonSubscription& sub, const std::vector<std::string_view>& captures, const json& root,
                            int64_t received_ns) {
  MappedSample sample;
  ZZ_ASSIGN_OR_RETURN(sample.tag_path, ExpandTagTemplate(sub.tag_template, captures));
  sample.type = sub.type;
  const json* value = sub.value.Find(root);
  if (value == nullptr || value->is_null()) return Status::InvalidArgument("payload has no value at " + sub.value.text());
  ZZ_ASSIGN_OR_RETURN(sample.value, ValueAs(sub.type, *value));
  sample.ts_ns = received_ns;
  if (const json* time = sub.time ? sub.time->Find(root) : nullptr; time != nullptr && !time->is_null()) {
    ZZ_ASSIGN_OR_RETURN(sample.ts_ns, TimeOf(*time, sub.time_unit));
  }
  if (const json* quality = sub.quality ? sub.quality->Find(root) : nullptr; quality != nullptr && !quality->is_null()) {
    ZZ_ASSIGN_OR_RETURN(sample.status, QualityOf(*quality));
  }
  return sample;
}

}  // namespace

Result<std::string> ExpandTagTemplate(std::string_view tag_template, const std::vector<std::string_view>& captures) {
  std::string path;
  for (size_t at = 0; at < tag_template.size();) {
    if (tag_template[at] != '{') {
      path += tag_template[at++];
      continue;
    }
    size_t close = tag_template.find('}', at);
    size_t n = 0;
    auto [ptr, ec] = std::from_chars(tag_template.data() + at + 1, tag_template.data() + close, n);
    if (close == std::string_view::npos || ec != std::errc() || ptr != tag_template.data() + close || n == 0 ||
        n > captures.size()) {
      return Status::InvalidArgument("tag '" + std::string(tag_template) + "': {n} must name one of the topic's " +
                                     std::to_string(captures.size()) + " wildcards");
    }
    path += captures[n - 1];
    at = close + 1;
  }
  for (std::string_view level : TopicLevels(path)) {
    ZZ_RETURN_IF_ERROR(catalog::ValidateName(level).WithContext("tag path '" + path + "'"));
  }
  return path;
}

Result<JsonSubscription> ParseJsonSubscription(const json& definition, size_t index) {
  const std::string where = "subscriptions[" + std::to_string(index) + "]";
  if (!definition.is_object()) return Status::InvalidArgument(where + " must be an object");
  ZZ_ASSIGN_OR_RETURN(std::string topic, StringField(definition, "topic", where, true));
  Result<TopicFilter> filter = TopicFilter::Parse(topic);
  if (!filter.ok()) return filter.status().WithContext(where + ".topic");
  ZZ_ASSIGN_OR_RETURN(std::string tag, StringField(definition, "tag", where, true));
  ZZ_ASSIGN_OR_RETURN(std::string value_text, StringField(definition, "value", where, false));
  Result<JsonPath> value = JsonPath::Parse(value_text.empty() ? "$" : value_text);
  if (!value.ok()) return value.status().WithContext(where + ".value");
  JsonSubscription sub{.filter = std::move(*filter), .tag_template = tag, .value = std::move(*value)};
  ZZ_ASSIGN_OR_RETURN(sub.time, OptionalPath(definition, "time", where));
  ZZ_ASSIGN_OR_RETURN(sub.quality, OptionalPath(definition, "quality", where));
  ZZ_ASSIGN_OR_RETURN(std::string type, StringField(definition, "type", where, false));
  if (!type.empty()) {
    Result<DataType> parsed = ParseDataType(type);
    if (!parsed.ok()) return parsed.status().WithContext(where + ".type");
    sub.type = *parsed;
  }
  ZZ_ASSIGN_OR_RETURN(std::string unit, StringField(definition, "time_unit", where, false));
  if (!unit.empty()) {
    Result<TimeUnit> parsed = ParseTimeUnit(unit);
    if (!parsed.ok()) return parsed.status().WithContext(where + ".time_unit");
    sub.time_unit = *parsed;
  }
  // Every fixed level of the template must already be a valid name: try it with stand-ins.
  std::vector<std::string_view> stand_ins(sub.filter.wildcard_count(), "x");
  Result<std::string> sample_path = ExpandTagTemplate(tag, stand_ins);
  if (!sample_path.ok()) return sample_path.status().WithContext(where + ".tag");
  if (sample_path->find('/') == std::string::npos) {
    return Status::InvalidArgument(where + ".tag '" + tag + "' names no asset: write it as asset/path/tag");
  }
  return sub;
}

void JsonMapper::Map(std::string_view topic, std::string_view payload, int64_t received_ns,
                     std::vector<MappedSample>& out, std::vector<std::string>& errors) const {
  std::optional<json> root;
  for (const JsonSubscription& sub : subscriptions_) {
    std::optional<std::vector<std::string_view>> captures = sub.filter.Match(topic);
    if (!captures) continue;
    if (!root) {
      root = json::parse(payload, nullptr, /*allow_exceptions=*/false);
      if (root->is_discarded()) {
        errors.push_back("topic '" + std::string(topic) + "': payload is not JSON");
        return;
      }
    }
    Result<MappedSample> sample = MapOne(sub, *captures, *root, received_ns);
    if (sample.ok()) {
      out.push_back(std::move(*sample));
    } else {
      errors.push_back("topic '" + std::string(topic) + "': " + sample.status().message());
    }
  }
}

}  // namespace zhizao::connect::mqtt
