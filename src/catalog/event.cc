#include "catalog/event.h"

#include <array>
#include <string>

namespace zhizao::catalog {
namespace {

constexpr std::array<std::string_view, 4> kSeverityNames = {"low", "medium", "high", "critical"};

}  // namespace

std::string_view SeverityName(Severity severity) { return kSeverityNames[static_cast<size_t>(severity)]; }

Result<Severity> ParseSeverity(std::string_view name) {
  for (size_t i = 0; i < kSeverityNames.size(); ++i) {
    if (kSeverityNames[i] == name) return static_cast<Severity>(i);
  }
  return Status::InvalidArgument("unknown severity '" + std::string(name) +
                                 "' (expected low, medium, high or critical)");
}

}  // namespace zhizao::catalog
