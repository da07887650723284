#include <malloc.h>
#include <signal.h>
#include <sys/resource.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>

#include "analytics/live/live_analytics.h"
#include "api/event_json.h"
#include "api/http_server.h"
#include "api/job_runner.h"
#include "api/routes.h"
#include "app/commands.h"
#include "app/connector_types.h"
#include "app/data_dir.h"
#include "app/sim_epoch.h"
#include "app/version.h"
#include "catalog/catalog.h"
#include "common/clock.h"
#include "common/dir_lock.h"
#include "common/log.h"
#include "common/time_format.h"
#include "connect/connector_manager.h"
#include "connect/sim/sim_runner.h"
#include "connect/tag_sink.h"
#include "connect/write_gate.h"
#include "ingest/ingest.h"
#include "security/admin_token.h"
#include "storage/engine.h"

namespace zhizao::app {
namespace {

// Every interval: seals the history into the chunk store (so that the WAL stays short), then
// deletes what is older than each tag's retention.
class Maintenance {
 public:
  Maintenance(storage::Engine& engine, catalog::Catalog& catalog, const Config& config)
      : engine_(engine),
        catalog_(catalog),
        interval_(config.checkpoint_interval_s),
        retention_days_{config.retention_days_general, config.retention_days_important, config.retention_days_core},
        thread_([this] { Run(); }) {}
  ~Maintenance() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  void Run() {
    std::unique_lock lock(mu_);
    while (!wake_.wait_for(lock, interval_, [this] { return stop_; })) {
      lock.unlock();
      Status done = engine_.Flush();
      if (done.ok()) done = ApplyRetention();
      if (done.ok()) done = catalog_.Checkpoint();
      if (!done.ok()) spdlog::error("storage: maintenance failed: {}", done.message());
      lock.lock();
    }
  }

  Status ApplyRetention() {
    ZZ_ASSIGN_OR_RETURN(std::vector<catalog::Tag> tags, catalog_.ListTags({}));
    int64_t now = SystemClock::Instance().NowNs();
    for (const catalog::Tag& tag : tags) {
      int64_t days = catalog::RetentionDays(tag, retention_days_);
      if (days > 0) ZZ_RETURN_IF_ERROR(engine_.DeleteBefore(tag.id, now - days * 86400 * kNanosPerSecond));
    }
    return Status::Ok();
  }

