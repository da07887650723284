#include "analytics/spc/subgroup.h"

#include <cmath>
#include <map>
#include <unordered_map>

namespace zhizao::analytics::spc {
namespace {

Status CheckSamples(std::span<const Sample> samples) {
  if (samples.empty()) return Status::InvalidArgument("cannot form subgroups: no samples");
  for (std::size_t i = 0; i < samples.size(); ++i) {
    if (!std::isfinite(samples[i].value))
      return Status::InvalidArgument("cannot form subgroups: sample " + std::to_string(i) + " is not finite");
  }
  return Status::Ok();
}

// Floor division, so that samples before the origin land in negative windows.
std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

}  // namespace

Status CheckFinite(std::span<const double> values, const char* what) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i]))
      return Status::InvalidArgument(std::string(what) + ": value " + std::to_string(i) + " is not finite");
  }
  return Status::Ok();
}

Result<std::vector<Subgroup>> SubgroupByKey(std::span<const Sample> samples) {
  ZZ_RETURN_IF_ERROR(CheckSamples(samples));
  std::vector<Subgroup> out;
  std::unordered_map<std::string, std::size_t> slot;
  for (const auto& s : samples) {
    auto [it, inserted] = slot.emplace(s.key, out.size());
    if (inserted) out.push_back({s.key, s.ts_ns, {}});
    out[it->second].values.push_back(s.value);
  }
  return out;
}

Result<std::vector<Subgroup>> SubgroupByTimeWindow(std::span<const Sample> samples, std::int64_t width_ns,
                                                   std::int64_t origin_ns) {
  if (width_ns <= 0) return Status::InvalidArgument("cannot form time subgroups: window width must be > 0");
  ZZ_RETURN_IF_ERROR(CheckSamples(samples));
  std::map<std::int64_t, Subgroup> windows;
  for (const auto& s : samples) {
    const std::int64_t k = FloorDiv(s.ts_ns - origin_ns, width_ns);
    Subgroup& g = windows[k];
    if (g.values.empty()) {
      g.start_ts_ns = origin_ns + k * width_ns;
      g.label = std::to_string(g.start_ts_ns);
    }
    g.values.push_back(s.value);
  }
  std::vector<Subgroup> out;
  out.reserve(windows.size());
  for (auto& [k, g] : windows) out.push_back(std::move(g));
  return out;
}

}  // namespace zhizao::analytics::spc
