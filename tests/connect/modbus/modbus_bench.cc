// Polls 10,000 holding registers of the local modbus-serial peer every 100 ms and reports the poll
// latency, the poll-period jitter and zhizao's CPU per point. Not run by ctest:
//   build/release/tests/connect/modbus/modbus_bench [seconds=30] [registers=10000] [poll_ms=100] [in_flight=1]
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "connect/modbus/modbus_connector.h"
#include "peer_process.h"

namespace zhizao::connect::modbus {
namespace {

// Counts what it is handed: the benchmark measures the connector, not storage.
class CountingSink final : public TagSink {
 public:
  Result<std::vector<TagId>> EnsureTags(std::span<const TagSpec> specs) override {
    std::vector<TagId> ids;
    for (size_t i = 0; i < specs.size(); ++i) ids.push_back(static_cast<TagId>(i + 1));
    return ids;
  }
  Status Write(const Batch& batch) override {
    for (const Point& p : batch.points) (p.status == status_codes::kGood ? good_ : bad_).fetch_add(1);
    return Status::Ok();
  }
  uint64_t good() const { return good_.load(); }
  uint64_t bad() const { return bad_.load(); }

 private:
  std::atomic<uint64_t> good_{0}, bad_{0};
};

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](timeval t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

void Print(const char* what, const TimingSummary& t) {
  std::printf("%-8s n=%-7llu p50=%.3f ms  p99=%.3f ms  max=%.3f ms\n", what, static_cast<unsigned long long>(t.count),
              t.p50_ms, t.p99_ms, t.max_ms);
}

int Run(int seconds, int registers, int poll_ms, int in_flight) {
  const int port = testing::FreePort();
  testing::PeerProcess peer({"node", "modbus-server.js"},
                            {{"MODBUS_PORT", std::to_string(port)}, {"MODBUS_REGISTERS", std::to_string(registers)}},
                            "READY");
  if (!peer.running()) {
    std::fprintf(stderr, "cannot start the peer: %s\n", peer.error().c_str());
    return 1;
  }
  nlohmann::json tags = nlohmann::json::array();
  for (int a = 0; a < registers; ++a) {
    tags.push_back({{"tag", "bench/plc/r" + std::to_string(a)}, {"register", "HR" + std::to_string(a)}});
  }
  nlohmann::json definition = {{"name", "bench"}, {"type", "modbus"}, {"poll_ms", poll_ms}, {"timeout_ms", 1000},
                               {"endpoint", "tcp://127.0.0.1:" + std::to_string(port)}, {"tags", tags},
                               {"max_requests_in_flight", in_flight}};
  Result<ModbusDefinition> parsed = ParseModbusDefinition(definition);
  if (!parsed.ok()) {
    std::fprintf(stderr, "%s\n", parsed.status().ToString().c_str());
    return 1;
  }
  CountingSink sink;
  ModbusConnector connector(std::move(parsed).value(), sink);
  const double cpu_before = CpuSeconds();
  const auto started = std::chrono::steady_clock::now();
  connector.Start();
  std::this_thread::sleep_for(std::chrono::seconds(seconds));  // the measurement window
  const ConnectorStatus status = connector.GetStatus();
  connector.Stop();
  const double cpu = CpuSeconds() - cpu_before;
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  const uint64_t points = sink.good() + sink.bad();
  std::printf("%d holding registers every %d ms, %d request(s) in flight, for %d s: %llu requests, %llu points "
              "(%llu bad), %llu overruns\n",
              registers, poll_ms, in_flight, seconds, static_cast<unsigned long long>(status.reads),
              static_cast<unsigned long long>(points), static_cast<unsigned long long>(sink.bad()),
              static_cast<unsigned long long>(connector.GetStatus().overruns));
  Print("latency", status.latency);
  Print("jitter", status.jitter);
  std::printf("zhizao CPU: %.2f s in %.1f s wall (%.1f%% of one core), %.3f us per point\n", cpu, wall,
              100 * cpu / wall, points ? 1e6 * cpu / static_cast<double>(points) : 0.0);
  return 0;
}

}  // namespace
}  // namespace zhizao::connect::modbus

int main(int argc, char** argv) {
  const int seconds = argc > 1 ? std::atoi(argv[1]) : 30;
  const int registers = argc > 2 ? std::atoi(argv[2]) : 10'000;
  const int poll_ms = argc > 3 ? std::atoi(argv[3]) : 100;
  const int in_flight = argc > 4 ? std::atoi(argv[4]) : 1;
  return zhizao::connect::modbus::Run(seconds, registers, poll_ms, in_flight);
}