  storage::Engine& engine_;
  catalog::Catalog& catalog_;
  const std::chrono::seconds interval_;
  const int64_t retention_days_[3];
  std::mutex mu_;
  bool stop_ = false;  // GUARDED_BY(mu_)
  std::condition_variable wake_;
  std::thread thread_;
};

// Everything `serve` runs, in the order it starts; destroyed in reverse.
struct Server {
  DataDir data;
  std::unique_ptr<Maintenance> maintenance;
  std::unique_ptr<security::Authorizer> authorizer;
  std::unique_ptr<analytics::live::LiveAnalytics> analytics;
  std::unique_ptr<connect::sim::SimRunner> simulator;
  std::unique_ptr<connect::CatalogTagSink> connector_sink;
  std::unique_ptr<connect::ConnectorManager> connectors;
  std::unique_ptr<connect::WriteGate> write_gate;
  std::unique_ptr<api::JobRunner> jobs;
  std::unique_ptr<api::Router> router;
  std::unique_ptr<api::HttpServer> http;
  std::optional<std::string> new_admin_token;
};

// A new plant is simulated for this long before it is watched, so that its machines have
// started and settled: their start-up is not the first thing the detectors see.
constexpr int64_t kSimWarmUpNs = int64_t{5} * 60 * 1'000'000'000;
// Continuing a plant means simulating it from its epoch up to now (~20 M points/s): beyond
// this many points a new plant starts instead (about a week at scale 1, 7 s).
constexpr double kMaxSimCatchUpPoints = 150e6;

// The simulator's epoch: the data dir's, when it is the same plant and not too far behind
// (sim_epoch.h); else a new plant's, warmed up for kSimWarmUpNs (its caller records it).
std::optional<int64_t> KeptSimStart(const Config& config, const connect::sim::SimOptions& options, int64_t now_ns) {
  Result<std::optional<SimEpoch>> kept = ReadSimEpoch(config.data_dir);
  if (!kept.ok()) spdlog::warn("simulator: {}; a new plant starts", kept.status().message());
  if (!kept.ok() || !*kept) return std::nullopt;
  const SimEpoch& epoch = **kept;
  if (!epoch.SamePlant(options)) {
    // Said, because the stored history then belongs to another plant than the one that runs on.
    spdlog::warn("simulator: the data dir holds a plant of seed {}, scale {}, {} faults a day, not the configured "
                 "seed {}, scale {}, {} ([sim] seed, scale, faults_per_day); a new plant starts",
                 epoch.seed, epoch.scale, epoch.faults_per_day, options.seed, options.scale, options.faults_per_day);
    return std::nullopt;
  }
  if (epoch.start_ns < 0 || epoch.start_ns > now_ns) {
    spdlog::warn("simulator: the data dir's plant begins at {}, after now; a new plant starts",
                 FormatRfc3339(epoch.start_ns));
    return std::nullopt;
  }
  const double points = static_cast<double>(now_ns - epoch.start_ns) / 1e9 *
                        connect::sim::Simulator::kPointsPerSecondPerUnit * options.scale;
  if (points <= kMaxSimCatchUpPoints) return epoch.start_ns;
  spdlog::info("simulator: the stored plant began too long ago to catch up ({:.0f} M points); a new plant starts",
               points / 1e6);
  return std::nullopt;
}

// Runs the simulator up to now_ns, its samples dropped: they were stored before, or never watched.
// A second at a time: AdvanceTo reserves its step's points, ~0.5 M at the largest scale.
void CatchUp(connect::sim::Simulator& simulator, int64_t now_ns) {
  constexpr int64_t kStepNs = 1'000'000'000;
  Batch dropped;
  while (simulator.now_ns() < now_ns) {
    simulator.AdvanceTo(std::min(now_ns, simulator.now_ns() + kStepNs), dropped);
    dropped.Clear();
  }
}

// The simulator, caught up to now and registered in the catalog; Start() it.
Result<std::unique_ptr<connect::sim::SimRunner>> CreateSimulator(const Config& config, DataDir& data) {
  connect::sim::SimOptions options;
  options.seed = static_cast<uint64_t>(config.sim_seed);
  options.scale = static_cast<int>(config.sim_scale);
  options.faults_per_day = config.sim_faults_per_day;
  const int64_t now = SystemClock::Instance().NowNs();
  const std::optional<int64_t> kept = KeptSimStart(config, options, now);
  options.start_ns = kept.value_or(now - kSimWarmUpNs);
  ZZ_ASSIGN_OR_RETURN(std::unique_ptr<connect::sim::Simulator> simulator, connect::sim::Simulator::Create(options));
  if (!kept) {
    // Recorded only once the options proved valid: a start refused for its options keeps the
    // data dir's plant for the next one.
    Status written = WriteSimEpoch(config.data_dir, {.seed = options.seed, .scale = options.scale,
                                                     .faults_per_day = options.faults_per_day, .start_ns = options.start_ns});
    if (!written.ok()) spdlog::warn("simulator: {} (the next start begins a new plant)", written.message());
  }
  const auto caught_up = std::chrono::steady_clock::now();
  CatchUp(*simulator, now);
  spdlog::info("simulator: plant epoch {} ({:.1f} h simulated to reach now, in {:.1f} s)",
               FormatRfc3339(options.start_ns), static_cast<double>(now - options.start_ns) / 3.6e12,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - caught_up).count());
  auto store = [&ingest = *data.ingest](Batch& batch) {
    Status stored = ingest.Write(batch);
    if (!stored.ok()) spdlog::warn("simulator: {} samples not stored: {}", batch.size(), stored.message());
  };
  auto runner = std::make_unique<connect::sim::SimRunner>(std::move(simulator), SystemClock::Instance(), store,
                                                          MetricsRegistry::Default());
  ZZ_RETURN_IF_ERROR(RegisterSimulator(*runner, data));
  return runner;
}

// Every numeric tag watched from its first sample: started before anything produces samples.
// `simulator` (null when the plant is not simulated): its episodes are the plant's maintenance
// records, which per-asset models do not learn from. REQUIRES: it outlives the analytics' Stop().
Result<std::unique_ptr<analytics::live::LiveAnalytics>> StartAnalytics(const Config& config, DataDir& data,
                                                                       const connect::sim::SimRunner* simulator) {
  std::filesystem::path dir = std::filesystem::path(config.data_dir) / "analytics";
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return Status::IOError("cannot create " + dir.string() + ": " + error.message());
  analytics::live::LiveAnalyticsOptions options;
  options.state_path = (dir / "detectors.state").string();
  options.event_threshold = config.analytics_event_threshold;
  options.group_by_asset = config.analytics_group_by_asset;
  options.history = data.source.get();  // tags without learned state warm up from the historian
  if (config.analytics_asset_models != "off") {
    analytics::live::UseAssetModels(options, config.analytics_asset_models == "aakr"
                                                  ? analytics::multivariate::Method::kKernelRegression
                                                  : analytics::multivariate::Method::kPca);
    options.asset_models.setpoints = analytics::live::SetpointsNamed(config.analytics_asset_setpoints).value();
    if (simulator != nullptr) {
      options.asset_models.abnormal = [simulator](const std::string& asset_path) {
        return connect::sim::AbnormalRanges(simulator->Episodes(), asset_path, SystemClock::Instance().NowNs());
      };
    }
  }
  options.on_change = [hub = data.live.get()](const analytics::alerts::EventChange& change) {
    hub->Notify(api::EventNotice(analytics::alerts::ChangeKindName(change.kind), change.event));
  };
  ZZ_ASSIGN_OR_RETURN(std::unique_ptr<analytics::live::LiveAnalytics> live,
                      analytics::live::LiveAnalytics::Open(*data.catalog, *data.live, MetricsRegistry::Default(),
                                                           std::move(options)));
  live->Start();
  return live;
}

storage::EngineOptions EngineOptionsOf(const Config& config) {
  storage::EngineOptions options;
  options.fsync = storage::ParseFsyncPolicy(config.fsync).value();  // validated with the config
  options.fsync_interval_ms = config.fsync_interval_ms;
  return options;
}

query::QueryOptions QueryOptionsOf(const Config& config) {
  query::QueryOptions options;
  options.max_points_scanned = config.max_points_scanned;
  options.max_points_returned = config.max_points_returned;
  options.quality = query::ParseQualityPolicy(config.quality).value();  // validated with the config
  return options;
}

// Every connection is a file descriptor: a plant's many clients (and idle keep-alives) must not
// run out at the conventional soft limit of 1,024 while the hard limit allows more.
void RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  rlim_t before = limit.rlim_cur;
  limit.rlim_cur = limit.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &limit) == 0) {
    spdlog::debug("open files limit raised from {} to {}", before, limit.rlim_cur);
  }
}

