#include <fmt/format.h>
#include <signal.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <cstdio>
#include <memory>
#include <thread>

#include "app/commands.h"
#include "common/clock.h"
#include "common/time_format.h"
#include "app/data_dir.h"
#include "app/sim_epoch.h"
#include "common/log.h"
#include "connect/sim/simulator.h"

namespace zhizao::app {
namespace {

using connect::sim::Simulator;

// Writes samples as InfluxDB line protocol or CSV, for loading other tools or inspecting
// the plant. Bad-quality samples are left out of line protocol, which cannot mark them.
class SampleWriter {
 public:
  SampleWriter(std::FILE* out, std::string format, const Simulator& sim) : out_(out), format_(std::move(format)) {
    for (size_t i = 0; i < sim.tags().size(); ++i) {
      const catalog::Tag& tag = sim.tags()[i];
      TagId id = tag.id != 0 ? tag.id : static_cast<TagId>(i + 1);
      if (id >= index_.size()) index_.resize(id + 1);
      index_[id] = i;
      size_t slash = tag.path.rfind('/');
      measurement_.push_back(EscapeLp(tag.path.substr(0, slash)));
      field_.push_back(EscapeLp(tag.name));
      path_.push_back(tag.path);
    }
    if (format_ == "csv") std::fputs("time,tag,value,status\n", out_);
  }

  void Write(const Batch& batch) {
    buffer_.clear();
    for (const Point& p : batch.points) {
      if (format_ == "lp") AppendLp(batch, p);
      if (format_ == "csv") AppendCsv(batch, p);
    }
    std::fwrite(buffer_.data(), 1, buffer_.size(), out_);
  }

 private:
  static std::string EscapeLp(const std::string& s) {
    std::string out;
    for (char c : s) {
      if (c == ',' || c == ' ' || c == '=') out += '\\';
      out += c;
    }
    return out;
  }

  void AppendValue(const Batch& batch, const Value& v, bool lp) {
    switch (v.type()) {
      case DataType::kFloat64: fmt::format_to(std::back_inserter(buffer_), "{}", v.f64()); break;
      case DataType::kInt64: fmt::format_to(std::back_inserter(buffer_), "{}{}", v.i64(), lp ? "i" : ""); break;
      case DataType::kBool: buffer_.append(v.boolean() ? "true" : "false"); break;
      case DataType::kString: fmt::format_to(std::back_inserter(buffer_), "\"{}\"", batch.StringOf(v)); break;
    }
  }

  void AppendLp(const Batch& batch, const Point& p) {
    if (SeverityOf(p.status) == QualitySeverity::kBad) return;
    size_t i = index_[p.tag];
    fmt::format_to(std::back_inserter(buffer_), "{} {}=", measurement_[i], field_[i]);
    AppendValue(batch, p.value, true);
    fmt::format_to(std::back_inserter(buffer_), " {}\n", p.ts_ns);
  }

  void AppendCsv(const Batch& batch, const Point& p) {
    fmt::format_to(std::back_inserter(buffer_), "{},{},", FormatRfc3339(p.ts_ns), path_[index_[p.tag]]);
    AppendValue(batch, p.value, false);
    fmt::format_to(std::back_inserter(buffer_), ",{}\n", QualitySeverityName(SeverityOf(p.status)));
  }

