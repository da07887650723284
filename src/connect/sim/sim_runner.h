// Runs a Simulator in real time on a thread of its own and hands what it produces to a sink.
//
// The simulator itself is single-threaded; the runner owns it and lets other threads (the
// HTTP API) read its episodes and inject faults under one lock.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common/batch.h"
#include "common/clock.h"
#include "common/metrics.h"
#include "connect/sim/fault.h"
#include "connect/sim/simulator.h"

namespace zhizao::connect::sim {

// Thread-safe.
class SimRunner {
 public:
  // Receives each tick's samples, on the runner's thread.
  using Sink = std::function<void(Batch&)>;

  // REQUIRES: `clock` and `metrics` outlive the runner.
  SimRunner(std::unique_ptr<Simulator> simulator, const Clock& clock, Sink sink, MetricsRegistry& metrics,
            std::chrono::milliseconds tick = std::chrono::milliseconds(100));
  ~SimRunner();  // Stop()s

  // Starts the thread: from now on, every `tick` the simulator is advanced to the clock's time.
  void Start();
  // Stops the thread after the tick in progress. Idempotent.
  void Stop();

  // The simulator's assets and tags never change after creation.
  const std::vector<catalog::Asset>& assets() const { return simulator_->assets(); }
  const std::vector<catalog::Tag>& tags() const { return simulator_->tags(); }
  double nominal_points_per_second() const { return simulator_->nominal_points_per_second(); }
  // REQUIRES: before Start().
  void BindTagIds(std::vector<TagId> ids) { simulator_->BindTagIds(std::move(ids)); }

  std::vector<Episode> Episodes() const;
  // Injects a fault; start_ns 0 means now. Returns the recorded episode.
  Result<Episode> InjectFault(const FaultRequest& request);

 private:
  void Loop();
  void TickLocked(Batch& batch);

  const Clock& clock_;
  Sink sink_;
  const std::chrono::milliseconds tick_;
  Counter& points_total_;
  Counter& ticks_total_;
  Histogram& tick_seconds_;

  mutable std::mutex mu_;
  std::unique_ptr<Simulator> simulator_;  // GUARDED_BY(mu_) for AdvanceTo, episodes, faults
  bool stop_ = false;                     // GUARDED_BY(mu_)
  std::condition_variable wake_;
  std::thread thread_;
};

}  // namespace zhizao::connect::sim
