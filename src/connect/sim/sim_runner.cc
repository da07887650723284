#include "connect/sim/sim_runner.h"

#include <spdlog/spdlog.h>

namespace zhizao::connect::sim {

SimRunner::SimRunner(std::unique_ptr<Simulator> simulator, const Clock& clock, Sink sink, MetricsRegistry& metrics,
                     std::chrono::milliseconds tick)
    : clock_(clock),
      sink_(std::move(sink)),
      tick_(tick),
      points_total_(metrics.GetCounter("zhizao_sim_points_total", "Samples produced by the plant simulator.")),
      ticks_total_(metrics.GetCounter("zhizao_sim_ticks_total", "Real-time ticks of the plant simulator.")),
      tick_seconds_(metrics.GetHistogram("zhizao_sim_tick_duration_seconds",
                                         "Time to produce and hand over one simulator tick.", LatencyBuckets())),
      simulator_(std::move(simulator)) {
  metrics.AddCallbackGauge("zhizao_sim_episodes", "Fault episodes recorded by the plant simulator.", [this] {
    std::lock_guard lock(mu_);
    return static_cast<double>(simulator_->episodes().size());
  });
}

SimRunner::~SimRunner() { Stop(); }

void SimRunner::Start() { thread_ = std::thread([this] { Loop(); }); }

void SimRunner::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SimRunner::Loop() {
  Batch batch;
  std::unique_lock lock(mu_);
  while (!stop_) {
    auto started = std::chrono::steady_clock::now();
    TickLocked(batch);
    lock.unlock();
    if (!batch.empty()) sink_(batch);
    points_total_.Increment(batch.size());
    ticks_total_.Increment();
    tick_seconds_.Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    lock.lock();
    wake_.wait_until(lock, started + tick_, [this] { return stop_; });
  }
}

void SimRunner::TickLocked(Batch& batch) {
  batch.Clear();
  int64_t now = clock_.NowNs();
  if (now > simulator_->now_ns()) simulator_->AdvanceTo(now, batch);
}

std::vector<Episode> SimRunner::Episodes() const {
  std::lock_guard lock(mu_);
  return simulator_->episodes();
}

Result<Episode> SimRunner::InjectFault(const FaultRequest& request) {
  std::lock_guard lock(mu_);
  ZZ_ASSIGN_OR_RETURN(int64_t id, simulator_->InjectFault(request));
  for (const Episode& e : simulator_->episodes()) {
    if (e.id == id) return e;
  }
  return Status::Internal("injected episode " + std::to_string(id) + " is not recorded");
}

}  // namespace zhizao::connect::sim
