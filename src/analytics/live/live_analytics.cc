#include "analytics/live/live_analytics.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include "analytics/live/monitor_state_file.h"
#include "common/atomic_file.h"

namespace zhizao::analytics::live {

using alerts::EventChange;

namespace {

// What a tag's own detectors still judge once its asset's model scores: the sensor's faults.
constexpr uint32_t kSensorFaultRules = detect::kStuck | detect::kDropout | detect::kOutOfRange | detect::kInvalidValue;
constexpr int64_t kMinSilenceNs = 30'000'000'000;
constexpr uint32_t kIrregularMemory = 1000;  // samples

bool IsSensorFailure(uint32_t status) {
  const uint32_t code = status & 0xFFFF0000u;
  return code == status_codes::kBadSensorFailure || code == status_codes::kBadDeviceFailure;
}

// Int64 tags are counters and state codes: a machine standing still (a constant count, a state
// held for a weekend) or changing state is its business, not an anomaly. Writable tags are
// setpoints and commands: a person or a controller moves them, and holding one is what it is
// for. Of the detectors, only readings that cannot be right raise events of their own on either
// (their configured limits alarm as on any tag). (A per-asset model,
// when on, still reads setpoints: AssetModelOptions::setpoints says how.)
detect::TagMonitorOptions MonitorOptionsFor(const LiveAnalyticsOptions& options, const catalog::Tag& tag) {
  detect::TagMonitorOptions monitor = options.monitor;
  if (tag.data_type != DataType::kFloat64 || tag.writable) monitor.enabled &= detect::kInvalidValue | detect::kOutOfRange;
  return monitor;
}

// `source_prefix`: "tag:" for the tag's values, "sensor:" for its sensor's health.
catalog::Event TemplateFor(const catalog::Tag& tag, const char* source_prefix) {
  catalog::Event event;
  event.asset_id = tag.asset_id;
  event.asset_path = tag.path.substr(0, tag.path.rfind('/'));
  event.source = source_prefix + tag.path;
  return event;
}

alerts::OnDelay OnDelayOf(const LiveAnalyticsOptions& options) {
  return alerts::OnDelay(options.confirm_samples, std::chrono::nanoseconds(options.confirm_window).count());
}
}  // namespace

struct LiveAnalytics::Watched {
  Watched(const LiveAnalyticsOptions& options, const catalog::Tag& tag)
      : monitor(MonitorOptionsFor(options, tag)),
        tracker(TemplateFor(tag, "tag:"), options.policy),
        on_delay(OnDelayOf(options)),
        health(TemplateFor(tag, "sensor:"), options.policy),
        health_on_delay(OnDelayOf(options)),
        limits(tag) {}
  std::string path;
  detect::TagMonitor monitor;
  alerts::AlarmTracker tracker;
  int64_t first_ts_ns = INT64_MIN;  // INT64_MIN: none yet; INT64_MIN + 1: warmed up (restored)
  alerts::OnDelay on_delay;         // counts alarming samples while no event is active
  bool float64 = false;
  bool boolean = false;   // judged on its alarm state alone (Score)
  bool setpoint = false;  // writable: a setpoint or command
  // Made by line protocol: its asset is a measurement holding many devices' fields, so its alarms
  // group by series and no asset model reads it (one model of unrelated devices would learn
  // nothing an equipment's model does).
  bool line_protocol = false;
  catalog::AssetId asset_id = 0;
  std::string asset_path;
  int64_t last_seen_ns = INT64_MIN;  // the tag's newest sample of any quality
  int64_t last_good_ns = INT64_MIN;  // ... of good quality
  int64_t* asset_newest_ns = nullptr;  // the newest good sample of any tag of the asset (asset_newest_ns_)
  alerts::AlarmGroup* group = nullptr;  // where `tracker`'s changes go (alarm_groups_)
  // > 0: a long gap came within that many samples, or fewer were seen (NoteGap).
  uint32_t irregular_samples = kIrregularMemory;
  // missed_epoch_ at the tag's latest sample: when behind, samples of the tag may have been
  // dropped from the queue since, and its silence or gap is not the sensor's.
  uint64_t missed_epoch = 0;
  // Sensor health (a failed or a silent sensor) on a tracker of its own, source "sensor:<path>":
  // its observations run on the asset's clock, which must not hold back the tag's own samples.
  alerts::AlarmTracker health;
  alerts::OnDelay health_on_delay;
  // The alarm limits and range a person configured on the tag (RefreshLimits after an edit).
  alerts::LimitAlarm limits;
};

struct LiveAnalytics::AssetAlarm {
  AssetAlarm(catalog::Event event_template, const LiveAnalyticsOptions& options)
      : tracker(std::move(event_template), options.policy), on_delay(OnDelayOf(options)) {}
  alerts::AlarmTracker tracker;
  alerts::OnDelay on_delay;
};

uint32_t LiveDetectors() {
  return detect::kDspot | detect::kCusum | detect::kStuck | detect::kSpike | detect::kDropout |
         detect::kOutOfRange | detect::kRateOfChange | detect::kInvalidValue;
}

detect::TagMonitorOptions LiveMonitorOptions() {
  detect::TagMonitorOptions options;
  options.enabled = LiveDetectors();
  return options;
}

alerts::AlarmPolicy LiveAlarmPolicy() {
  alerts::AlarmPolicy policy;
  policy.rearm_window = std::chrono::minutes(30);
  return policy;
}

namespace {


// Instrument faults say the reading cannot be trusted; the others that the process moved.
catalog::Severity SeverityOf(const detect::Verdict& v) {
  if (v.top == detect::kInvalidValue || v.top == detect::kStuck || v.top == detect::kDropout) {
    return catalog::Severity::kMedium;
  }
  return v.score >= 0.99 ? catalog::Severity::kHigh : catalog::Severity::kMedium;
}

// A configured limit's alarm as a score: the inner limits (hi, lo) halfway between the event
// threshold and 1, the outer ones (hihi, lolo) and a reading outside the instrument's range at 1.
// At or above the threshold whatever it is set to: nothing silences a limit.
double LimitScore(alerts::LimitState state, double threshold) {
  switch (state) {
    case alerts::LimitState::kNormal: return 0;
    case alerts::LimitState::kHi:
    case alerts::LimitState::kLo: return std::min(1.0, (threshold + 1) / 2);
    default: return 1;
  }
}

catalog::Severity LimitSeverity(alerts::LimitState state) {
  switch (state) {
    case alerts::LimitState::kHiHi:
    case alerts::LimitState::kLoLo: return catalog::Severity::kHigh;
    default: return catalog::Severity::kMedium;  // hi, lo; an instrument fault; a discrete alarm
  }
}

std::optional<double> NumericValue(const stream::LiveSample& sample) {
  switch (sample.value.type()) {
    case DataType::kFloat64: return sample.value.f64();
    case DataType::kInt64: return static_cast<double>(sample.value.i64());
    case DataType::kBool: return sample.value.boolean() ? 1.0 : 0.0;
    default: return std::nullopt;
  }
}

}  // namespace

LiveAnalytics::LiveAnalytics(catalog::Catalog& catalog, stream::Hub& hub, MetricsRegistry& metrics,
                             LiveAnalyticsOptions options)
    : catalog_(catalog),
      options_(std::move(options)),
      subscription_(hub.Subscribe(options_.max_queued)),
      scored_(metrics.GetCounter("zhizao_analytics_samples_scored_total", "Samples the live detectors scored.")),
      dropped_(metrics.GetCounter("zhizao_analytics_samples_dropped_total",
                                  "Samples the live detectors missed because their queue was full.")),
      events_opened_(metrics.GetCounter("zhizao_analytics_events_opened_total", "Events the live analytics opened.")),
      store_errors_(metrics.GetCounter("zhizao_analytics_event_store_errors_total",
                                       "Event changes the catalog refused to store.")),
      last_save_(std::chrono::steady_clock::now()),
      tag_edits_seen_(catalog.tag_edits()) {
  // Every tag is asked once; the answer (numeric or not) is cached by the subscription.
  subscription_->SetFilter([](TagId) { return true; });
  registry::MonitorPolicy model_policy{.event_threshold = options_.event_threshold,
                                       .confirm_rows = options_.confirm_samples,
                                       .confirm_window = options_.confirm_window,
                                       .alarm = options_.policy};
  models_ = std::make_unique<ActiveModels>(
      catalog_, model_policy,
      [this](const std::string& what, EventChange change) { return Record(what, std::move(change)); }, health_board_);
  if (options_.history != nullptr && options_.rul_refresh.count() > 0) {
    const Clock& clock = options_.clock != nullptr ? *options_.clock : SystemClock::Instance();
    rul_ = std::make_unique<registry::RulRefresher>(catalog_, *options_.history, clock, health_board_,
                                                    options_.rul_refresh);
  }
  if (options_.asset_models.enabled) {
    const auto gauge = [&metrics](const char* state) {
      return &metrics.GetGauge("zhizao_analytics_asset_models",
                               "Assets whose model is learning, scoring, or could not be trained or has too "
                               "many tags (logged).",
                               {{"state", state}});
    };
    asset_models_learning_ = gauge("learning");
    asset_models_scoring_ = gauge("scoring");
    asset_models_failed_ = gauge("failed");
    AssetHistory history;
    if (options_.history != nullptr) {
      history = {.source = options_.history,
                 .columns_of = [this](catalog::AssetId id, const std::string& path) { return AssetColumns(id, path); }};
    }
    asset_models_ = std::make_unique<AssetModels>(
        options_.asset_models,
        [this](const std::string& path, catalog::AssetId id, const alerts::Observation& o) { ObserveAsset(path, id, o); },
        std::move(history));
  }
}

void UseAssetModels(LiveAnalyticsOptions& options, multivariate::Method method) {
  options.asset_models.enabled = true;
  options.asset_models.method = method;
}

Result<std::unique_ptr<LiveAnalytics>> LiveAnalytics::Open(catalog::Catalog& catalog, stream::Hub& hub,
                                                           MetricsRegistry& metrics, LiveAnalyticsOptions options) {
  std::unique_ptr<LiveAnalytics> live(new LiveAnalytics(catalog, hub, metrics, std::move(options)));
  live->LoadState();
  ZZ_RETURN_IF_ERROR(live->ResumeActiveEvents());
  return live;
}

LiveAnalytics::~LiveAnalytics() { Stop(); }

void LiveAnalytics::LoadState() {
  if (options_.state_path.empty()) return;
  Result<std::string> bytes = ReadWholeFile(options_.state_path);
  if (!bytes.ok()) {
    if (bytes.status().code() != StatusCode::kNotFound) spdlog::warn("analytics: {}", bytes.status().ToString());
    return;
  }
  Result<MonitorStates> states = DecodeMonitorStates(*bytes);
  if (!states.ok()) {
    // Learned state is worth keeping for a person to look at, not worth refusing to start for.
    std::error_code ignored;
    std::filesystem::rename(options_.state_path, options_.state_path + ".bad", ignored);
    spdlog::warn("analytics: {}: {}; the detectors start fresh (the file is kept as {}.bad)", options_.state_path,
                 states.status().message(), options_.state_path);
    return;
  }
  size_t restored = 0;
  std::map<std::string, size_t> refused;  // by reason: after an upgrade every tag has the same one
  for (const auto& [tag, blob] : *states) {
    Watched* watched = WatchedFor(tag);
    if (watched == nullptr) continue;
    Status loaded = watched->monitor.Load(blob);
    if (loaded.ok()) {
      ++restored;
      watched->first_ts_ns = INT64_MIN + 1;
    } else if (refused[loaded.message()]++ == 0) {
      spdlog::warn("analytics: state of {} not restored: {}", watched->path, loaded.message());
    }
  }
  for (const auto& [reason, tags] : refused) {
    if (tags > 1) spdlog::warn("analytics: {} tags in all not restored ({}); they learn again", tags, reason);
  }
  spdlog::info("analytics: detector state of {} tags restored from {}", restored, options_.state_path);
}

Status LiveAnalytics::ResumeActiveEvents() {
  ZZ_ASSIGN_OR_RETURN(std::vector<catalog::Event> active,
                      catalog_.ListEvents({.active_only = true, .limit = 0}));
  // Oldest first: a group's incidents keep the order they began in.
  for (auto e = active.rbegin(); e != active.rend(); ++e) {
    const catalog::Event& event = *e;
    const bool values = event.source.rfind("tag:", 0) == 0, health = event.source.rfind("sensor:", 0) == 0;
    if (!values && !health) continue;
    Result<catalog::Tag> tag = catalog_.FindTag(std::string_view(event.source).substr(values ? 4 : 7));
    if (!tag.ok() && tag.status().code() != StatusCode::kNotFound) return tag.status();
    Watched* watched = tag.ok() ? WatchedFor(tag->id) : nullptr;
    if (watched == nullptr) {
      // Its tag is gone (or no longer numeric): nothing would clear it. It ends where it was last seen.
      catalog::Event ended = event;
      ended.end_ns = std::max(event.last_ns, event.start_ns);
      Record(event.source, {EventChange::Kind::kCleared, std::move(ended)});
      continue;
    }
    if (health) {
      watched->health.Resume(event);
      continue;
    }
    // A value event is its asset's incident, carried on by its first-out tag; the other tags
    // alarm into it again if they still do. A limit's alarm keeps its deadband.
    watched->tracker.Resume(watched->group->Resume(event, tag->id));
    if (std::optional<alerts::LimitState> state = alerts::LimitStateOfDetector(event.detector)) {
      watched->limits.Resume(*state);
    }
  }
  return Status::Ok();
}

std::vector<AssetColumn> LiveAnalytics::AssetColumns(catalog::AssetId asset_id, const std::string& asset_path) {
  std::vector<AssetColumn> columns;
  Result<std::vector<catalog::Tag>> tags = catalog_.ListTags({.asset_id = asset_id});
  if (!tags.ok()) {
    spdlog::warn("analytics: cannot list the tags of {}: {}", asset_path, tags.status().message());
    return columns;
  }
  for (catalog::Tag& tag : *tags) {
    if (tag.data_type != DataType::kFloat64 || tag.path.size() <= asset_path.size() ||
        tag.path.compare(0, asset_path.size(), asset_path) != 0 || tag.path[asset_path.size()] != '/' ||
        tag.path.find('/', asset_path.size() + 1) != std::string::npos) {
      continue;  // another type, or a tag of an asset below
    }
    columns.push_back({.tag = tag.id, .path = std::move(tag.path), .setpoint = tag.writable});
  }
  return columns;
}

LiveAnalytics::Watched* LiveAnalytics::WatchedFor(TagId tag_id) {
  auto [it, inserted] = watched_tags_.try_emplace(tag_id);
  if (!inserted) return it->second.get();
  Result<catalog::Tag> tag = catalog_.GetTag(tag_id);
  // A bool tag is watched for its alarm state alone (a discrete alarm); the others say nothing
  // the analytics could judge. (RefreshLimits looks again when an edit gives one a state.)
  if (!tag.ok() || tag->data_type == DataType::kString ||
      (tag->data_type == DataType::kBool && !tag->limits.alarm_state)) {
    return nullptr;
  }
  it->second = std::make_unique<Watched>(options_, *tag);
  it->second->path = tag->path;
  it->second->float64 = tag->data_type == DataType::kFloat64;
  it->second->boolean = tag->data_type == DataType::kBool;
  it->second->setpoint = tag->writable;
  it->second->asset_id = tag->asset_id;
  it->second->asset_path = tag->path.substr(0, tag->path.rfind('/'));
  it->second->asset_newest_ns = &asset_newest_ns_.try_emplace(it->second->asset_path, INT64_MIN).first->second;
  // A tag's alarms group with those of its equipment: its asset, or for a tag that line protocol
  // made, its series (one asset then holds the measurement's many devices; the series key, its
  // tag set, names one of them).
  const std::optional<std::string> series_key = SeriesKeyOf(*tag);
  it->second->line_protocol = series_key.has_value();
  auto& group = alarm_groups_[options_.group_by_asset ? it->second->asset_path + (series_key ? '\n' + *series_key : "")
                                                      : tag->path];
  if (!group) group = std::make_unique<alerts::AlarmGroup>(options_.policy, options_.group_window);
  it->second->group = group.get();
  watched_.fetch_add(1, std::memory_order_relaxed);
  return it->second.get();
}

void LiveAnalytics::Score(const stream::LiveSample& sample) {
  if (sample.status != status_codes::kGood) return ScoreBad(sample);
  std::optional<double> value = NumericValue(sample);
  if (!value) return;
  if (sample.value.type() != DataType::kBool) models_->Add(sample.tag, sample.ts_ns, *value);  // numbers only
  Watched* watched = WatchedFor(sample.tag);
  if (watched == nullptr) return;
  newest_ns_ = std::max(newest_ns_, sample.ts_ns);
  if (watched->missed_epoch != missed_epoch_) {  // samples of the tag may have been dropped since its last
    watched->monitor.ForgetGap();
    watched->missed_epoch = missed_epoch_;
  } else {
    const bool long_gap = watched->last_good_ns != INT64_MIN &&
                          watched->monitor.DropoutScore(sample.ts_ns) >= options_.event_threshold;
    if (long_gap && IsWritersSkew(*watched, sample.ts_ns)) {
      watched->monitor.ForgetGap();
    } else {
      NoteGap(*watched, long_gap);
    }
  }
  watched->last_good_ns = std::max(watched->last_good_ns, sample.ts_ns);
  watched->last_seen_ns = std::max(watched->last_seen_ns, sample.ts_ns);
  *watched->asset_newest_ns = std::max(*watched->asset_newest_ns, sample.ts_ns);
  if (watched->health.active()) {  // the sensor speaks again
    ObserveSensorHealth(*watched, {.ts_ns = *watched->asset_newest_ns, .score = 0, .threshold = options_.event_threshold});
  }
  if (watched->first_ts_ns == INT64_MIN) {
    if (watched->boolean) {
      watched->first_ts_ns = INT64_MIN + 1;  // nothing to learn
    } else {
      WarmFromHistory(*watched, sample.tag, sample.ts_ns);
    }
  }
  // A tag its asset's model judges leaves process changes to the model (UseAssetModels).
  const bool judged = asset_models_ && watched->float64 && !watched->line_protocol &&
                      asset_models_->Add(watched->asset_id, watched->asset_path, sample.tag, watched->path,
                                         watched->setpoint, sample.ts_ns, *value);
  // A bool tag alarms on its alarm state alone: the detectors have nothing to learn from it.
  detect::Verdict verdict;
  if (!watched->boolean) verdict = watched->monitor.Update(sample.ts_ns, *value, judged ? kSensorFaultRules : ~0u);
  scored_.Increment();
  if (!Warm(watched->first_ts_ns, sample.ts_ns)) verdict = {};  // nothing learnt speaks yet
  // Configured limits alarm whatever the model or the detectors learnt, with no warm-up (nothing
  // to learn), and name the alarm when they do: a person set them, so they say it best.
  const alerts::LimitState limit = std::isfinite(*value) ? watched->limits.Update(*value) : alerts::LimitState::kNormal;
  const double limit_score = LimitScore(limit, options_.event_threshold);
  double score = std::max(verdict.score, limit_score);
  // A discrete alarm is the device's own judgement, debounced where it was made, and may come
  // once (reported by exception): it opens at once. The other alarms wait for the on-delay.
  if (!watched->tracker.active() && score >= options_.event_threshold && limit != alerts::LimitState::kAlarmState &&
      !watched->on_delay.Confirm(sample.ts_ns, ConfirmWindowNs(watched->monitor.usual_interval_s()))) {
    score = 0;  // not yet an alert: held back, as if quiet
  }
  alerts::Observation observation{.ts_ns = sample.ts_ns,
                                  .score = score,
                                  .threshold = options_.event_threshold,
                                  .ended = watched->boolean && limit == alerts::LimitState::kNormal};
  // Words cost an allocation: only samples that may open or raise an event get them.
  if (score >= options_.event_threshold) {
    if (limit_score > 0) {
      // The priority its limit stands for, unless the detectors judge the same sample worse.
      observation.severity = LimitSeverity(limit);
      if (verdict.score >= options_.event_threshold) {
        observation.severity = std::max(observation.severity, SeverityOf(verdict));
      }
      observation.detector = alerts::LimitDetectorName(limit);
      observation.message = watched->limits.Explain(*value);
      if (verdict.fired != 0) observation.message += "; " + detect::Explain(verdict);
    } else {
      observation.severity = SeverityOf(verdict);
      observation.detector = detect::DetectorName(static_cast<detect::DetectorBit>(verdict.top));
      observation.message = detect::Explain(verdict);
    }
    observation.contributions = {{sample.tag, watched->path, 1.0}};
  }
  if (std::optional<EventChange> change = watched->tracker.Observe(observation)) {
    if (std::optional<EventChange> grouped = watched->group->Take(sample.tag, watched->path, *change)) {
      if (catalog::EventId id = Record(watched->path, std::move(*grouped))) watched->group->SetEventId(id);
    }
  }
}

// A lost connection is the connector's news (its status says so, once, rather than every tag of
// it); a device saying that this sensor failed is this tag's.
void LiveAnalytics::ScoreBad(const stream::LiveSample& sample) {
  Watched* watched = WatchedFor(sample.tag);
  if (watched == nullptr) return;
  watched->last_seen_ns = std::max(watched->last_seen_ns, sample.ts_ns);
  if (!IsSensorFailure(sample.status)) return;
  ObserveSensorHealth(*watched, {.ts_ns = std::max(sample.ts_ns, *watched->asset_newest_ns),
                                 .score = 1,
                                 .threshold = options_.event_threshold,
                                 .severity = catalog::Severity::kHigh,
                                 .detector = "sensor_failure",
                                 .message = fmt::format("the device reports a failed sensor (status 0x{:08X})",
                                                        sample.status),
                                 .contributions = {{sample.tag, watched->path, 1.0}}});
}

// Silent: no sample at all (a bad one says why it is missing) for dropout_factor × the tag's
// usual interval, and at least kMinSilenceNs, while good samples of other tags of its asset keep
// arriving. (The minimum absorbs the skew between connectors that deliver an asset's tags in
// batches of their own.) A whole asset
// falling silent is its connection's failure, which the connector reports once.
void LiveAnalytics::CheckSilentTags() {
  for (auto& [tag, watched] : watched_tags_) {
    if (watched == nullptr || watched->last_good_ns == INT64_MIN || watched->last_seen_ns > watched->last_good_ns ||
        watched->irregular_samples > 0 || !(watched->monitor.options().enabled & detect::kDropout)) {
      continue;
    }
    const int64_t now_ns = *watched->asset_newest_ns;
    // Samples dropped from a full queue are no silence: count it from the last drop, if later.
    const int64_t since = watched->missed_epoch == missed_epoch_ ? watched->last_good_ns
                                                                  : std::max(watched->last_good_ns, missed_upto_ns_);
    int64_t silence_ns = 0;
    if (__builtin_sub_overflow(now_ns, since, &silence_ns) || silence_ns < kMinSilenceNs) continue;
    const double score = watched->monitor.DropoutScore(now_ns - (since - watched->last_good_ns));
    if (score < options_.event_threshold) continue;
    ObserveSensorHealth(*watched, {.ts_ns = now_ns,
                                   .score = score,
                                   .threshold = options_.event_threshold,
                                   .detector = "dropout",
                                   .message = "no sample arrives while other tags' do",
                                   .contributions = {{tag, watched->path, 1.0}}});
  }
}

// Whether a gap that would be a dropout is shorter than kMinSilenceNs: batches written over
// several connections overtake each other by seconds, and the samples in between come late,
// not never. REQUIRES: the tag has a good sample.
bool LiveAnalytics::IsWritersSkew(const Watched& watched, int64_t ts_ns) {
  int64_t gap_ns = 0;
  return !__builtin_sub_overflow(ts_ns, watched.last_good_ns, &gap_ns) && gap_ns < kMinSilenceNs;
}

// A tag whose samples come with long gaps now and then (reported by exception: Sparkplug, OPC UA
// subscriptions, MQTT feeds publish a steady value once) is silent by design: its silence is
// judged only after kIrregularMemory samples without such a gap.
void LiveAnalytics::NoteGap(Watched& watched, bool long_gap) {
  if (long_gap) {
    watched.irregular_samples = kIrregularMemory;
  } else if (watched.irregular_samples > 0) {
    --watched.irregular_samples;
  }
}

// A failed or silent sensor needs nothing learnt (no warm-up), but the on-delay holds: one late
// poll is not an alert.
void LiveAnalytics::ObserveSensorHealth(Watched& watched, alerts::Observation observation) {
  if (!watched.health.active() && observation.score >= observation.threshold &&
      !watched.health_on_delay.Confirm(observation.ts_ns, ConfirmWindowNs(watched.monitor.usual_interval_s()))) {
    observation.score = 0;
  }
  if (std::optional<EventChange> change = watched.health.Observe(observation)) {
    if (catalog::EventId id = Record(watched.path, std::move(*change))) watched.health.SetEventId(id);
  }
}

void LiveAnalytics::WarmFromHistory(Watched& watched, TagId tag, int64_t first_ts_ns) {
  watched.first_ts_ns = first_ts_ns;
  if (options_.history == nullptr) return;
  const int64_t warmup_ns = std::chrono::nanoseconds(options_.warmup).count();
  storage::SeriesSamples stored;
  if (Status read = options_.history->Read(tag, first_ts_ns - warmup_ns, first_ts_ns - 1, &stored); !read.ok()) {
    spdlog::warn("analytics: cannot read the history of {}: {}", watched.path, read.message());
    return;
  }
  int64_t earliest = INT64_MAX;
  for (size_t i = 0; i < stored.size(); ++i) {
    if (stored.status[i] != status_codes::kGood) continue;
    const double v = stored.type == DataType::kFloat64 ? stored.f64[i] : static_cast<double>(stored.i64[i]);
    watched.monitor.Update(stored.ts_ns[i], v);
    earliest = std::min(earliest, stored.ts_ns[i]);
  }
  // Nine tenths of the span: a tag polled every few seconds still counts as covered.
  if (earliest != INT64_MAX && first_ts_ns - earliest >= warmup_ns * 9 / 10) watched.first_ts_ns = INT64_MIN + 1;
}

void LiveAnalytics::ObserveAsset(const std::string& asset_path, catalog::AssetId asset_id,
                                 alerts::Observation observation) {
  auto [it, inserted] = asset_alarms_.try_emplace(asset_path);
  if (inserted) {
    catalog::Event event_template;
    event_template.asset_id = asset_id;
    event_template.asset_path = asset_path;
    event_template.source = "asset:" + asset_path;
    it->second = std::make_unique<AssetAlarm>(std::move(event_template), options_);
  }
  AssetAlarm& alarm = *it->second;
  // The models start after their own warm-up and training: no second warm-up here.
  if (!alarm.tracker.active() && observation.score >= observation.threshold &&
      !alarm.on_delay.Confirm(observation.ts_ns, ConfirmWindowNs(/*usual_interval_s=*/0.0))) {
    observation.score = 0;
  }
  if (std::optional<EventChange> change = alarm.tracker.Observe(observation)) {
    if (catalog::EventId id = Record(asset_path, std::move(*change))) alarm.tracker.SetEventId(id);
  }
}

std::optional<std::string> LiveAnalytics::SeriesKeyOf(const catalog::Tag& tag) {
  Result<std::optional<catalog::SeriesName>> series = catalog_.GetSeriesName(tag.id);
  if (!series.ok()) spdlog::warn("analytics: cannot read the series of {}: {}", tag.path, series.status().message());
  if (!series.ok() || !series->has_value()) return std::nullopt;
  return std::move((*series)->series_key);
}

bool LiveAnalytics::Warm(int64_t first_ts_ns, int64_t ts_ns) const {
  return first_ts_ns == INT64_MIN + 1 || ts_ns - first_ts_ns >= std::chrono::nanoseconds(options_.warmup).count();
}

int64_t LiveAnalytics::ConfirmWindowNs(double usual_interval_s) const {
  // A tag sampled more slowly than confirm_window allows for confirm_samples samples (a gauge
  // that measures each part, every few minutes) could never confirm an alarm: its window is that
  // many of its own intervals. At most 6 h: one odd gap (the interval is learnt from the first one
  // at full weight) must not make any five scattered alarms an event.
  constexpr double kLongestWindowS = 6 * 3600;
  const int64_t configured_ns = std::chrono::nanoseconds(options_.confirm_window).count();
  const double widened_s = options_.confirm_samples * usual_interval_s;
  if (!(widened_s > 0)) return configured_ns;  // also NaN
  return std::max<int64_t>(configured_ns, static_cast<int64_t>(std::min(widened_s, kLongestWindowS) * 1e9));
}

catalog::EventId LiveAnalytics::Record(const std::string& what, EventChange change) {
  if (change.kind == EventChange::Kind::kOpened) {
    Result<catalog::EventId> id = catalog_.InsertEvent(change.event);
    if (!id.ok()) {
      store_errors_.Increment();
      spdlog::warn("analytics: cannot store the event of {}: {}", what, id.status().message());
      return 0;
    }
    change.event.id = *id;
    events_opened_.Increment();
  } else if (change.event.id != 0) {
    Status updated = catalog_.UpdateEvent(change.event);
    if (!updated.ok()) {
      store_errors_.Increment();
      spdlog::warn("analytics: cannot update event {} of {}: {}", change.event.id, what, updated.message());
      return 0;
    }
  }
  const catalog::EventId opened = change.kind == EventChange::Kind::kOpened ? change.event.id : 0;
  if (options_.on_change) options_.on_change(change);
  return opened;
}

void LiveAnalytics::ProcessQueued() {
  ScoreQueued();
  if (rul_) rul_->MaybeRefresh();
  if (asset_models_) {
    const AssetModelCounts counts = asset_models_->Counts();
    asset_models_learning_->Set(static_cast<double>(counts.learning));
    asset_models_scoring_->Set(static_cast<double>(counts.scoring));
    asset_models_failed_->Set(static_cast<double>(counts.failed));
  }
}

void LiveAnalytics::ScoreQueued() {
  if (reload_models_.exchange(false, std::memory_order_relaxed)) {
    models_->Reload();
    if (rul_) rul_->Invalidate();
  }
  if (const uint64_t edits = catalog_.tag_edits(); edits != tag_edits_seen_ && RefreshLimits()) tag_edits_seen_ = edits;
  for (;;) {
    stream::Delivery delivery = subscription_->Take(4096);
    dropped_.Increment(delivery.dropped);
    if (delivery.dropped > 0) ++missed_epoch_;
    for (const stream::LiveSample& sample : delivery.samples) Score(sample);
    if (delivery.dropped > 0) missed_upto_ns_ = std::max(missed_upto_ns_, newest_ns_);
    if (delivery.samples.size() < 4096) break;
  }
  // Silence is judged on data time, whenever it moved: a tag is silent while others speak.
  if (newest_ns_ != silence_checked_at_ns_) {
    CheckSilentTags();
    silence_checked_at_ns_ = newest_ns_;
  }
}

// Edits are rare (a person, a connector registering its tags): one read of every tag, and each
// watched one takes its limits again.
bool LiveAnalytics::RefreshLimits() {
  Result<std::vector<catalog::Tag>> tags = catalog_.ListTags({});
  if (!tags.ok()) {
    // Tried again at every poll: said once.
    if (!limits_unread_) {
      spdlog::warn("analytics: cannot read the tags' alarm limits again: {}", tags.status().message());
    }
    limits_unread_ = true;
    return false;
  }
  limits_unread_ = false;
  for (const catalog::Tag& tag : *tags) {
    auto it = watched_tags_.find(tag.id);
    if (it == watched_tags_.end()) continue;
    if (it->second != nullptr) {
      it->second->limits.Configure(tag);
    } else if (tag.data_type == DataType::kBool && tag.limits.alarm_state) {
      watched_tags_.erase(it);  // a bool given an alarm state: watched from its next sample
    }
  }
  return true;
}

Status LiveAnalytics::SaveState() {
  if (options_.state_path.empty()) return Status::Ok();
  MonitorStates states;
  for (const auto& [tag, watched] : watched_tags_) {
    if (watched != nullptr && watched->monitor.samples() > 0) states.emplace_back(tag, watched->monitor.Save());
  }
  return WriteFileAtomically(options_.state_path, EncodeMonitorStates(states));
}

void LiveAnalytics::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Run(); });
}

void LiveAnalytics::Run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    ProcessQueued();
    if (std::chrono::steady_clock::now() - last_save_ >= options_.save_every) {
      if (Status saved = SaveState(); !saved.ok()) spdlog::warn("analytics: {}", saved.ToString());
      last_save_ = std::chrono::steady_clock::now();
    }
    lock.lock();
    wake_.wait_for(lock, options_.poll, [this] { return stopping_; });
  }
}

void LiveAnalytics::Stop() {
  if (asset_models_) asset_models_->Stop();  // before the historian closes
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  ScoreQueued();
  if (Status saved = SaveState(); !saved.ok()) spdlog::warn("analytics: {}", saved.ToString());
}

}  // namespace zhizao::analytics::live
