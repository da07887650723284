// The deterministic plant simulator: a small factory whose signals behave like the real thing,
// with fault episodes recorded as labels for anomaly detection and remaining-useful-life models.
//
// One scale unit is a cooling-water pumping station (three pumps with vibration spectra), a
// CNC machining cell with an in-process gauge, an injection moulding machine, the compressed-
// air system and the site energy meter: 18 assets, 101 tags and about 239.3 points/s
// (kPointsPerSecondPerUnit). `scale` units run side by side under one enterprise, site and its
// four areas; 836 units give >= 200,000 points/s.
//
// Time moves only through AdvanceTo(); there is no wall clock inside. The plant steps on a fixed
// 100 ms tick and every sample falls on a tick, so the stream depends only on the options and the
// injected faults, never on how AdvanceTo() calls are chunked. Random numbers come from named
// streams (one per tag, per machine, per unit's fault schedule), so a unit's data do not change
// when scale grows.
//
// Not thread-safe; owned by one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "catalog/model.h"
#include "common/batch.h"
#include "common/status.h"
#include "connect/sim/fault.h"
#include "connect/sim/machine_state.h"

namespace zhizao::connect::sim {

class ChannelBank;
class FaultEngine;
class FaultScheduler;
class PlantUnit;
class SensorFaults;

struct SimOptions {
  // Seeds every random stream. Default: 1.
  uint64_t seed = 1;
  // Scale units, 1..kMaxScale. Default: 1.
  int scale = 1;
  // The simulation epoch, UTC ns, >= 0. Default: 2024-01-01T00:00:00Z (a Monday).
  int64_t start_ns = 1'704'067'200LL * 1'000'000'000LL;
  // Automatic fault episodes per scale unit per day, random from the seed; 0: only injected
  // faults. Default: 4.
  double faults_per_day = 4;
  // Root asset (ISA-95 enterprise) and site names. Default: "demo", "plant1".
  std::string enterprise = "demo";
  std::string site = "plant1";
  // The plant's local time, for shifts and daily curves, as minutes east of UTC.
  // Default: 480 (China Standard Time).
  int utc_offset_minutes = 480;
};

class Simulator {
 public:
  static constexpr int kMaxScale = 2000;
  static constexpr int64_t kTickNs = 100'000'000;
  static constexpr double kPointsPerSecondPerUnit = 239.34;

  // InvalidArgument for options out of their documented domain.
  static Result<std::unique_ptr<Simulator>> Create(const SimOptions& options);
  ~Simulator();

  // The ISA-95 tree (enterprise/site/area/line/cell/equipment), parents before children, paths
  // set; id and parent_id are 0 (the catalog resolves parents by path).
  const std::vector<catalog::Asset>& assets() const { return assets_; }
  // Every tag, paths under their asset's path; ids as bound by BindTagIds().
  const std::vector<catalog::Tag>& tags() const { return tags_; }

  // ids[i] becomes the TagId of tags()[i] in every point from now on. Until called, tags()[i]
  // has id i + 1. REQUIRES: ids.size() == tags().size().
  void BindTagIds(const std::vector<TagId>& ids);

  // Appends every sample with a timestamp in (now_ns(), until_ns] to out, ordered by time
  // (and by tag order within a tick), then sets now_ns() to until_ns. No-op if
  // until_ns <= now_ns(). Float64 readings carry noise and sensor resolution; int64 tags carry
  // counters and MachineState codes; quality is Good except during sensor faults.
  void AdvanceTo(int64_t until_ns, Batch& out);
  int64_t now_ns() const { return now_ns_; }

  // Schedules a fault and returns its episode id; it takes effect on the first tick at or after
  // its start. InvalidArgument naming the problem for an unknown asset or tag, a fault that
  // does not apply to that kind of asset, a sensor fault without a numeric tag of that asset,
  // a start before now_ns(), a severity outside (0, 1]; FailedPrecondition when the same fault
  // already overlaps at that place.
  Result<int64_t> InjectFault(const FaultRequest& request);

  // Every episode so far, by id: injected ones from injection, scheduled ones from their start.
  const std::vector<Episode>& episodes() const;

  // Points per second the plant emits on average (event tags at their typical rate).
  double nominal_points_per_second() const { return nominal_points_per_second_; }

 private:
  explicit Simulator(const SimOptions& options);
  void Build();
  void Tick(int64_t t_ns, Batch& out);

  SimOptions options_;
  std::vector<catalog::Asset> assets_;
  std::vector<catalog::Tag> tags_;
  std::vector<std::string> tag_asset_paths_;
  std::unique_ptr<ChannelBank> bank_;
  std::unique_ptr<SensorFaults> sensor_faults_;
  std::vector<std::unique_ptr<PlantUnit>> units_;
  std::unique_ptr<FaultEngine> fault_engine_;
  std::vector<std::unique_ptr<FaultScheduler>> schedulers_;
  int64_t now_ns_;
  int64_t next_tick_ns_;
  double nominal_points_per_second_ = 0;
};

}  // namespace zhizao::connect::sim
