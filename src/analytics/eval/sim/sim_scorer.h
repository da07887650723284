// Scores events against the simulator's fault episodes (docs/analytics/sim_eval.md states every
// rule; this header is their contract):
//
//  - An event matches an episode when it concerns the episode's asset (its asset path, or any of
//    its contributing tags is one of the episode's tags) and it starts inside the episode's
//    window [start, end + grace]. An event that started before the episode does not match it,
//    even if still active: it was raised by something else.
//  - An episode is detected when at least one event matches it; its delay is the start of the
//    earliest matching event minus the episode's start.
//  - Several per-tag events on one asset during one episode are one alert for the engineer:
//    its contributions are the distinct tags of the matching events, earliest event first
//    (within an event, by weight). The root cause is in the top 3 when the episode's
//    root-cause tag is among the first three of them.
//  - An event is a true alert when it matches at least one episode; precision = true / all.
//  - Episodes starting after `judge_until_ns` are not judged (too late to be seen in the run);
//    events matching only such episodes are neither true nor false and are left out.
//  - Episodes and events starting before `judge_from_ns` (the plant's history, which the
//    analytics learn from) are not judged either.
//
// Pure functions on plain values; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zhizao::analytics::eval::sim {

struct TruthEpisode {
  int64_t id = 0;
  std::string type;                // FaultTypeName
  std::string asset_path;
  std::vector<std::string> tags;   // tags that show the fault
  std::string root_cause_tag;
  int64_t start_ns = 0, end_ns = 0;
};

struct AlertEvent {
  std::string asset_path;
  std::vector<std::string> tags;   // contributing tags, largest weight first
  std::string detector;
  double score = 0;
  int64_t start_ns = 0;
};

struct ScoringRules {
  int64_t grace_ns = 10LL * 60 * 1'000'000'000;  // after an episode's end. Default: 10 min.
  int64_t judge_until_ns = INT64_MAX;            // episodes starting later are not judged
  int64_t judge_from_ns = INT64_MIN;             // episodes and events starting earlier are not judged
};

struct EpisodeOutcome {
  int64_t episode_id = 0;
  std::string type;
  bool judged = true;
  bool detected = false;
  int64_t delay_ns = 0;            // when detected
  bool root_cause_top3 = false;    // when detected
  std::vector<std::string> ranked_tags;  // the alert's contributions as ranked (at most 5)
};

struct SimScore {
  std::vector<EpisodeOutcome> episodes;   // in the order given
  std::vector<bool> event_true;           // per event in the order given
  std::vector<bool> event_judged;         // false: before judge_from_ns, or matches only unjudged episodes
  int judged_episodes = 0, detected = 0, root_cause_hits = 0;
  int judged_events = 0, true_events = 0;
  double recall = 0;            // detected / judged episodes (0 when none)
  double precision = 0;         // true / judged events (1 when no events)
  double root_cause_top3 = 0;   // hits / detected (0 when none detected)
  double median_delay_s = 0;    // over detected episodes (NaN when none)
};

SimScore ScoreEvents(const std::vector<TruthEpisode>& episodes, const std::vector<AlertEvent>& events,
                     const ScoringRules& rules);

}  // namespace zhizao::analytics::eval::sim
