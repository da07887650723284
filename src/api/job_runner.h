// Background jobs of the API: requests that take minutes (training a model) run here, one at a
// time on a thread of their own, so that they never hold an HTTP worker (the workers also serve
// /write and the console). A request submits its work and may wait a little for it; a client
// that is not answered in time polls GET /api/v1/jobs/{id}.
//
// Jobs are kept in memory: after a restart their records are gone, and a job that had not
// finished left nothing behind (training stores its version in one transaction at its end).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/status.h"

namespace zhizao::api {

// What a job produced: the body of the answer the request would have given (a JSON document),
// and the address of the resource it made.
struct JobOutput {
  std::string json;
  std::string location;
};

enum class JobState { kQueued, kRunning, kSucceeded, kFailed, kCancelled };
std::string_view JobStateName(JobState state);  // "queued", "running", ...

struct Job {
  uint64_t id = 0;
  std::string kind;     // "train"
  std::string subject;  // what it works on: a model id
  std::string submitted_by;
  JobState state = JobState::kQueued;
  int64_t submitted_ns = 0, started_ns = 0, finished_ns = 0;  // 0 until then
  JobOutput output;  // when succeeded
  Status error;      // when failed or cancelled

  bool finished() const { return state != JobState::kQueued && state != JobState::kRunning; }
};

struct JobRunnerOptions {
  size_t max_queued = 4;  // waiting, not counting the running job; Submit refuses beyond
  size_t max_kept = 100;  // finished jobs remembered, the oldest forgotten first
  const Clock* clock = nullptr;  // default: the system clock
};

class JobRunner {
 public:
  using Work = std::function<Result<JobOutput>()>;

  explicit JobRunner(JobRunnerOptions options = {});
  ~JobRunner();  // Stop()
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // Queues `work`; returns the job's id (increasing, and greater than any id given before the
  // runner started: they begin at the start time in ms). ResourceExhausted when max_queued jobs wait already,
  // Unavailable after Stop(). Thread-safe.
  Result<uint64_t> Submit(std::string kind, std::string subject, std::string submitted_by, Work work);

  // The job's record, or nullopt for an id never given or forgotten. Thread-safe.
  std::optional<Job> Get(uint64_t id) const;
  // Get(), after waiting until the job finished or `timeout` passed. Thread-safe.
  std::optional<Job> WaitFor(uint64_t id, std::chrono::milliseconds timeout) const;
  // Every job remembered, newest first. Thread-safe.
  std::vector<Job> List() const;

  // Lets the running job finish (work cannot be interrupted) and cancels the queued ones.
  // Idempotent.
  void Stop();

 private:
  struct Entry {
    Job job;
    Work work;  // emptied once run
  };

  void Run();
  static Result<JobOutput> Perform(const Work& work);
  Entry* FindLocked(uint64_t id);
  const Entry* FindLocked(uint64_t id) const;
  void ForgetOldLocked();

  const JobRunnerOptions options_;
  const Clock& clock_;

  mutable std::mutex mu_;  // guards everything below
  mutable std::condition_variable changed_;  // a job was queued or finished, or Stop()
  std::deque<Entry> jobs_;  // by id, oldest first: finished, running and queued alike
  uint64_t next_id_;
  size_t queued_ = 0;
  bool stopping_ = false;
  std::thread thread_;  // started last, after the state it reads
};

}  // namespace zhizao::api
