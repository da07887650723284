#include "connect/sim/internal/sensor_faults.h"

#include <algorithm>

#include "common/check.h"

namespace zhizao::connect::sim {

void SensorFaults::Start(uint32_t channel, FaultType type, double severity, int64_t start_ns, int64_t end_ns, Rng rng) {
  ZZ_CHECK(IsSensorFault(type) && !Has(channel) && start_ns < end_ns, "a sensor fault needs a free channel");
  Active fault{channel, type, severity, start_ns, end_ns, bank_.at(channel).last_reading, 1.0, rng};
  fault.direction = fault.rng.Bernoulli(0.5) ? 1.0 : -1.0;
  bank_.at(channel).sensor_fault = static_cast<int32_t>(active_.size());
  active_.push_back(fault);
}

void SensorFaults::Stop(uint32_t channel) {
  const int32_t index = bank_.at(channel).sensor_fault;
  if (index < 0) return;
  bank_.at(channel).sensor_fault = -1;
  if (static_cast<size_t>(index) != active_.size() - 1) {
    active_[index] = active_.back();
    bank_.at(active_[index].channel).sensor_fault = index;
  }
  active_.pop_back();
}

void SensorFaults::Emit(Channel& channel, int64_t ts_ns, Batch& out) {
  Active& fault = active_[channel.sensor_fault];
  if (fault.type == FaultType::kSensorDropout) {
    // A lost link sends nothing; a failed transmitter reads its wire-break value with bad quality.
    if (fault.severity >= 0.5) AppendReading(channel, ts_ns, channel.lo, status_codes::kBadSensorFailure, out);
    return;
  }
  channel.last_reading = FaultyReading(fault, channel, ts_ns);
  AppendReading(channel, ts_ns, channel.last_reading, status_codes::kGood, out);
}

double SensorFaults::FaultyReading(Active& fault, Channel& channel, int64_t ts_ns) {
  const double span = channel.hi - channel.lo;
  switch (fault.type) {
    case FaultType::kSensorStuck:
      return fault.held_reading;
    case FaultType::kSensorDrift: {
      const double progress =
          static_cast<double>(ts_ns - fault.start_ns) / static_cast<double>(fault.end_ns - fault.start_ns);
      const double offset = fault.direction * 0.3 * span * fault.severity * std::clamp(progress, 0.0, 1.0);
      return ReadSensor(channel, channel.value + offset);
    }
    case FaultType::kSensorSpike: {
      double reading = ReadSensor(channel, channel.value);
      if (fault.rng.Bernoulli(0.01 + 0.05 * fault.severity)) {
        const double sign = fault.rng.Bernoulli(0.7) ? fault.direction : -fault.direction;
        reading += sign * span * fault.severity * fault.rng.Uniform(0.2, 0.6);
      }
      return std::clamp(reading, channel.lo, channel.hi);
    }
    case FaultType::kSensorNoiseBurst:
      return ReadSensor(channel, channel.value + 0.03 * span * fault.severity * fault.rng.Gaussian());
    default:
      return ReadSensor(channel, channel.value);
  }
}

}  // namespace zhizao::connect::sim
