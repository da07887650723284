#include "analytics/eval/sim/sim_eval.h"

#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>

#include <filesystem>

#include "catalog/catalog.h"
#include "common/metrics.h"
#include "connect/sim/simulator.h"
#include "query/sample_source.h"
#include "storage/engine.h"
#include "stream/hub.h"

namespace zhizao::analytics::eval::sim {
namespace {

constexpr int64_t kSecondNs = 1'000'000'000;
constexpr int64_t kDayNs = 86'400 * kSecondNs;
// Samples are handed to the analytics in chunks of this much simulated time, as serve's
// 200 ms poll would see them (the chunk size does not change the stream, only the overhead).
constexpr int64_t kChunkNs = 10 * kSecondNs;

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

TruthEpisode TruthOf(const connect::sim::Episode& e) {
  return {.id = e.id,
          .type = std::string(connect::sim::FaultTypeName(e.type)),
          .asset_path = e.asset_path,
          .tags = e.tags,
          .root_cause_tag = e.root_cause_tag,
          .start_ns = e.start_ns,
          .end_ns = e.end_ns};
}

AlertEvent AlertOf(const catalog::Event& e) {
  AlertEvent a{.asset_path = e.asset_path, .detector = e.detector, .score = e.score, .start_ns = e.start_ns};
  for (const catalog::Contribution& c : e.contributions) a.tags.push_back(c.path);
  return a;
}

std::string Seconds(double s) { return std::isnan(s) ? "-" : fmt::format("{:.0f} s", s); }

// The episodes an asset showed so far, each to 30 min after its end.
live::AssetModelOptions::AbnormalRanges FaultRecordsOf(const connect::sim::Simulator& simulator) {
  return [&simulator](const std::string& asset_path) {
    return connect::sim::AbnormalRanges(simulator.episodes(), asset_path, simulator.now_ns());
  };
}

// A storage engine in a directory of its own under the system's temporary one, removed with it.
class TemporaryHistorian {
 public:
  static Result<std::unique_ptr<TemporaryHistorian>> Open(MetricsRegistry& metrics) {
    std::string dir = (std::filesystem::temp_directory_path() / "zz-eval-sim-XXXXXX").string();
    if (mkdtemp(dir.data()) == nullptr) return Status::IOError("cannot make a directory for the historian: " + dir);
    std::unique_ptr<TemporaryHistorian> h(new TemporaryHistorian(dir));
    ZZ_ASSIGN_OR_RETURN(h->engine_, storage::Engine::Open({.dir = dir, .fsync = storage::FsyncPolicy::kNone,
                                                           .metrics = &metrics}));
    h->source_ = std::make_unique<query::EngineSource>(*h->engine_);
    return h;
  }
  ~TemporaryHistorian() {
    source_.reset();
    engine_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  storage::Engine& engine() { return *engine_; }
  const query::SampleSource& source() const { return *source_; }

 private:
  explicit TemporaryHistorian(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
  std::unique_ptr<storage::Engine> engine_;
  std::unique_ptr<query::EngineSource> source_;
};

}  // namespace

void UseAssetModels(SimEvalOptions& options, multivariate::Method method) {
  live::UseAssetModels(options.live, method);
  live::AssetModelOptions& models = options.live.asset_models;
  if (options.history_days > 0) models.collect = std::chrono::hours(24 * options.history_days) - models.warmup;
}

Result<SimEvalResult> EvaluateSim(const SimEvalOptions& options) {
  if (options.days < 1 || options.days > 365) return Status::InvalidArgument("days must be in 1..365");
  if (options.history_days < 0 || options.history_days > 7) return Status::InvalidArgument("history days must be in 0..7");
  if (options.length.count() < 0 || options.length > std::chrono::hours(24 * 365)) {
    return Status::InvalidArgument("length must be in 0..365 days");
  }
  connect::sim::SimOptions sim_options;
  sim_options.seed = options.seed;
  sim_options.faults_per_day = options.faults_per_day;
  ZZ_ASSIGN_OR_RETURN(std::unique_ptr<connect::sim::Simulator> simulator, connect::sim::Simulator::Create(sim_options));
  ZZ_ASSIGN_OR_RETURN(std::unique_ptr<catalog::Catalog> catalog, catalog::Catalog::Open(":memory:"));
  ZZ_RETURN_IF_ERROR(catalog->UpsertAssets(simulator->assets()).status());
  ZZ_ASSIGN_OR_RETURN(std::vector<TagId> ids, catalog->UpsertTags(simulator->tags()));
  simulator->BindTagIds(ids);

  MetricsRegistry metrics;
  stream::Hub hub(metrics);
  live::LiveAnalyticsOptions live_options = options.live;
  live_options.state_path.clear();  // nothing of a run is kept
  std::unique_ptr<TemporaryHistorian> historian;
  if (options.historian) {
    ZZ_ASSIGN_OR_RETURN(historian, TemporaryHistorian::Open(metrics));
    live_options.history = &historian->source();
    live_options.asset_models.background = false;
  }
  if (options.history_fault_records) live_options.asset_models.abnormal = FaultRecordsOf(*simulator);
  ZZ_ASSIGN_OR_RETURN(std::unique_ptr<live::LiveAnalytics> live,
                      live::LiveAnalytics::Open(*catalog, hub, metrics, std::move(live_options)));

  SimEvalResult result;
  const int64_t history_start_ns = simulator->now_ns();
  const int64_t start_ns = history_start_ns + options.history_days * kDayNs;
  const int64_t length_ns =
      options.length.count() > 0 ? std::chrono::nanoseconds(options.length).count() : options.days * kDayNs;
  const int64_t end_ns = start_ns + length_ns;
  Batch batch;
  for (int64_t t = history_start_ns + kChunkNs; t <= end_ns; t += kChunkNs) {
    batch.Clear();
    simulator->AdvanceTo(t, batch);
    result.points += batch.size();
    if (historian) ZZ_RETURN_IF_ERROR(historian->engine().Append(batch));
    const double cpu0 = ThreadCpuSeconds();
    hub.Publish(batch);
    live->ProcessQueued();
    result.live_cpu_s += ThreadCpuSeconds() - cpu0;
  }

  for (const connect::sim::Episode& e : simulator->episodes()) {
    if (e.start_ns < end_ns) result.episodes.push_back(TruthOf(e));  // history's too: events may match them
  }
  ZZ_ASSIGN_OR_RETURN(std::vector<catalog::Event> stored, catalog->ListEvents({.limit = 0}));
  std::sort(stored.begin(), stored.end(),
            [](const catalog::Event& a, const catalog::Event& b) { return a.start_ns < b.start_ns; });
  for (const catalog::Event& e : stored) result.events.push_back(AlertOf(e));

  ScoringRules rules = options.rules;
  rules.judge_until_ns = end_ns - rules.grace_ns;
  rules.judge_from_ns = start_ns;
  result.score = ScoreEvents(result.episodes, result.events, rules);
  result.days = static_cast<double>(length_ns) / static_cast<double>(kDayNs);
  result.start_ns = start_ns;
  result.alerts_per_day = result.score.judged_events / result.days;
  result.false_alerts_per_day = (result.score.judged_events - result.score.true_events) / result.days;
  for (size_t i = 0; i < result.events.size(); ++i) {
    if (result.score.event_judged[i] && !result.score.event_true[i]) ++result.false_by_detector[result.events[i].detector];
  }
  if (result.live_cpu_s > 0) {
    result.live_points_per_cpu_s = static_cast<double>(result.points) / result.live_cpu_s;
    result.demo_core_percent = 100.0 * connect::sim::Simulator::kPointsPerSecondPerUnit / result.live_points_per_cpu_s;
  }
  return result;
}

Status RunSimEval(const SimEvalOptions& options, std::ostream& out) {
  ZZ_ASSIGN_OR_RETURN(SimEvalResult r, EvaluateSim(options));
  const SimScore& s = r.score;
  out << fmt::format("simulated plant: seed {}, {} day(s) after {} day(s) of history, {} points, {} episodes judged, "
                     "{} events judged\n",
                     options.seed, options.days, options.history_days, r.points, s.judged_episodes, s.judged_events);
  out << fmt::format("recall                 {:6.1f} %  ({}/{} episodes)\n", 100 * s.recall, s.detected,
                     s.judged_episodes);
  out << fmt::format("precision              {:6.1f} %  ({}/{} events)\n", 100 * s.precision, s.true_events,
                     s.judged_events);
  out << fmt::format("root cause in top 3    {:6.1f} %  ({}/{} detected)\n", 100 * s.root_cause_top3,
                     s.root_cause_hits, s.detected);
  // A noisy detector's alerts land by chance inside long episodes: a detection that also names
  // the root cause is what an engineer can act on.
  out << fmt::format("found and explained    {:6.1f} %  ({}/{} episodes: root cause in top 3)\n",
                     s.judged_episodes > 0 ? 100.0 * s.root_cause_hits / s.judged_episodes : 0.0, s.root_cause_hits,
                     s.judged_episodes);
  out << fmt::format("median detection delay {:>8}\n", Seconds(s.median_delay_s));
  out << fmt::format("alerts per day         {:8.1f}  (false: {:.1f})\n", r.alerts_per_day, r.false_alerts_per_day);
  out << fmt::format("live analytics CPU     {:8.2f} s: {:.3g} points/s per core, {:.3f} % of one core at 239.34 points/s\n",
                     r.live_cpu_s, r.live_points_per_cpu_s, r.demo_core_percent);
  for (const auto& [detector, n] : r.false_by_detector) out << fmt::format("false alerts by {:<14} {}\n", detector, n);
  if (!options.list) return Status::Ok();
  const int64_t t0 = r.start_ns;
  for (size_t i = 0; i < r.episodes.size(); ++i) {
    const TruthEpisode& e = r.episodes[i];
    if (e.start_ns < t0) continue;  // history
    const EpisodeOutcome& o = s.episodes[i];
    std::string ranked;
    for (const std::string& tag : o.ranked_tags) ranked += " " + tag;
    out << fmt::format("episode {:3} {:<18} {:<34} +{:7.0f} s {:6.0f} s  {}{}{}\n", e.id, e.type, e.root_cause_tag,
                       static_cast<double>(e.start_ns - t0) / 1e9, static_cast<double>(e.end_ns - e.start_ns) / 1e9,
                       !o.judged ? "not judged" : o.detected ? fmt::format("delay {:.0f} s", o.delay_ns / 1e9) : "MISSED",
                       o.detected ? (o.root_cause_top3 ? " rc-top3" : " rc-miss") : "", ranked);
  }
  for (size_t i = 0; i < r.events.size(); ++i) {
    if (!s.event_judged[i]) continue;
    const AlertEvent& e = r.events[i];
    out << fmt::format("{} alert {:<8} {:<40} +{:7.0f} s score {:.2f}\n", s.event_true[i] ? "true " : "false", e.detector,
                       e.tags.empty() ? e.asset_path : e.tags.front(), static_cast<double>(e.start_ns - t0) / 1e9,
                       e.score);
  }
  return Status::Ok();
}

}  // namespace zhizao::analytics::eval::sim
