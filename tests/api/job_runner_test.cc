// Background jobs: one at a time, in order, bounded, remembered for a while; what a request
// that started one answers (RFC 7240's Prefer); and the job's JSON.
#include "api/job_runner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <new>
#include <nlohmann/json.hpp>

#include "api/job_http.h"
#include "api/prefer.h"
#include "api_test_env.h"

namespace zhizao::api {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// Work that runs until released, so that a test decides when the running job finishes.
class Gate {
 public:
  JobRunner::Work Holding(Result<JobOutput> outcome) {
    return [this, outcome = std::move(outcome)] {
      started_.fetch_add(1);
      released_.get_future().wait();
      return outcome;
    };
  }
  void Release() { released_.set_value(); }
  int started() const { return started_.load(); }

 private:
  std::atomic<int> started_{0};
  std::promise<void> released_;
};

JobRunner::Work Succeeding(std::string json_text) {
  return [json_text] { return Result<JobOutput>(JobOutput{json_text, "/api/v1/models/m/versions/1"}); };
}

TEST(JobRunnerTest, RunsJobsOneAtATimeInOrderAndRemembersHowTheyEnded) {
  ManualClock clock(1000);
  JobRunner jobs({.clock = &clock});  // ids start at the clock's milliseconds: 0, then 1 at least
  Gate gate;
  const uint64_t first = jobs.Submit("train", "a", "alice", gate.Holding(JobOutput{R"({"version":1})", "/x/1"})).value();
  const uint64_t second =
      jobs.Submit("train", "b", "bob", [] { return Result<JobOutput>(Status::OutOfRange("too few rows")); }).value();
  EXPECT_EQ(second, first + 1);
  while (gate.started() == 0) std::this_thread::yield();
  EXPECT_EQ(jobs.Get(first)->state, JobState::kRunning);
  EXPECT_EQ(jobs.Get(second)->state, JobState::kQueued) << "the second waits for the first";
  EXPECT_EQ(jobs.WaitFor(second, 20ms)->state, JobState::kQueued) << "a wait that times out returns the job as it is";

  gate.Release();
  const std::optional<Job> b = jobs.WaitFor(second, 10s);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->state, JobState::kFailed);
  EXPECT_EQ(b->error.code(), StatusCode::kOutOfRange);
  EXPECT_EQ(b->submitted_by, "bob");
  const Job a = *jobs.Get(first);
  EXPECT_EQ(a.state, JobState::kSucceeded);
  EXPECT_EQ(a.output.location, "/x/1");
  EXPECT_EQ(a.submitted_ns, 1000);
  EXPECT_EQ(a.finished_ns, 1000);

  const std::vector<Job> listed = jobs.List();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, second) << "newest first";
  EXPECT_FALSE(jobs.Get(second + 1).has_value());
  EXPECT_FALSE(jobs.Get(0).has_value());
}

TEST(JobRunnerTest, AJobThatThrowsFailsAndTheRunnerGoesOn) {
  ManualClock clock(int64_t{1'764'460'800'123} * 1'000'000);
  JobRunner jobs({.clock = &clock});
  const uint64_t thrower = jobs.Submit("train", "t", "", []() -> Result<JobOutput> { throw std::bad_alloc(); }).value();
  EXPECT_EQ(thrower, 1'764'460'800'123u) << "ids begin at the start time in ms: a restart does not reuse them";
  const std::optional<Job> failed = jobs.WaitFor(thrower, 10s);
  ASSERT_TRUE(failed.has_value());
  EXPECT_EQ(failed->state, JobState::kFailed);
  EXPECT_EQ(failed->error.code(), StatusCode::kInternal);
  const uint64_t next = jobs.Submit("train", "n", "", Succeeding("{}")).value();
  EXPECT_EQ(jobs.WaitFor(next, 10s)->state, JobState::kSucceeded);
}