// Bytes of the files under `dir`, as they stand: RocksDB and the WAL add and remove files as
// they go, so a file that vanishes mid-walk is skipped; a directory that does (or cannot be read)
// ends the walk with what it counted, a figure the next scrape reads again.
double DirBytes(const std::string& dir) {
  uintmax_t total = 0;
  std::error_code ec;
  for (std::filesystem::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code size_ec;
    if (it->is_regular_file(size_ec)) {
      uintmax_t size = it->file_size(size_ec);
      if (!size_ec) total += size;
    }
  }
  return static_cast<double>(total);
}

std::optional<std::string> EnvToken() {
  const char* token = std::getenv("ZHIZAO_ADMIN_TOKEN");
  if (token == nullptr || *token == '\0') return std::nullopt;
  return std::string(token);
}

Status Start(const Config& config, Server& server) {
  RaiseFileLimit();
  ZZ_ASSIGN_OR_RETURN(server.data, DataDir::Open(config.data_dir, EngineOptionsOf(config), QueryOptionsOf(config)));
  // Read when /metrics is rendered; the callback holds the path only, so it outlives the server.
  MetricsRegistry::Default().AddCallbackGauge(
      "zhizao_data_dir_bytes", "Bytes on disk under the data dir: history chunks, WAL, catalog, analytics state.",
      [dir = config.data_dir] { return DirBytes(dir); });
  ZZ_ASSIGN_OR_RETURN(security::AdminToken::Loaded token,
                      security::AdminToken::LoadOrCreate(config.data_dir, EnvToken()));
  server.new_admin_token = token.new_token;
  server.authorizer = std::make_unique<security::Authorizer>(token.token);
  server.maintenance = std::make_unique<Maintenance>(*server.data.engine, *server.data.catalog, config);
  // The simulator is created first, for the analytics to read its episodes, and started after them.
  if (config.sim_enabled) {
    ZZ_ASSIGN_OR_RETURN(server.simulator, CreateSimulator(config, server.data));
  }
  if (config.analytics_enabled) {
    ZZ_ASSIGN_OR_RETURN(server.analytics, StartAnalytics(config, server.data, server.simulator.get()));
  }
  if (server.simulator) {
    server.simulator->Start();
    spdlog::info("simulator: {} assets, {} tags, {:.0f} points/s (seed {}, scale {})", server.simulator->assets().size(),
                 server.simulator->tags().size(), server.simulator->nominal_points_per_second(), config.sim_seed,
                 config.sim_scale);
  }
  server.connector_sink =
      std::make_unique<connect::CatalogTagSink>(*server.data.catalog, *server.data.series, *server.data.ingest);
  server.connectors = std::make_unique<connect::ConnectorManager>(
      *server.connector_sink, (std::filesystem::path(config.data_dir) / "connectors.json").string());
  RegisterConnectorTypes(*server.connectors, config.data_dir, *server.data.live);
  ZZ_RETURN_IF_ERROR(server.connectors->Load(config.connector_definitions));
  server.write_gate =
      std::make_unique<connect::WriteGate>(*server.data.catalog, *server.connectors, MetricsRegistry::Default());
  server.jobs = std::make_unique<api::JobRunner>();
  server.router = std::make_unique<api::Router>(*server.authorizer, MetricsRegistry::Default());
  api::AddAllRoutes(*server.router,
                    {.catalog = server.data.catalog.get(),
                     .simulator = server.simulator.get(),
                     .engine = server.data.engine.get(),
                     .metrics = &MetricsRegistry::Default(),
                     .series = server.data.series.get(),
                     .lines = server.data.lines.get(),
                     .influxql = server.data.influxql.get(),
                     .source = server.data.source.get(),
                     .ingest = server.data.ingest.get(),
                     .connectors = server.connectors.get(),
                     .write_gate = server.write_gate.get(),
                     .live = server.data.live.get(),
                     .on_models_changed =
                         [analytics = server.analytics.get()] {
                           if (analytics != nullptr) analytics->ReloadModels();
                         },
                     .jobs = server.jobs.get(),
                     .health = server.analytics ? &server.analytics->health_board() : nullptr,
                     .query_options = QueryOptionsOf(config),
                     .series_policy = connect::lineproto::ParseSeriesPolicy(config.new_series).value(),
                     .max_body_bytes = static_cast<size_t>(config.max_body_bytes),
                     .version = std::string(kVersion)});
  api::HttpServerOptions http;
  uint16_t port = 0;
  ZZ_RETURN_IF_ERROR(ParseHostPort(config.listen, http.host, port));
  http.port = port;
  http.threads = static_cast<int>(config.http_threads);
  http.worker_threads = static_cast<int>(config.worker_threads);
  http.query_threads = static_cast<int>(config.query_threads);
  http.max_queued_queries = static_cast<size_t>(config.max_queued_queries);
  http.query_paths = {"/query", "/api/v1/series/"};
  http.max_body_bytes = static_cast<size_t>(config.max_body_bytes);
  http.request_timeout = std::chrono::milliseconds(config.request_timeout_ms);
  http.metrics = &MetricsRegistry::Default();
  ZZ_ASSIGN_OR_RETURN(server.http, api::HttpServer::Start(http, *server.router));
  return Status::Ok();
}

