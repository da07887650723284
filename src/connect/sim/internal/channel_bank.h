// Turns the models' true values into samples: Gaussian noise, quantisation to the sensor's
// resolution, saturation at the sensor's span, the tag's period, and sensor faults.
//
// One channel per tag, in the order of Simulator::tags(). Models write true values each
// tick with Set(), or Publish() for event tags (a value per finished part or shot).
// Not thread-safe; owned by the simulator.
#pragma once

#include <cstdint>
#include <vector>

#include "common/batch.h"
#include "connect/sim/internal/rng.h"

namespace zhizao::connect::sim {

class SensorFaults;

struct Channel {
  double value = 0;         // the true physical value, written by the model
  double last_reading = 0;  // what the sensor last reported (a stuck sensor keeps it)
  double noise_sigma = 0;   // in the tag's unit
  double resolution = 0;    // 0: not quantised
  double inv_resolution = 0;
  double lo = 0;  // sensor span: readings saturate at its ends
  double hi = 0;
  int32_t period_ticks = 0;  // 0: an event tag, sampled only after Publish()
  int32_t countdown = 0;
  int32_t sensor_fault = -1;  // index into SensorFaults, -1: healthy
  TagId id = 0;
  DataType type = DataType::kFloat64;
  bool event_pending = false;
  Rng noise;
};

class ChannelBank {
 public:
  // REQUIRES: channel.period_ticks >= 0, channel.lo < channel.hi.
  uint32_t Add(Channel channel);

  void Set(uint32_t index, double value) { channels_[index].value = value; }
  void Publish(uint32_t index, double value) {
    channels_[index].value = value;
    channels_[index].event_pending = true;
  }
  double value(uint32_t index) const { return channels_[index].value; }

  Channel& at(uint32_t index) { return channels_[index]; }
  const Channel& at(uint32_t index) const { return channels_[index]; }
  size_t size() const { return channels_.size(); }

  // Appends every sample due at this tick, in channel order.
  void EmitTick(int64_t ts_ns, SensorFaults& faults, Batch& out);

 private:
  std::vector<Channel> channels_;
};

// The healthy sensor's reading of a true value: noise, quantisation, saturation.
double ReadSensor(Channel& channel, double true_value);
// Appends one reading as a point of the channel's data type.
void AppendReading(const Channel& channel, int64_t ts_ns, double reading, uint32_t status, Batch& out);

}  // namespace zhizao::connect::sim