  std::FILE* out_;
  std::string format_;
  std::vector<std::string> measurement_, field_, path_;  // by index in sim.tags()
  std::vector<size_t> index_;                           // index in sim.tags(), by TagId
  std::string buffer_;
};

Result<DataDir> OpenStore(const std::string& path, Simulator& sim) {
  storage::EngineOptions options;
  options.fsync = storage::FsyncPolicy::kNone;  // a backfill is synced once, by its final flush
  ZZ_ASSIGN_OR_RETURN(DataDir dir, DataDir::Open(path, options));
  ZZ_RETURN_IF_ERROR(RegisterSimulator(sim, dir));
  return dir;
}

int Backfill(Simulator& sim, SampleWriter* writer, ingest::Ingest* ingest, int64_t end_ns) {
  Batch batch;
  uint64_t points = 0;
  auto started = std::chrono::steady_clock::now();
  constexpr int64_t kStepNs = 60 * kNanosPerSecond;
  while (sim.now_ns() < end_ns) {
    batch.Clear();
    sim.AdvanceTo(std::min(end_ns, sim.now_ns() + kStepNs), batch);
    points += batch.size();
    if (writer != nullptr) writer->Write(batch);
    if (ingest == nullptr) continue;
    Status stored = ingest->Write(batch);
    if (!stored.ok()) {
      std::fprintf(stderr, "zhizao: cannot store the backfill: %s\n", stored.message().c_str());
      return kExitFailure;
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::fprintf(stderr, "zhizao sim: %llu points, %zu tags, %zu episodes in %.2f s (%.2f M points/s)\n",
               static_cast<unsigned long long>(points), sim.tags().size(), sim.episodes().size(), seconds,
               static_cast<double>(points) / seconds / 1e6);
  return kExitOk;
}

int RealTime(Simulator& sim, SampleWriter* writer) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  timespec no_wait{0, 0};
  Batch batch;
  while (sigtimedwait(&signals, nullptr, &no_wait) < 0) {
    batch.Clear();
    sim.AdvanceTo(SystemClock::Instance().NowNs(), batch);
    if (writer != nullptr) {
      writer->Write(batch);
      std::fflush(stdout);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return kExitOk;
}

}  // namespace

int RunSim(const SimFlags& flags) {
  // stdout may carry the samples: logs go to stderr, and only what needs attention.
  Status logging = InitLogging(LogFormat::kText, "warn");
  if (!logging.ok()) return kExitFailure;
  if (flags.format != "lp" && flags.format != "csv" && flags.format != "none") {
    std::fprintf(stderr, "zhizao: --format: expected lp, csv or none, got '%s'\n", flags.format.c_str());
    return kExitUsage;
  }
  int64_t now = SystemClock::Instance().NowNs();
  connect::sim::SimOptions options;
  options.seed = flags.seed;
  options.scale = flags.scale;
  options.faults_per_day = flags.faults_per_day;
  options.start_ns = flags.realtime ? now : now - static_cast<int64_t>(flags.days * 86400 * 1e9);
  if (!flags.start.empty()) {
    Result<int64_t> start = ParseRfc3339(flags.start);
    if (!start.ok()) {
      std::fprintf(stderr, "zhizao: --start: %s\n", start.status().message().c_str());
      return kExitUsage;
    }
    options.start_ns = *start;
  }
  Result<std::unique_ptr<Simulator>> sim = Simulator::Create(options);
  if (!sim.ok()) {
    std::fprintf(stderr, "zhizao: %s\n", sim.status().message().c_str());
    return kExitUsage;
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(nullptr, &std::fclose);
  std::FILE* out = stdout;
  if (flags.out != "-") {
    file.reset(std::fopen(flags.out.c_str(), "w"));
    if (!file) {
      std::fprintf(stderr, "zhizao: cannot write %s: %s\n", flags.out.c_str(), std::strerror(errno));
      return kExitUsage;
    }
    out = file.get();
  }
  std::optional<DataDir> store;
  if (!flags.data_dir.empty()) {
    Result<DataDir> opened = OpenStore(flags.data_dir, **sim);
    if (!opened.ok()) {
      std::fprintf(stderr, "zhizao: %s\n", opened.status().message().c_str());
      return kExitUsage;
    }
    store.emplace(std::move(opened).value());
  }
  std::optional<SampleWriter> writer;
  if (flags.format != "none") writer.emplace(out, flags.format, **sim);
  SampleWriter* w = writer ? &*writer : nullptr;
  if (flags.realtime) return RealTime(**sim, w);
  int code = Backfill(**sim, w, store ? store->ingest.get() : nullptr,
                      options.start_ns + static_cast<int64_t>(flags.days * 86400 * 1e9));
  if (store && code == kExitOk) {
    // `serve` on this data dir continues this plant rather than starting another (sim_epoch.h).
    Status kept = WriteSimEpoch(flags.data_dir, {.seed = options.seed, .scale = options.scale,
                                                 .faults_per_day = options.faults_per_day, .start_ns = options.start_ns});
    if (!kept.ok()) std::fprintf(stderr, "zhizao: warning: %s\n", kept.message().c_str());
  }
  if (store) {
    Status closed = store->engine->Close();
    if (!closed.ok()) {
      std::fprintf(stderr, "zhizao: %s\n", closed.message().c_str());
      return kExitFailure;
    }
  }
  return code;
}

}  // namespace zhizao::app
