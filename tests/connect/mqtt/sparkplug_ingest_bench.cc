// Sparkplug DDATA ingest rate of the "sparkplug" connector: a publisher process of our own
// (this binary, "publish" mode: Paho, QoS 0, aliases only) floods a real mosquitto with DDATA
// of `metrics` doubles each, at a paced message rate; the connector hands them to a TagSink
// that only counts, or, given a data dir, to the one `zhizao serve` uses: the catalog, ingest
// and the historian (fsync "interval", as serve's default). Prints metrics/s into the sink and
// the CPU of each process per metric.
//
//   sparkplug_ingest_bench [metrics_per_message=100] [messages_per_second=3000] [seconds=10] [data_dir]
#include <mqtt/async_client.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <dirent.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "app/data_dir.h"
#include "connect/mqtt/mqtt_connectors.h"
#include "connect/tag_sink.h"
#include "peer_process.h"
#include "sparkplug_test_payloads.h"

namespace zhizao::connect::mqtt {
namespace {

using Clock = std::chrono::steady_clock;

// Counts what it is handed, and hands it on to `next` when there is one (the stores of a data
// dir); counts only what `next` took.
class CountingSink final : public TagSink {
 public:
  explicit CountingSink(TagSink* next = nullptr) : next_(next) {}
  Result<std::vector<TagId>> EnsureTags(std::span<const TagSpec> specs) override {
    if (next_ != nullptr) return next_->EnsureTags(specs);
    std::vector<TagId> ids;
    for (size_t i = 0; i < specs.size(); ++i) ids.push_back(static_cast<TagId>(i + 1));
    return ids;
  }
  Status Write(const Batch& batch) override {
    if (next_ != nullptr) {
      Status written = next_->Write(batch);
      if (!written.ok()) {
        refused.fetch_add(batch.size(), std::memory_order_relaxed);
        return written;
      }
    }
    points.fetch_add(batch.size(), std::memory_order_relaxed);
    batches.fetch_add(1, std::memory_order_relaxed);
    return Status::Ok();
  }
  std::atomic<uint64_t> points{0}, batches{0}, refused{0};

 private:
  TagSink* const next_;
};

int Publish(int port, int metrics, int rate, int seconds) {
  ::mqtt::async_client client("tcp://127.0.0.1:" + std::to_string(port), "bench-edge", nullptr);
  client.connect()->wait();
  PayloadBuilder nbirth(0);
  nbirth.Long("bdSeq", 0, 0);
  client.publish("spBv1.0/Bench/NBIRTH/E", nbirth.Bytes(), 1, false)->wait();
  PayloadBuilder dbirth(1);
  for (int m = 0; m < metrics; ++m) dbirth.Double("m" + std::to_string(m), static_cast<uint64_t>(m + 1), 0);
  client.publish("spBv1.0/Bench/DBIRTH/E/D", dbirth.Bytes(), 1, false)->wait();
  std::printf("READY publisher\n");
  std::fflush(stdout);
  uint64_t seq = 2;
  const auto start = Clock::now();
  const auto end = start + std::chrono::seconds(seconds);
  uint64_t sent = 0, refused = 0;
  while (Clock::now() < end) {
    auto due = start + std::chrono::microseconds(sent * 1'000'000 / static_cast<uint64_t>(rate));
    if (Clock::now() < due) {
      std::this_thread::sleep_until(due);
      continue;
    }
    PayloadBuilder data(seq % 256, static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::system_clock::now().time_since_epoch()).count()));
    for (int m = 0; m < metrics; ++m) data.Double("", static_cast<uint64_t>(m + 1), static_cast<double>(sent + m));
    try {
      client.publish("spBv1.0/Bench/DDATA/E/D", data.Bytes(), 0, false);
    } catch (const ::mqtt::exception& e) {
      if (++refused % 100000 == 1) std::fprintf(stderr, "publish refused: %s\n", e.what());
      continue;  // Paho's buffer is full: try again
    }
    ++seq;
    ++sent;
  }
  std::printf("published %llu messages\n", static_cast<unsigned long long>(sent));
  client.disconnect()->wait();
  return 0;
}