TEST(JobRunnerTest, RefusesBeyondItsQueueAndForgetsTheOldestFinishedJobs) {
  JobRunner jobs({.max_queued = 2, .max_kept = 3});
  Gate gate;
  const uint64_t running = jobs.Submit("train", "r", "", gate.Holding(JobOutput{"{}", ""})).value();
  while (gate.started() == 0) std::this_thread::yield();
  ASSERT_TRUE(jobs.Submit("train", "q1", "", Succeeding("{}")).ok());
  ASSERT_TRUE(jobs.Submit("train", "q2", "", Succeeding("{}")).ok());
  Result<uint64_t> refused = jobs.Submit("train", "q3", "", Succeeding("{}"));
  EXPECT_EQ(refused.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(refused.status().message().find("2 jobs wait already"), std::string::npos) << refused.status().message();
  gate.Release();

  uint64_t last = 0;
  for (int i = 0; i < 3; ++i) {
    Result<uint64_t> id = jobs.Submit("train", "more", "", Succeeding("{}"));
    for (; !id.ok(); id = jobs.Submit("train", "more", "", Succeeding("{}"))) std::this_thread::sleep_for(1ms);
    last = *id;
  }
  ASSERT_EQ(jobs.WaitFor(last, 10s)->state, JobState::kSucceeded);
  const std::vector<Job> kept = jobs.List();
  ASSERT_EQ(kept.size(), 3u) << "the 3 newest finished jobs are kept";
  EXPECT_EQ(kept[0].id, last);
  EXPECT_FALSE(jobs.Get(running).has_value()) << "the oldest finished are forgotten";
}

TEST(JobRunnerTest, StoppingLetsTheRunningJobFinishAndCancelsTheQueuedOnes) {
  auto jobs = std::make_unique<JobRunner>();
  Gate gate;
  const uint64_t running = jobs->Submit("train", "r", "", gate.Holding(JobOutput{"{}", "/r"})).value();
  std::atomic<bool> queued_ran{false};
  const uint64_t queued = jobs->Submit("train", "q", "", [&] {
                                 queued_ran = true;
                                 return Result<JobOutput>(JobOutput{});
                               }).value();
  while (gate.started() == 0) std::this_thread::yield();
  std::thread stopper([&] { jobs->Stop(); });
  while (jobs->Get(queued)->state == JobState::kQueued) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(jobs->Get(queued)->state, JobState::kCancelled);
  EXPECT_EQ(jobs->Get(queued)->error.code(), StatusCode::kUnavailable);
  EXPECT_EQ(jobs->Submit("train", "late", "", Succeeding("{}")).status().code(), StatusCode::kUnavailable);
  gate.Release();
  stopper.join();
  EXPECT_EQ(jobs->Get(running)->state, JobState::kSucceeded) << "work cannot be interrupted: it finishes";
  EXPECT_FALSE(queued_ran);
}

HttpRequest WithPrefer(std::vector<std::string> values) {
  HttpRequest request;
  for (std::string& v : values) request.headers.emplace_back("prefer", std::move(v));
  return request;
}

TEST(PreferTest, ReadsRespondAsyncAndWaitAsRfc7240Says) {
  EXPECT_EQ(PreferenceOf(HttpRequest{}).wait, 5s) << "no header: the default wait";
  EXPECT_FALSE(PreferenceOf(HttpRequest{}).respond_async);
  Preference async = PreferenceOf(WithPrefer({"respond-async"}));
  EXPECT_TRUE(async.respond_async);
  EXPECT_EQ(async.wait, 0s) << "respond-async alone: answer at once";
  Preference both = PreferenceOf(WithPrefer({"Respond-Async; foo=bar , wait=12"}));
  EXPECT_TRUE(both.respond_async);
  EXPECT_EQ(both.wait, 12s) << "with a wait, after it at the latest";
  EXPECT_EQ(PreferenceOf(WithPrefer({"return=minimal", "wait=\"3\""})).wait, 3s) << "several headers, a quoted value";
  EXPECT_EQ(PreferenceOf(WithPrefer({"wait=2, wait=20"})).wait, 2s) << "the first wait counts";
  EXPECT_EQ(PreferenceOf(WithPrefer({"wait=86400"})).wait, kMaxPreferredWait) << "a long wait is cut";
  for (const char* bad : {"wait=", "wait=-1", "wait=1.5", "wait=9999999999999999999999", "wait", ",,;;=", ""}) {
    EXPECT_EQ(PreferenceOf(WithPrefer({bad})).wait, 5s) << "ignored: '" << bad << "'";
  }
}

TEST(JobAnswerTest, AFinishedJobAnswersAsTheRequestWouldHaveAndAnUnfinishedOne202) {
  Job job;
  job.id = 7;
  job.kind = "train";
  job.subject = "m";
  job.submitted_ns = 1'000'000'000;
  job.state = JobState::kRunning;
  job.started_ns = 2'000'000'000;
  HttpResponse pending = JobAnswer(7, job, Preference{.respond_async = true});
  EXPECT_EQ(pending.status, 202);
  ASSERT_EQ(pending.headers.size(), 2u);
  EXPECT_EQ(pending.headers[0], (std::pair<std::string, std::string>{"Location", "/api/v1/jobs/7"}));
  EXPECT_EQ(pending.headers[1].first, "Preference-Applied");
  json body = json::parse(pending.body);
  EXPECT_EQ(body["state"], "running");
  EXPECT_EQ(body["started_at"], "1970-01-01T00:00:02Z");
  EXPECT_TRUE(body["finished_at"].is_null());
  EXPECT_TRUE(body["result"].is_null());

  job.state = JobState::kSucceeded;
  job.finished_ns = 3'000'000'000;
  job.output = {R"({"version":1})", "/api/v1/models/m/versions/1"};
  HttpResponse done = JobAnswer(7, job, Preference{});
  EXPECT_EQ(done.status, 201);
  EXPECT_EQ(done.body, job.output.json);
  EXPECT_EQ(done.headers.at(0).second, "/api/v1/models/m/versions/1");
  body = JobToJson(job);
  EXPECT_EQ(body["result"]["version"], 1);
  EXPECT_EQ(body["location"], "/api/v1/models/m/versions/1");

  job.state = JobState::kFailed;
  job.error = Status::OutOfRange("too few rows");
  HttpResponse refused = JobAnswer(7, job, Preference{});
  EXPECT_EQ(refused.status, 422);
  EXPECT_NE(refused.body.find("too few rows"), std::string::npos);
  body = JobToJson(job);
  EXPECT_EQ(body["error"]["status"], 422);
  EXPECT_EQ(body["error"]["code"], "out_of_range");

  EXPECT_EQ(JobAnswer(7, std::nullopt, Preference{}).status, 404);
}

class JobRoutesTest : public testing::ApiTest {};

TEST_F(JobRoutesTest, AJobNeverGivenOrNotANumberIs404AndTheListStartsEmpty) {
  const HttpResponse list = Send("GET", "/api/v1/jobs");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(Documented("get", "/api/v1/jobs", list)["jobs"].empty());
  for (const char* id : {"123", "0", "-1", "abc", "99999999999999999999999"}) {
    const HttpResponse r = Send("GET", std::string("/api/v1/jobs/") + id);
    EXPECT_EQ(r.status, 404) << id << ": " << r.body;
    EXPECT_NE(r.body.find("no job '" + std::string(id) + "'"), std::string::npos) << r.body;
    Documented("get", "/api/v1/jobs/{id}", r);
  }
}

}  // namespace
}  // namespace zhizao::api
