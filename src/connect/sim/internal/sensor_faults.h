// Active sensor faults: what a faulty transmitter reports instead of the healthy reading.
//
// At most one sensor fault per channel. Each fault draws from its own random stream, so a
// sensor fault never shifts the noise of healthy tags. Not thread-safe; owned by the simulator.
#pragma once

#include <cstdint>
#include <vector>

#include "common/batch.h"
#include "connect/sim/fault.h"
#include "connect/sim/internal/channel_bank.h"
#include "connect/sim/internal/rng.h"

namespace zhizao::connect::sim {

class SensorFaults {
 public:
  explicit SensorFaults(ChannelBank& bank) : bank_(bank) {}

  // REQUIRES: IsSensorFault(type), !Has(channel), start_ns < end_ns.
  void Start(uint32_t channel, FaultType type, double severity, int64_t start_ns, int64_t end_ns, Rng rng);
  // No-op when the channel has no fault.
  void Stop(uint32_t channel);
  bool Has(uint32_t channel) const { return bank_.at(channel).sensor_fault >= 0; }

  // Emits what the faulty sensor of `channel` reports at ts_ns (possibly nothing).
  // REQUIRES: channel.sensor_fault indexes an active fault.
  void Emit(Channel& channel, int64_t ts_ns, Batch& out);

 private:
  struct Active {
    uint32_t channel = 0;
    FaultType type = FaultType::kSensorStuck;
    double severity = 0;
    int64_t start_ns = 0;
    int64_t end_ns = 0;
    double held_reading = 0;  // stuck sensors
    double direction = 1;     // drift and spikes: +1 or -1
    Rng rng;
  };

  double FaultyReading(Active& fault, Channel& channel, int64_t ts_ns);

  ChannelBank& bank_;
  std::vector<Active> active_;
};

}  // namespace zhizao::connect::sim
