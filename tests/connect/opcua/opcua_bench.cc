// Benchmark: N monitored items at 100 ms against the real node-opcua server; prints the rate of
// notifications zhizao takes in and zhizao's CPU time per value. The server runs in its own
// process, so the CPU measured here (getrusage of this process) is zhizao's alone.
//
//   build/opcua-dev/tests/connect/opcua/opcua_bench [items=10000] [seconds=30] [publish_requests=3]
#include <sys/resource.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include "connect/opcua/opcua_connector.h"
#include "peer_process.h"

namespace zhizao::connect::opcua {
namespace {

// Counts what it is handed; stores nothing.
class CountingSink final : public TagSink {
 public:
  Result<std::vector<TagId>> EnsureTags(std::span<const TagSpec> specs) override {
    std::vector<TagId> ids(specs.size());
    for (size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<TagId>(i + 1);
    return ids;
  }
  Status Write(const Batch& batch) override {
    points.fetch_add(batch.size(), std::memory_order_relaxed);
    return Status::Ok();
  }
  std::atomic<uint64_t> points{0};
};

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

int Run(int items, int seconds, int publish_requests) {
  const int port = testing::FreePort();
  testing::PeerProcess peer({"node", "--max-old-space-size=4096", "opcua-server.js"},
                            {{"OPCUA_PORT", std::to_string(port)},
                             {"OPCUA_EXTRA_VARS", std::to_string(items)},
                             {"OPCUA_PKI", "/tmp/zhizao-opcua-bench-pki"}},
                            "READY");
  if (!peer.running()) {
    std::fprintf(stderr, "cannot start the peer: %s\n", peer.error().c_str());
    return 1;
  }
  nlohmann::json definition = {{"name", "bench"},
                               {"type", "opcua"},
                               {"endpoint", "opc.tcp://127.0.0.1:" + std::to_string(port)},
                               {"publishing_ms", 100},
                               {"publish_requests", publish_requests},
                               {"request_timeout_ms", 30000},
                               {"tags", nlohmann::json::array()}};
  for (int i = 0; i < items; ++i) {
    definition["tags"].push_back({{"tag", "bench/m/v" + std::to_string(i)},
                                  {"node", "ns=1;s=Bench.V" + std::to_string(i)},
                                  {"sampling_ms", 100},
                                  {"type", "float64"}});
  }
  CountingSink sink;
  auto connector = MakeOpcUaConnector(definition, sink);
  if (!connector.ok()) {
    std::fprintf(stderr, "%s\n", connector.status().ToString().c_str());
    return 1;
  }
  const auto started = std::chrono::steady_clock::now();
  (*connector)->Start();
  while ((*connector)->GetStatus().state != ConnectorState::kRunning) {
    if (std::chrono::steady_clock::now() - started > std::chrono::seconds(120)) {
      std::fprintf(stderr, "not running after 120 s: %s\n", (*connector)->GetStatus().last_error.c_str());
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const double setup_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::this_thread::sleep_for(std::chrono::seconds(3));  // past the initial values
  const uint64_t points0 = sink.points.load();
  const double cpu0 = CpuSeconds();
  const auto t0 = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  const uint64_t points = sink.points.load() - points0;
  const double cpu = CpuSeconds() - cpu0;
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ConnectorStatus status = (*connector)->GetStatus();
  (*connector)->Stop();
  std::printf("items %d, setup %.1f s (connect, DataType reads, subscription, monitored items)\n", items, setup_s);
  std::printf("notifications: %.0f values/s over %.1f s (ideal %d/s at 100 ms)\n", points / wall, wall, items * 10);
  std::printf("zhizao CPU: %.1f%% of one core, %.2f us per value\n", 100 * cpu / wall,
              points ? 1e6 * cpu / static_cast<double>(points) : 0.0);
  std::printf("latency ms p50 %.1f p99 %.1f; publish period jitter ms p50 %.1f p99 %.1f; errors %llu\n",
              status.latency.p50_ms, status.latency.p99_ms, status.jitter.p50_ms, status.jitter.p99_ms,
              static_cast<unsigned long long>(status.errors));
  return 0;
}

}  // namespace
}  // namespace zhizao::connect::opcua

int main(int argc, char** argv) {
  const int items = argc > 1 ? std::atoi(argv[1]) : 10000;
  const int seconds = argc > 2 ? std::atoi(argv[2]) : 30;
  const int publish_requests = argc > 3 ? std::atoi(argv[3]) : 3;
  return zhizao::connect::opcua::Run(items, seconds, publish_requests);
}
