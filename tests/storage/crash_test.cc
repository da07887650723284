// kill -9 during ingest: with fsync = always, every point whose Append returned Ok is there
// after a restart. Each round forks a writer, kills it at a random moment, then forks a
// verifier. The parent never opens the engine itself, so that it has no RocksDB threads when
// it forks. Rounds: 50 by default; ZZ_CRASH_ROUNDS=1000 for the long run (docs/durability.md).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <thread>
#include <vector>

#include "storage/engine.h"

namespace zhizao::storage {
namespace {

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kBase = int64_t{1'767'225'600} * kSecond;  // 2026-01-01T00:00:00Z
constexpr TagId kTags = 3;
constexpr int kPointsPerBatch = 50;

// Options under which every write to the chunk store is a table file ingested into RocksDB,
// not a batch (ChunkStoreOptions::table_file_min_bytes): the tests kill both kinds of write.
EngineOptions WithTableFiles(bool table_files, EngineOptions options = {}) {
  if (table_files) options.table_file_min_bytes = 0;
  return options;
}

std::unique_ptr<Engine> OpenEngine(const std::string& dir, EngineOptions options = {},
                                   MetricsRegistry* metrics = new MetricsRegistry()) {  // lives as long as the child
  options.dir = dir;
  options.fsync = FsyncPolicy::kAlways;
  if (options.chunk_max_samples == EngineOptions().chunk_max_samples) options.chunk_max_samples = 300;
  options.metrics = metrics;
  auto engine = Engine::Open(options);
  if (!engine.ok()) {
    std::fprintf(stderr, "cannot open: %s\n", engine.status().ToString().c_str());
    _exit(3);
  }
  return std::move(engine).value();
}

// Appends batches forever, writing the last acknowledged second to `acks` after each one.
[[noreturn]] void RunWriter(const std::string& dir, bool table_files, int acks) {
  auto engine = OpenEngine(dir, WithTableFiles(table_files));
  auto last = engine->Last(1);
  int64_t next = last.ok() && last->has_value() ? ((*last)->ts_ns - kBase) / kSecond + 1 : 0;
  for (int batch_number = 0;; ++batch_number) {
    Batch batch;
    for (int i = 0; i < kPointsPerBatch; ++i) {
      for (TagId tag = 1; tag <= kTags; ++tag) batch.AddInt64(tag, kBase + (next + i) * kSecond, next + i);
    }
    if (!engine->Append(batch).ok()) _exit(4);
    next += kPointsPerBatch;
    int64_t acked = next - 1;
    if (write(acks, &acked, sizeof(acked)) != sizeof(acked)) _exit(5);
    if (batch_number % 20 == 19 && !engine->Flush().ok()) _exit(6);
  }
}

// Exits 0 when every tag holds exactly the seconds 0..n-1 for some n > acked.
[[noreturn]] void RunVerifier(const std::string& dir, int64_t acked) {
  auto engine = OpenEngine(dir);
  for (TagId tag = 1; tag <= kTags; ++tag) {
    SeriesSamples s;
    if (!engine->Read(tag, INT64_MIN, INT64_MAX, &s).ok()) _exit(10);
    if (static_cast<int64_t>(s.size()) <= acked) {
      std::fprintf(stderr, "tag %u holds %zu points, %lld acknowledged\n", tag, s.size(),
                   static_cast<long long>(acked + 1));
      _exit(11);
    }
    for (size_t i = 0; i < s.size(); ++i) {
      if (s.ts_ns[i] != kBase + static_cast<int64_t>(i) * kSecond || s.i64[i] != static_cast<int64_t>(i)) {
        std::fprintf(stderr, "tag %u: point %zu is wrong\n", tag, i);
        _exit(12);
      }
    }
  }
  engine.reset();
  _exit(0);
}

// Blocks until the writer acknowledges a batch (or exits).
int64_t AwaitAck(int fd, int64_t acked) {
  int64_t value = 0;
  return read(fd, &value, sizeof(value)) == sizeof(value) ? std::max(acked, value) : acked;
}

int64_t DrainAcks(int fd, int64_t acked) {
  int64_t value = 0;
  while (read(fd, &value, sizeof(value)) == sizeof(value)) acked = std::max(acked, value);
  return acked;
}

// Forks a child that runs `run` (which must _exit) and waits for it: its exit code, or -1 when
// a signal ended it (-2 when it could not be forked or waited for).
template <typename Run>
int ExitCodeOfChild(Run run) {
  pid_t child = fork();
  if (child == 0) run();
  int status = 0;
  if (child < 0 || waitpid(child, &status, 0) != child) return -2;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Kills `child` and reaps it; its exit code when it had ended by itself before, else -1.
int KillAndReap(pid_t child) {
  kill(child, SIGKILL);
  int status = 0;
  if (waitpid(child, &status, 0) != child) return -2;
  return WIFSIGNALED(status) ? -1 : WEXITSTATUS(status);
}

TEST(CrashTest, KillNineNeverLosesAnAcknowledgedPoint) {
  const char* env = std::getenv("ZZ_CRASH_ROUNDS");
  const int rounds = env != nullptr ? std::atoi(env) : 50;
  std::string dir = (std::filesystem::temp_directory_path() / ("zz-crash-" + std::to_string(getpid()))).string();
  std::filesystem::remove_all(dir);
  std::mt19937 rng(42);
  int64_t acked = -1;
  for (int round = 0; round < rounds; ++round) {
    int pipe_fds[2];
    ASSERT_EQ(pipe(pipe_fds), 0);
    pid_t writer = fork();
    ASSERT_GE(writer, 0);
    if (writer == 0) {
      close(pipe_fds[0]);
      RunWriter(dir, /*table_files=*/round % 4 >= 2, pipe_fds[1]);
    }
    close(pipe_fds[1]);
    // Real time is the point here: the kill must land at an arbitrary moment of the write path.
    // Every other round first waits for the writer's first acknowledgement, so that writes get
    // through however slowly the engine opens (an ASan build on a loaded host); the others may
    // also land in the open and the WAL's replay.
    const bool after_first_ack = round % 2 == 1;
    if (after_first_ack) acked = AwaitAck(pipe_fds[0], acked);
    std::this_thread::sleep_for(std::chrono::milliseconds((after_first_ack ? 0 : 20) + rng() % 150));
    const int writer_exit = KillAndReap(writer);
    ASSERT_EQ(writer_exit, -1) << "the writer failed by itself in round " << round;
    acked = DrainAcks(pipe_fds[0], acked);
    close(pipe_fds[0]);
    const int verifier_exit = ExitCodeOfChild([&] { RunVerifier(dir, acked); });
    ASSERT_EQ(verifier_exit, 0) << "round " << round << ": acknowledged points lost or damaged";
  }
  // Every round that waited for an acknowledgement got a batch through, at least.
  EXPECT_GE(acked + 1, int64_t{rounds / 2} * kPointsPerBatch) << "too few batches acknowledged: " << acked + 1;
  RecordProperty("acknowledged_points_per_tag", std::to_string(acked + 1));
  std::filesystem::remove_all(dir);
}

// Rewrites and late samples, with checkpoints between them, then a crash: the replay must give
// every timestamp its last written value, as a reference model says.
class LastWriteWinsTest : public testing::TestWithParam<bool> {};

TEST_P(LastWriteWinsTest, AfterACrashWithLateAndRepeatedSamples) {
  std::string dir =
      (std::filesystem::temp_directory_path() / ("zz-crash-lww-" + std::to_string(getpid()))).string();
  std::filesystem::remove_all(dir);
  const bool table_files = GetParam();
  auto writes = [](int round, std::mt19937_64& rng, Batch& b, std::map<int64_t, int64_t>& model) {
    for (int i = 0; i < 40; ++i) {
      int64_t ts = kBase + static_cast<int64_t>(rng() % 300) * kSecond;
      int64_t v = round * 1000 + i;
      b.AddInt64(1, ts, v);
      model[ts] = v;
    }
  };
  const int writer_exit = ExitCodeOfChild([&] {
    auto engine = OpenEngine(dir, WithTableFiles(table_files));
    std::mt19937_64 rng(99);
    std::map<int64_t, int64_t> unused;
    for (int round = 0; round < 60; ++round) {
      Batch b;
      writes(round, rng, b, unused);
      if (!engine->Append(b).ok()) _exit(4);
      if (round % 9 == 4 && !engine->Flush().ok()) _exit(6);
    }
    _exit(0);  // no Close: the WAL since the last checkpoint must be replayed
  });
  ASSERT_EQ(writer_exit, 0);
  std::mt19937_64 rng(99);
  std::map<int64_t, int64_t> model;
  for (int round = 0; round < 60; ++round) {
    Batch unused;
    writes(round, rng, unused, model);
  }
  const int verifier_exit = ExitCodeOfChild([&] {
    auto engine = OpenEngine(dir, WithTableFiles(table_files));
    SeriesSamples s;
    if (!engine->Read(1, INT64_MIN, INT64_MAX, &s).ok() || s.size() != model.size()) _exit(10);
    size_t i = 0;
    for (const auto& [ts, v] : model) {
      if (s.ts_ns[i] != ts || s.i64[i] != v) _exit(11);
      ++i;
    }
    _exit(0);
  });
  EXPECT_EQ(verifier_exit, 0);
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(CrashTest, LastWriteWinsTest, testing::Values(false, true),
                         [](const testing::TestParamInfo<bool>& param_info) { return param_info.param ? "TableFiles" : "Batches"; });

// The workload of the replay test: round r writes, for each tag, 20 new seconds in order and 10
// rewrites of earlier ones (most of the last 500 s, some anywhere back), each value naming its
// round, so that every replay seals chunks and has late samples to merge.
void AddRound(int round, Batch& batch, std::map<std::pair<TagId, int64_t>, int64_t>* model) {
  std::mt19937_64 rng(static_cast<uint64_t>(round) * 7919 + 1);
  for (TagId tag = 1; tag <= 2; ++tag) {
    auto add = [&](int64_t second, int64_t value) {
      batch.AddInt64(tag, kBase + second * kSecond, value);
      if (model != nullptr) (*model)[{tag, second}] = value;
    };
    const int64_t first_new = int64_t{round} * 20;
    for (int i = 0; i < 20; ++i) add(first_new + i, round * 1000 + i);
    for (int i = 0; first_new > 0 && i < 10; ++i) {
      const int64_t back = i < 8 ? std::min<int64_t>(first_new, 500) : first_new;
      add(first_new - 1 - static_cast<int64_t>(rng() % back), round * 1000 + 100 + i);
    }
  }
}

std::map<std::pair<TagId, int64_t>, int64_t> ModelAfter(int rounds) {
  std::map<std::pair<TagId, int64_t>, int64_t> model;
  for (int r = 0; r < rounds; ++r) {
    Batch unused;
    AddRound(r, unused, &model);
  }
  return model;
}

// Appends rounds from `first` on, forever, writing each acknowledged round's number to `acks`.
[[noreturn]] void RunRoundWriter(const std::string& dir, int first, bool table_files, int acks) {
  EngineOptions options = WithTableFiles(table_files);
  options.chunk_max_samples = 100;
  auto engine = OpenEngine(dir, options);
  for (int round = first;; ++round) {
    Batch batch;
    AddRound(round, batch, nullptr);
    if (!engine->Append(batch).ok()) _exit(4);
    if (write(acks, &round, sizeof(round)) != sizeof(round)) _exit(5);
    if (round % 50 == 49 && !engine->Flush().ok()) _exit(6);
  }
}

// Opens the engine with every chunk that the replay seals written at once, reporting on
// `progress` each time the count of chunks written grows, and -1 once open; then waits to be
// killed.
[[noreturn]] void RunReplay(const std::string& dir, uint32_t chunk_max_samples, bool table_files, int progress) {
  auto* metrics = new MetricsRegistry();
  Counter& written = metrics->GetCounter("zhizao_storage_chunks_written_total", "Sealed chunks written to RocksDB.");
  std::atomic<bool> opened{false};
  std::thread reporter([&] {
    int64_t reported = 0;
    while (!opened.load()) {
      int64_t now = static_cast<int64_t>(written.value());
      if (now != reported && write(progress, &now, sizeof(now)) != sizeof(now)) _exit(5);
      reported = now;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  });
  EngineOptions options = WithTableFiles(table_files);
  options.chunk_max_samples = chunk_max_samples;
  options.pending_write_bytes = 1;
  auto engine = OpenEngine(dir, options, metrics);
  opened = true;
  reporter.join();
  int64_t done = -1;
  if (write(progress, &done, sizeof(done)) != sizeof(done)) _exit(5);
  pause();
  _exit(0);
}

// Exits 0 when the store holds the model after `rounds` or `rounds + 1` rounds (the writer
// may have been killed after the WAL took a round but before it was acknowledged).
[[noreturn]] void RunRoundVerifier(const std::string& dir, int rounds) {
  EngineOptions options;
  options.chunk_max_samples = 100;
  auto engine = OpenEngine(dir, options);
  std::map<std::pair<TagId, int64_t>, int64_t> stored;
  for (TagId tag = 1; tag <= 2; ++tag) {
    SeriesSamples s;
    if (!engine->Read(tag, INT64_MIN, INT64_MAX, &s).ok()) _exit(10);
    for (size_t i = 0; i < s.size(); ++i) stored[{tag, (s.ts_ns[i] - kBase) / kSecond}] = s.i64[i];
  }
  if (stored == ModelAfter(rounds) || stored == ModelAfter(rounds + 1)) _exit(0);  // no Close: keep the WAL
  const auto model = ModelAfter(rounds);
  for (const auto& [key, value] : model) {
    auto it = stored.find(key);
    if (it == stored.end() || it->second != value) {
      std::fprintf(stderr, "tag %u second %lld: stored %lld, last acknowledged write %lld\n", key.first,
                   static_cast<long long>(key.second), it == stored.end() ? -1LL : static_cast<long long>(it->second),
                   static_cast<long long>(value));
      break;
    }
  }
  std::fprintf(stderr, "%zu points stored, %zu in the model\n", stored.size(), model.size());
  _exit(11);
}

// A replay writes the chunks it seals before its checkpoint (Engine::ReplayRecord) to bound
// memory. Killing replays at the moment they have written some of them, then writing more,
// rewriting and replaying again, must still give every timestamp its last acknowledged value.
TEST(CrashTest, KillsDuringReplayKeepTheLastAcknowledgedWrite) {
  std::string dir =
      (std::filesystem::temp_directory_path() / ("zz-crash-replay-" + std::to_string(getpid()))).string();
  std::filesystem::remove_all(dir);
  const char* env = std::getenv("ZZ_CRASH_ROUNDS");
  const int cycles = env != nullptr ? std::max(1, std::atoi(env) / 4) : 12;
  std::mt19937 rng(17);
  int acked_rounds = 0;
  int replays_killed_after_early_writes = 0;
  for (int cycle = 0; cycle < cycles; ++cycle) {
    int pipe_fds[2];
    ASSERT_EQ(pipe(pipe_fds), 0);
    pid_t writer = fork();
    ASSERT_GE(writer, 0);
    if (writer == 0) {
      close(pipe_fds[0]);
      RunRoundWriter(dir, acked_rounds, /*table_files=*/cycle % 2 == 1, pipe_fds[1]);
    }
    close(pipe_fds[1]);
    const int target = acked_rounds + 10 + static_cast<int>(rng() % 40);
    int round = 0;
    while (acked_rounds < target && read(pipe_fds[0], &round, sizeof(round)) == sizeof(round)) {
      acked_rounds = round + 1;
    }
    ASSERT_EQ(KillAndReap(writer), -1) << "the writer failed by itself in cycle " << cycle;
    while (read(pipe_fds[0], &round, sizeof(round)) == sizeof(round)) acked_rounds = round + 1;
    close(pipe_fds[0]);

    // Two killed replays, one of them sealing chunks at other sizes than the writer did (a
    // restart with other limits), each killed once it has written a random number of chunks.
    for (int replay = 0; replay < 2; ++replay) {
      ASSERT_EQ(pipe(pipe_fds), 0);
      pid_t replayer = fork();
      ASSERT_GE(replayer, 0);
      if (replayer == 0) {
        close(pipe_fds[0]);
        RunReplay(dir, replay == 1 && cycle % 3 == 2 ? 300 : 100, /*table_files=*/(cycle + replay) % 2 == 1,
                  pipe_fds[1]);
      }
      close(pipe_fds[1]);
      const int64_t kill_after = 1 + static_cast<int64_t>(rng() % 8);
      int64_t written = 0;
      while (read(pipe_fds[0], &written, sizeof(written)) == sizeof(written) && written >= 0 && written < kill_after) {
      }
      const int replay_exit = KillAndReap(replayer);
      ASSERT_EQ(replay_exit, -1) << "the replay failed by itself in cycle " << cycle;
      if (written >= kill_after) ++replays_killed_after_early_writes;
      close(pipe_fds[0]);
    }

    const int verifier_exit = ExitCodeOfChild([&] { RunRoundVerifier(dir, acked_rounds); });
    ASSERT_EQ(verifier_exit, 0) << "cycle " << cycle << ": acknowledged writes lost or overwritten";
  }
  // The test is about replays that die between their early writes and their checkpoint.
  EXPECT_GE(replays_killed_after_early_writes, cycles * 2 / 3);
  RecordProperty("replays_killed_after_early_writes", std::to_string(replays_killed_after_early_writes));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace zhizao::storage