void Announce(const Config& config, const Server& server) {
  std::string host = config.listen.substr(0, config.listen.rfind(':'));
  if (host == "0.0.0.0" || host == "[::]") host = "127.0.0.1";
  std::string url = "http://" + host + ":" + std::to_string(server.http->port()) + "/";
  spdlog::info("zhizao {} serving {} (data dir {})", kVersion, url, config.data_dir);
  if (server.new_admin_token) {
    // Shown once: only the token's hash is kept.
    std::printf("\n  zhizao is running. Open this link to sign in as admin (shown only once):\n\n"
                "    %s?token=%s\n\n",
                url.c_str(), server.new_admin_token->c_str());
  } else {
    std::printf("\n  zhizao is running at %s\n\n", url.c_str());
  }
  std::fflush(stdout);
}

int WaitForSignal(const sigset_t& signals) {
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  return signal_number;
}

// glibc gives each thread that allocates concurrently an arena of its own, up to 8 per core,
// and an arena keeps what was freed in it: the HTTP workers' request buffers, spread over a
// dozen arenas, held 25 MB more at peak on the base benchmark than with one arena per core
// (docs/benchmarks.md, "Memory"), at no ingest cost measured.
void LimitMallocArenas() {
  if (std::getenv("MALLOC_ARENA_MAX") != nullptr) return;  // the operator's choice stands
  const int cores = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  mallopt(M_ARENA_MAX, cores);
}

}  // namespace

