#include "catalog/model.h"

#include <fmt/format.h>

#include <array>
#include <cmath>

namespace zhizao::catalog {
namespace {

constexpr std::array<std::string_view, 6> kLevelNames = {"enterprise", "site", "area",
                                                          "line",       "cell", "equipment"};
constexpr std::array<std::string_view, 3> kClassNames = {"general", "important", "core"};

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

std::string FormatLimit(double v) { return fmt::format("{}", v); }  // shortest form: 740, not 740.000000

}  // namespace

std::string_view AssetLevelName(AssetLevel level) { return kLevelNames[static_cast<size_t>(level)]; }

Result<AssetLevel> ParseAssetLevel(std::string_view name) {
  for (size_t i = 0; i < kLevelNames.size(); ++i) {
    if (kLevelNames[i] == name) return static_cast<AssetLevel>(i);
  }
  return Status::InvalidArgument("unknown asset level '" + std::string(name) +
                                 "' (expected enterprise, site, area, line, cell or equipment)");
}

std::string_view ClassificationName(Classification c) { return kClassNames[static_cast<size_t>(c)]; }

Result<Classification> ParseClassification(std::string_view name) {
  for (size_t i = 0; i < kClassNames.size(); ++i) {
    if (kClassNames[i] == name) return static_cast<Classification>(i);
  }
  return Status::InvalidArgument("unknown classification '" + std::string(name) +
                                 "' (expected general, important or core)");
}

int64_t RetentionDays(const Tag& tag, const int64_t (&class_defaults)[3]) {
  if (tag.retention_days > 0) return tag.retention_days;
  return class_defaults[static_cast<size_t>(tag.classification)];
}

Status ValidateName(std::string_view name) {
  if (name.empty() || name.size() > 64) {
    return Status::InvalidArgument("name '" + std::string(name) + "' must have 1 to 64 characters");
  }
  for (char c : name) {
    if (!IsNameChar(c)) {
      return Status::InvalidArgument("name '" + std::string(name) +
                                     "' may hold only letters, digits, '_', '-' and '.'");
    }
  }
  if (name == "." || name == "..") return Status::InvalidArgument("name '" + std::string(name) + "' is reserved");
  return Status::Ok();
}

Status ValidateTag(const Tag& tag) {
  ZZ_RETURN_IF_ERROR(ValidateName(tag.name).WithContext("tag"));
  std::string where = "tag '" + (tag.path.empty() ? tag.name : tag.path) + "'";
  if (tag.period_ms <= 0) return Status::InvalidArgument(where + ": period_ms must be positive");
  if (tag.retention_days < 0 || tag.retention_days > 36'500) {
    return Status::InvalidArgument(where + ": retention_days must be from 0 (the class default) to 36500");
  }
  for (const auto& [name, value] : {std::pair{"range_lo", tag.range_lo}, {"range_hi", tag.range_hi},
                                    {"lolo", tag.limits.lolo}, {"lo", tag.limits.lo}, {"hi", tag.limits.hi},
                                    {"hihi", tag.limits.hihi}}) {
    if (value && !std::isfinite(*value)) {
      return Status::InvalidArgument(where + ": " + name + " must be a finite number");
    }
  }
  if (tag.limits.alarm_state && tag.data_type != DataType::kBool) {
    return Status::InvalidArgument(where + ": an alarm_state is for bool tags; a " +
                                   std::string(DataTypeName(tag.data_type)) + " tag alarms on its limits");
  }
  if (tag.range_lo && tag.range_hi && !(*tag.range_lo < *tag.range_hi)) {
    return Status::InvalidArgument(where + ": range_lo must be below range_hi");
  }
  // Present limits must be strictly increasing in the order lolo < lo < hi < hihi.
  const std::array<std::pair<const char*, std::optional<double>>, 4> ordered = {{
      {"lolo", tag.limits.lolo}, {"lo", tag.limits.lo}, {"hi", tag.limits.hi}, {"hihi", tag.limits.hihi}}};
  const char* prev_name = nullptr;
  double prev = 0;
  for (const auto& [name, limit] : ordered) {
    if (!limit) continue;
    if (prev_name != nullptr && !(prev < *limit)) {
      return Status::InvalidArgument(where + ": alarm limit " + name + " (" + FormatLimit(*limit) +
                                     ") must be above " + prev_name + " (" + FormatLimit(prev) + ")");
    }
    prev_name = name;
    prev = *limit;
  }
  return Status::Ok();
}

}  // namespace zhizao::catalog
