#include "connect/sim/internal/fault_scheduler.h"

#include <limits>
#include <optional>
#include <string>

#include "common/clock.h"

namespace zhizao::connect::sim {
namespace {

constexpr FaultType kSensorFaults[] = {FaultType::kSensorStuck, FaultType::kSensorDrift, FaultType::kSensorSpike,
                                       FaultType::kSensorDropout, FaultType::kSensorNoiseBurst};

template <typename T>
const T& Pick(Rng& rng, const std::vector<T>& items) {
  return items[static_cast<size_t>(rng.Uniform() * static_cast<double>(items.size()))];
}

}  // namespace

FaultScheduler::FaultScheduler(uint64_t seed, int unit_index, double faults_per_day, int64_t start_ns,
                               std::vector<FaultTarget*> targets, std::vector<uint32_t> sensor_channels)
    : rng_(seed, "faults/unit" + std::to_string(unit_index)),
      mean_gap_s_(faults_per_day > 0 ? 86400.0 / faults_per_day : 0),
      next_ns_(start_ns),
      targets_(std::move(targets)),
      sensor_channels_(std::move(sensor_channels)) {
  next_ns_ += NextGapNs();
}

int64_t FaultScheduler::NextGapNs() {
  if (mean_gap_s_ == 0) return std::numeric_limits<int64_t>::max() / 2;
  return static_cast<int64_t>(rng_.Exponential(mean_gap_s_) * kNanosPerSecond) + 1;
}

void FaultScheduler::Tick(int64_t t_ns, FaultEngine& engine) {
  while (next_ns_ <= t_ns) {
    const std::optional<PlannedFault> fault = Draw(t_ns);
    if (fault && !engine.Busy(*fault)) engine.Add(*fault);
    next_ns_ += NextGapNs();
  }
}

std::optional<PlannedFault> FaultScheduler::Draw(int64_t start_ns) {
  PlannedFault fault;
  std::vector<FaultTarget*> in_service;
  for (FaultTarget* target : targets_) {
    if (target->in_service) in_service.push_back(target);
  }
  if ((rng_.Bernoulli(0.35) || in_service.empty()) && !sensor_channels_.empty()) {
    fault.type = kSensorFaults[static_cast<size_t>(rng_.Uniform() * std::size(kSensorFaults))];
    fault.channel = Pick(rng_, sensor_channels_);
  } else if (!in_service.empty()) {
    fault.target = Pick(rng_, in_service);
    std::vector<FaultType> applicable;
    for (int t = 0; t < kFaultTypeCount; ++t) {
      if (fault.target->Applies(static_cast<FaultType>(t))) applicable.push_back(static_cast<FaultType>(t));
    }
    fault.type = Pick(rng_, applicable);
    const auto& variants = fault.target->effects[static_cast<size_t>(fault.type)]->variant_tags;
    if (!variants.empty()) fault.variant = static_cast<int>(rng_.Uniform() * static_cast<double>(variants.size()));
  } else {
    return std::nullopt;  // no sensor to fail and no machine running
  }
  fault.severity = rng_.Uniform(0.3, 1.0);
  fault.start_ns = start_ns;
  const double duration_s = static_cast<double>(DefaultFaultDurationNs(fault.type)) / kNanosPerSecond;
  fault.end_ns = start_ns + static_cast<int64_t>(duration_s * rng_.Uniform(0.5, 1.5) * kNanosPerSecond);
  return fault;
}

}  // namespace zhizao::connect::sim