// CPU seconds (user + system) of the processes whose command line contains `needle`.
double CpuOf(const std::string& needle) {
  double total = 0;
  DIR* proc = opendir("/proc");
  while (dirent* entry = readdir(proc)) {
    std::string pid = entry->d_name;
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream cmdline("/proc/" + pid + "/cmdline");
    std::string args((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
    for (char& c : args) c = c == '\0' ? ' ' : c;
    if (args.find(needle) == std::string::npos || args.find("CpuOf") != std::string::npos) continue;
    std::ifstream stat("/proc/" + pid + "/stat");
    std::string line;
    std::getline(stat, line);
    std::istringstream fields(line.substr(line.rfind(')') + 2));
    std::string skip;
    for (int i = 0; i < 11; ++i) fields >> skip;
    double utime = 0, stime = 0;
    fields >> utime >> stime;
    total += (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  closedir(proc);
  return total;
}

double SelfCpu() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

int Bench(const char* self, int metrics, int rate, int seconds, const std::string& data_dir) {
  const int port = testing::FreePort();
  testing::PeerProcess broker = testing::PeerProcess::Mosquitto(port);
  if (!broker.running()) return std::fprintf(stderr, "%s\n", broker.error().c_str()), 1;
  std::optional<app::DataDir> dir;
  std::unique_ptr<CatalogTagSink> stores;
  if (!data_dir.empty()) {
    Result<app::DataDir> opened = app::DataDir::Open(data_dir, storage::EngineOptions{});
    if (!opened.ok()) return std::fprintf(stderr, "%s\n", opened.status().ToString().c_str()), 1;
    dir.emplace(std::move(opened).value());
    stores = std::make_unique<CatalogTagSink>(*dir->catalog, *dir->series, *dir->ingest);
  }
  CountingSink sink(stores.get());
  nlohmann::json definition = {{"name", "bench"}, {"broker", "tcp://127.0.0.1:" + std::to_string(port)},
                               {"group", "Bench"}, {"max_tags", 1'000'000}};
  Result<std::unique_ptr<Connector>> made = MakeSparkplugConnector(definition, sink);
  if (!made.ok()) return std::fprintf(stderr, "%s\n", made.status().ToString().c_str()), 1;
  std::unique_ptr<Connector> connector = std::move(made).value();
  connector->Start();
  while (connector->GetStatus().state != ConnectorState::kRunning) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const std::string publisher_args = std::string(self) + " publish " + std::to_string(port);
  testing::PeerProcess publisher({self, "publish", std::to_string(port), std::to_string(metrics), std::to_string(rate),
                                  std::to_string(seconds + 2)},
                                 {}, "READY");
  if (!publisher.running()) return std::fprintf(stderr, "%s\n", publisher.error().c_str()), 1;
  std::this_thread::sleep_for(std::chrono::seconds(1));  // warm up
  const uint64_t points0 = sink.points, batches0 = sink.batches;
  const double self0 = SelfCpu(), broker0 = CpuOf("zhizao-mosquitto-" + std::to_string(port)), pub0 = CpuOf(publisher_args);
  const auto t0 = Clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
  const uint64_t points = sink.points - points0, batches = sink.batches - batches0;
  const double self_cpu = SelfCpu() - self0;
  const double broker_cpu = CpuOf("zhizao-mosquitto-" + std::to_string(port)) - broker0;
  const double pub_cpu = CpuOf(publisher_args) - pub0;
  ConnectorStatus status = connector->GetStatus();
  std::printf("offered:   %d metrics/message x %d messages/s = %d metrics/s\n", metrics, rate, metrics * rate);
  std::printf("ingested:  %.0f metrics/s into %s (%.1f metrics per sink.Write; %llu refused)\n",
              static_cast<double>(points) / elapsed, dir ? "storage" : "the sink",
              batches ? static_cast<double>(points) / static_cast<double>(batches) : 0.0,
              static_cast<unsigned long long>(sink.refused.load()));
  std::printf("cpu:       connector process %.0f%% of a core, %.2f us per metric; mosquitto %.0f%%; publisher %.0f%%\n",
              100 * self_cpu / elapsed, points ? 1e6 * self_cpu / static_cast<double>(points) : 0.0,
              100 * broker_cpu / elapsed, 100 * pub_cpu / elapsed);
  std::printf("connector: errors %llu (last: %s), reads %llu\n", static_cast<unsigned long long>(status.errors),
              status.last_error.c_str(), static_cast<unsigned long long>(status.reads));
  connector->Stop();
  std::printf("publisher: %s", publisher.Output().c_str());
  if (dir) {
    Status flushed = dir->engine->Flush();
    std::printf("storage:   %llu points appended in all, flush %s\n",
                static_cast<unsigned long long>(dir->engine->Stats().points_appended),
                flushed.ok() ? "ok" : flushed.ToString().c_str());
  }
  return 0;
}

}  // namespace
}  // namespace zhizao::connect::mqtt

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::err);
  auto arg = [&](int i, int fallback) { return argc > i ? std::atoi(argv[i]) : fallback; };
  if (argc > 1 && std::string(argv[1]) == "publish") {
    return zhizao::connect::mqtt::Publish(arg(2, 1883), arg(3, 100), arg(4, 3000), arg(5, 10));
  }
  return zhizao::connect::mqtt::Bench("/proc/self/exe", arg(1, 100), arg(2, 3000), arg(3, 10), argc > 4 ? argv[4] : "");
}
