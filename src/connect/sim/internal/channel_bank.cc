#include "connect/sim/internal/channel_bank.h"

#include <algorithm>
#include <cmath>

#include "common/check.h"
#include "connect/sim/internal/sensor_faults.h"

namespace zhizao::connect::sim {

uint32_t ChannelBank::Add(Channel channel) {
  ZZ_CHECK(channel.period_ticks >= 0 && channel.lo < channel.hi, "a channel needs a period and a span");
  channel.inv_resolution = channel.resolution > 0 ? 1.0 / channel.resolution : 0;
  // The first sample of a periodic tag falls one period after the start, on a whole period.
  channel.countdown = channel.period_ticks;
  channel.last_reading = channel.value;
  channels_.push_back(channel);
  return static_cast<uint32_t>(channels_.size() - 1);
}

void ChannelBank::EmitTick(int64_t ts_ns, SensorFaults& faults, Batch& out) {
  for (Channel& c : channels_) {
    if (c.period_ticks == 0) {
      if (!c.event_pending) continue;
      c.event_pending = false;
    } else if (--c.countdown > 0) {
      continue;
    } else {
      c.countdown = c.period_ticks;
    }
    if (c.sensor_fault >= 0) {
      faults.Emit(c, ts_ns, out);
      continue;
    }
    c.last_reading = ReadSensor(c, c.value);
    AppendReading(c, ts_ns, c.last_reading, status_codes::kGood, out);
  }
}

double ReadSensor(Channel& channel, double true_value) {
  double reading = true_value;
  if (channel.noise_sigma > 0) reading += channel.noise_sigma * channel.noise.Gaussian();
  if (channel.resolution > 0) {
    // Adding +0.0 turns a rounded -0.0 into 0.0, which charts and exports print cleanly.
    reading = std::nearbyint(reading * channel.inv_resolution) * channel.resolution + 0.0;
  }
  return std::clamp(reading, channel.lo, channel.hi);
}

void AppendReading(const Channel& channel, int64_t ts_ns, double reading, uint32_t status, Batch& out) {
  switch (channel.type) {
    case DataType::kInt64:
      out.points.push_back({channel.id, status, ts_ns, Value::Int64(std::llround(reading))});
      return;
    case DataType::kBool:
      out.points.push_back({channel.id, status, ts_ns, Value::Bool(reading >= 0.5)});
      return;
    case DataType::kFloat64:
    case DataType::kString:  // the simulator declares no string tags
      out.points.push_back({channel.id, status, ts_ns, Value::Float64(reading)});
      return;
  }
}

}  // namespace zhizao::connect::sim
