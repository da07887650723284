#include "api/job_runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

namespace zhizao::api {

std::string_view JobStateName(JobState state) {
  switch (state) {
    case JobState::kQueued: return "queued";
    case JobState::kRunning: return "running";
    case JobState::kSucceeded: return "succeeded";
    case JobState::kFailed: return "failed";
    case JobState::kCancelled: return "cancelled";
  }
  return "unknown";
}

JobRunner::JobRunner(JobRunnerOptions options)
    : options_(options), clock_(options.clock != nullptr ? *options.clock : SystemClock::Instance()) {
  // Ids go on from the start time in milliseconds, not from 1: a client that polls a job across
  // a restart gets 404, never another job that took its number.
  next_id_ = std::max<uint64_t>(1, static_cast<uint64_t>(std::max<int64_t>(0, clock_.NowNs() / kNanosPerMilli)));
  thread_ = std::thread([this] { Run(); });
}

JobRunner::~JobRunner() { Stop(); }

Result<uint64_t> JobRunner::Submit(std::string kind, std::string subject, std::string submitted_by, Work work) {
  std::lock_guard lock(mu_);
  if (stopping_) return Status::Unavailable("the server is stopping");
  if (queued_ >= options_.max_queued) {
    return Status::ResourceExhausted(std::to_string(queued_) + " jobs wait already; try again when one finished");
  }
  Entry entry;
  entry.job.id = next_id_++;
  entry.job.kind = std::move(kind);
  entry.job.subject = std::move(subject);
  entry.job.submitted_by = std::move(submitted_by);
  entry.job.submitted_ns = clock_.NowNs();
  entry.work = std::move(work);
  jobs_.push_back(std::move(entry));
  ++queued_;
  changed_.notify_all();
  return jobs_.back().job.id;
}

JobRunner::Entry* JobRunner::FindLocked(uint64_t id) {
  auto it = std::lower_bound(jobs_.begin(), jobs_.end(), id, [](const Entry& e, uint64_t v) { return e.job.id < v; });
  return it != jobs_.end() && it->job.id == id ? &*it : nullptr;
}

const JobRunner::Entry* JobRunner::FindLocked(uint64_t id) const {
  return const_cast<JobRunner*>(this)->FindLocked(id);
}

std::optional<Job> JobRunner::Get(uint64_t id) const {
  std::lock_guard lock(mu_);
  const Entry* entry = FindLocked(id);
  if (entry == nullptr) return std::nullopt;
  return entry->job;
}

std::optional<Job> JobRunner::WaitFor(uint64_t id, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  changed_.wait_for(lock, timeout, [&] {
    const Entry* entry = FindLocked(id);
    return entry == nullptr || entry->job.finished();
  });
  const Entry* entry = FindLocked(id);
  if (entry == nullptr) return std::nullopt;
  return entry->job;
}

std::vector<Job> JobRunner::List() const {
  std::lock_guard lock(mu_);
  std::vector<Job> out;
  out.reserve(jobs_.size());
  for (auto it = jobs_.rbegin(); it != jobs_.rend(); ++it) out.push_back(it->job);
  return out;
}

void JobRunner::ForgetOldLocked() {
  size_t finished = std::count_if(jobs_.begin(), jobs_.end(), [](const Entry& e) { return e.job.finished(); });
  for (auto it = jobs_.begin(); it != jobs_.end() && finished > options_.max_kept;) {
    if (it->job.finished()) {
      it = jobs_.erase(it);
      --finished;
    } else {
      ++it;
    }
  }
}

// A request's handler that throws answers 500 (Router::Dispatch); a job that throws fails the
// same way, instead of ending the thread and with it the server.
Result<JobOutput> JobRunner::Perform(const Work& work) {
  try {
    return work();
  } catch (const std::exception& e) {
    return Status::Internal(std::string("the job failed unexpectedly: ") + e.what());
  }
}

void JobRunner::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    changed_.wait(lock, [&] { return stopping_ || queued_ > 0; });
    if (stopping_) return;
    auto next = std::find_if(jobs_.begin(), jobs_.end(), [](const Entry& e) { return e.job.state == JobState::kQueued; });
    const uint64_t id = next->job.id;
    Work work = std::move(next->work);
    next->work = nullptr;
    next->job.state = JobState::kRunning;
    next->job.started_ns = clock_.NowNs();
    --queued_;
    lock.unlock();
    Result<JobOutput> output = Perform(work);
    lock.lock();
    // Only this thread erases running jobs (ForgetOldLocked keeps them): the entry is there.
    Entry& entry = *FindLocked(id);
    entry.job.finished_ns = clock_.NowNs();
    if (output.ok()) {
      entry.job.state = JobState::kSucceeded;
      entry.job.output = std::move(output).value();
    } else {
      entry.job.state = JobState::kFailed;
      entry.job.error = output.status();
      spdlog::info("job {} ({} {}) failed: {}", id, entry.job.kind, entry.job.subject, entry.job.error.ToString());
    }
    ForgetOldLocked();
    changed_.notify_all();
  }
}

void JobRunner::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    for (Entry& entry : jobs_) {
      if (entry.job.state != JobState::kQueued) continue;
      entry.job.state = JobState::kCancelled;
      entry.job.finished_ns = clock_.NowNs();
      entry.job.error = Status::Unavailable("cancelled: the server stopped before the job started");
      entry.work = nullptr;
    }
    queued_ = 0;
    changed_.notify_all();
    for (const Entry& entry : jobs_) {
      if (entry.job.state == JobState::kRunning) {
        spdlog::info("waiting for job {} ({} {}) to finish", entry.job.id, entry.job.kind, entry.job.subject);
      }
    }
  }
  if (thread_.joinable()) thread_.join();
}

}  // namespace zhizao::api
