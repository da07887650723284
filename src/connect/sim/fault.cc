#include "connect/sim/fault.h"

#include <algorithm>
#include <array>

#include "common/clock.h"

namespace zhizao::connect::sim {
namespace {

constexpr int64_t kMinute = 60 * kNanosPerSecond;

struct FaultTraits {
  std::string_view name;
  std::string_view asset_kind;  // "" for sensor faults
  int64_t default_duration_ns;
};

// Indexed by FaultType. Durations are typical of each failure mode, shortened so a demo
// plant shows several complete episodes a day.
constexpr std::array<FaultTraits, kFaultTypeCount> kTraits = {{
    {"bearing_wear", "centrifugal_pump", 12 * 60 * kMinute},
    {"cavitation", "centrifugal_pump", 40 * kMinute},
    {"impeller_imbalance", "centrifugal_pump", 4 * 60 * kMinute},
    {"seal_leak", "centrifugal_pump", 3 * 60 * kMinute},
    {"tool_wear", "cnc_machining_center", 60 * kMinute},
    {"thermal_drift", "cnc_machining_center", 2 * 60 * kMinute},
    {"heater_failure", "injection_moulding_machine", 45 * kMinute},
    {"jam", "injection_moulding_machine", 12 * kMinute},
    {"air_leak", "compressed_air_system", 4 * 60 * kMinute},
    {"sensor_stuck", "", 30 * kMinute},
    {"sensor_drift", "", 3 * 60 * kMinute},
    {"sensor_spike", "", 20 * kMinute},
    {"sensor_dropout", "", 10 * kMinute},
    {"sensor_noise_burst", "", 15 * kMinute},
}};

const FaultTraits& TraitsOf(FaultType type) { return kTraits[static_cast<size_t>(type)]; }

}  // namespace

std::string_view FaultTypeName(FaultType type) { return TraitsOf(type).name; }

Result<FaultType> ParseFaultType(std::string_view name) {
  std::string known;
  for (size_t i = 0; i < kTraits.size(); ++i) {
    if (kTraits[i].name == name) return static_cast<FaultType>(i);
    known += (i == 0 ? "" : ", ") + std::string(kTraits[i].name);
  }
  return Status::InvalidArgument("unknown fault type '" + std::string(name) + "' (expected one of " + known + ")");
}

bool IsSensorFault(FaultType type) { return TraitsOf(type).asset_kind.empty(); }

std::string_view FaultAssetKind(FaultType type) { return TraitsOf(type).asset_kind; }

int64_t DefaultFaultDurationNs(FaultType type) { return TraitsOf(type).default_duration_ns; }

std::vector<std::pair<int64_t, int64_t>> AbnormalRanges(const std::vector<Episode>& episodes,
                                                        std::string_view asset_path, int64_t until_ns,
                                                        int64_t settle_ns) {
  std::vector<std::pair<int64_t, int64_t>> ranges;
  for (const Episode& e : episodes) {
    const bool shows = e.asset_path == asset_path || std::any_of(e.tags.begin(), e.tags.end(), [&](const std::string& tag) {
                         return std::string_view(tag).substr(0, tag.rfind('/')) == asset_path;
                       });
    if (shows && e.start_ns <= until_ns) ranges.emplace_back(e.start_ns, e.end_ns + settle_ns);
  }
  return ranges;
}

}  // namespace zhizao::connect::sim
