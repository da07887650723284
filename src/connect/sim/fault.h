// Fault types, episodes and fault requests of the plant simulator.
//
// An episode is one fault from its start to its end, as a label for anomaly detection and
// remaining-useful-life models: which asset, which tags show it, which tag points at the cause.
// Plain values; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace zhizao::connect::sim {

// Process faults apply to one kind of equipment; sensor faults to one numeric tag of any asset.
enum class FaultType : uint8_t {
  // centrifugal_pump
  kBearingWear,        // grows to a bearing failure at the episode's end; the pump trips
  kCavitation,         // clogged suction strainer: suction pressure falls, the pump cavitates
  kImpellerImbalance,  // 1x running-speed vibration rises
  kSealLeak,           // mechanical seal leaks: delivered flow falls, leak alarm
  // cnc_machining_center
  kToolWear,      // accelerated flank wear ending in a tool breakage
  kThermalDrift,  // spindle cooling degrades: the bore dimension drifts with temperature
  // injection_moulding_machine
  kHeaterFailure,  // one barrel zone heater fails (FaultRequest::tag_path may name the zone)
  kJam,            // ejection jam: state down, counters stop
  // compressed_air_system
  kAirLeak,  // a leak in the air network: more flow, the compressor loads more often
  // any numeric tag
  kSensorStuck,       // the reading freezes at its last value, quality stays good
  kSensorDrift,       // the reading drifts away linearly, up to 30% of span x severity
  kSensorSpike,       // isolated outliers
  kSensorDropout,     // severity < 0.5: no samples (link lost); else bad quality (kBadSensorFailure)
  kSensorNoiseBurst,  // much larger noise
};
inline constexpr int kFaultTypeCount = 14;

// "bearing_wear", "cavitation", ..., "sensor_noise_burst".
std::string_view FaultTypeName(FaultType type);
// The inverse of FaultTypeName; InvalidArgument listing the known names otherwise.
Result<FaultType> ParseFaultType(std::string_view name);
bool IsSensorFault(FaultType type);
// The equipment kind (catalog::Asset::kind) a process fault applies to; "" for sensor faults.
std::string_view FaultAssetKind(FaultType type);
// Used when FaultRequest::duration_ns is 0.
int64_t DefaultFaultDurationNs(FaultType type);

struct Episode {
  int64_t id = 0;  // 1, 2, ... in the order episodes were created
  FaultType type = FaultType::kBearingWear;
  std::string asset_path;
  std::vector<std::string> tags;  // paths of the tags that show the fault, root cause first
  std::string root_cause_tag;     // the tag closest to the cause (sensor faults: the tag itself)
  int64_t start_ns = 0;           // UTC ns
  int64_t end_ns = 0;             // UTC ns; planned end, which is also the actual end
  double severity = 0.5;          // 0..1
  bool injected = false;          // false: scheduled by the simulator from its seed
};

// The plant's maintenance records of `asset_path`, as per-asset models want them
// (analytics::live::AssetModelOptions::abnormal): each episode of the asset or of one of its
// tags (its asset is its path up to the last '/') that started by until_ns, from its start to
// settle_ns after its end (a pump restarting after a trip is not yet running normally).
inline constexpr int64_t kFaultSettleNs = int64_t{30} * 60 * 1'000'000'000;
std::vector<std::pair<int64_t, int64_t>> AbnormalRanges(const std::vector<Episode>& episodes,
                                                        std::string_view asset_path, int64_t until_ns,
                                                        int64_t settle_ns = kFaultSettleNs);

struct FaultRequest {
  std::string asset_path;
  FaultType type = FaultType::kSensorStuck;
  // Sensor faults: the tag (required, a float64 or int64 tag of asset_path).
  // Heater failure: optionally the zone temperature tag of the failing heater (default: zone1).
  // Ignored by the other process faults.
  std::string tag_path;
  int64_t start_ns = 0;     // 0: at the simulator's current time; never before it
  int64_t duration_ns = 0;  // 0: DefaultFaultDurationNs(type)
  double severity = 0.5;    // (0, 1]
};

}  // namespace zhizao::connect::sim
