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
#include "connect/sim/simulator.h"

namespace zhizao::app {
namespace {

using connect::sim::Simulator;

// Writes samples as InfluxDB line protocol or CSV, for loading other tools or inspecting
// the plant. Bad-quality samples are left out of line protocol, which cannot mark them.
class SampleWriter {
 public:
  SampleWriter(std::FILE* out, std::string format, const Simulator& sim) : out_(out), format_(std::move(format)) {
    for (const catalog::Tag& tag : sim.tags()) {
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
    size_t i = p.tag - 1;
    fmt::format_to(std::back_inserter(buffer_), "{} {}=", measurement_[i], field_[i]);
    AppendValue(batch, p.value, true);
    fmt::format_to(std::back_inserter(buffer_), " {}\n", p.ts_ns);
  }

  void AppendCsv(const Batch& batch, const Point& p) {
    fmt::format_to(std::back_inserter(buffer_), "{},{},", FormatRfc3339(p.ts_ns), path_[p.tag - 1]);
    AppendValue(batch, p.value, false);
    fmt::format_to(std::back_inserter(buffer_), ",{}\n", QualitySeverityName(SeverityOf(p.status)));
  }

  std::FILE* out_;
  std::string format_;
  std::vector<std::string> measurement_, field_, path_;  // by tag index
  std::string buffer_;
};

int Backfill(Simulator& sim, SampleWriter* writer, int64_t end_ns) {
  Batch batch;
  uint64_t points = 0;
  auto started = std::chrono::steady_clock::now();
  constexpr int64_t kStepNs = 60 * kNanosPerSecond;
  while (sim.now_ns() < end_ns) {
    batch.Clear();
    sim.AdvanceTo(std::min(end_ns, sim.now_ns() + kStepNs), batch);
    points += batch.size();
    if (writer != nullptr) writer->Write(batch);
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
  std::optional<SampleWriter> writer;
  if (flags.format != "none") writer.emplace(out, flags.format, **sim);
  SampleWriter* w = writer ? &*writer : nullptr;
  if (flags.realtime) return RealTime(**sim, w);
  return Backfill(**sim, w, options.start_ns + static_cast<int64_t>(flags.days * 86400 * 1e9));
}

}  // namespace zhizao::app