int RunServe(const ServeFlags& flags) {
  LimitMallocArenas();
  // Block the stop signals in every thread; this one waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  Result<Config> config = ResolveConfig(flags);
  if (!config.ok()) {
    std::fprintf(stderr, "zhizao: %s\n", config.status().message().c_str());
    return kExitUsage;
  }
  Status logging = InitLogging(*ParseLogFormat(config->log_format), config->log_level);
  if (!logging.ok()) {
    std::fprintf(stderr, "zhizao: %s\n", logging.message().c_str());
    return kExitUsage;
  }
  Server server;
  Status started = Start(*config, server);
  if (!started.ok()) {
    std::fprintf(stderr, "zhizao: %s\n", started.message().c_str());
    return kExitUsage;
  }
  Announce(*config, server);
  int signal_number = WaitForSignal(signals);
  spdlog::info("received {}, stopping", signal_number == SIGINT ? "SIGINT" : "SIGTERM");
  server.http->Stop();
  server.jobs->Stop();  // a training that runs finishes (and stores its version) first
  if (server.simulator) server.simulator->Stop();
  server.connectors->StopAll();
  if (server.analytics) server.analytics->Stop();  // scores what is queued, saves what it learnt
  server.maintenance.reset();
  Status closed = server.data.engine->Close();
  if (!closed.ok()) {
    spdlog::error("storage: {}", closed.message());
    return kExitFailure;
  }
  spdlog::info("stopped cleanly");
  return kExitOk;
}

}  // namespace zhizao::app
