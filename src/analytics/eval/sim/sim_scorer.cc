#include "analytics/eval/sim/sim_scorer.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace zhizao::analytics::eval::sim {
namespace {

bool Concerns(const AlertEvent& event, const TruthEpisode& episode) {
  if (event.asset_path == episode.asset_path) return true;
  return std::any_of(event.tags.begin(), event.tags.end(), [&](const std::string& tag) {
    return std::find(episode.tags.begin(), episode.tags.end(), tag) != episode.tags.end();
  });
}

bool Matches(const AlertEvent& event, const TruthEpisode& episode, const ScoringRules& rules) {
  return Concerns(event, episode) && event.start_ns >= episode.start_ns &&
         event.start_ns <= episode.end_ns + rules.grace_ns;
}

bool Judged(const TruthEpisode& episode, const ScoringRules& rules) {
  return episode.start_ns >= rules.judge_from_ns && episode.start_ns <= rules.judge_until_ns;
}

double Median(std::vector<double> v) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// The engineer's view of one episode: its matching events as one alert, earliest first.
EpisodeOutcome Judge(const TruthEpisode& episode, const std::vector<AlertEvent>& events, const ScoringRules& rules) {
  EpisodeOutcome out{.episode_id = episode.id, .type = episode.type, .judged = Judged(episode, rules)};
  std::vector<const AlertEvent*> matching;
  for (const AlertEvent& e : events) {
    if (Matches(e, episode, rules)) matching.push_back(&e);
  }
  if (matching.empty()) return out;
  std::stable_sort(matching.begin(), matching.end(), [](const AlertEvent* a, const AlertEvent* b) {
    return a->start_ns != b->start_ns ? a->start_ns < b->start_ns : a->score > b->score;
  });
  out.detected = true;
  out.delay_ns = matching.front()->start_ns - episode.start_ns;
  for (const AlertEvent* e : matching) {
    for (const std::string& tag : e->tags) {
      if (std::find(out.ranked_tags.begin(), out.ranked_tags.end(), tag) == out.ranked_tags.end()) {
        out.ranked_tags.push_back(tag);
      }
    }
  }
  size_t top = std::min<size_t>(3, out.ranked_tags.size());
  out.root_cause_top3 =
      std::find(out.ranked_tags.begin(), out.ranked_tags.begin() + static_cast<std::ptrdiff_t>(top),
                episode.root_cause_tag) != out.ranked_tags.begin() + static_cast<std::ptrdiff_t>(top);
  if (out.ranked_tags.size() > 5) out.ranked_tags.resize(5);
  return out;
}

}  // namespace

SimScore ScoreEvents(const std::vector<TruthEpisode>& episodes, const std::vector<AlertEvent>& events,
                     const ScoringRules& rules) {
  SimScore s;
  std::vector<double> delays;
  for (const TruthEpisode& episode : episodes) {
    EpisodeOutcome out = Judge(episode, events, rules);
    if (out.judged) {
      ++s.judged_episodes;
      if (out.detected) {
        ++s.detected;
        delays.push_back(static_cast<double>(out.delay_ns) / 1e9);
        if (out.root_cause_top3) ++s.root_cause_hits;
      }
    }
    s.episodes.push_back(std::move(out));
  }
  for (const AlertEvent& e : events) {
    bool judged_match = false, any_match = false;
    for (const TruthEpisode& episode : episodes) {
      if (!Matches(e, episode, rules)) continue;
      any_match = true;
      if (Judged(episode, rules)) judged_match = true;
    }
    const bool judged = e.start_ns >= rules.judge_from_ns && (judged_match || !any_match);
    s.event_true.push_back(judged && judged_match);
    s.event_judged.push_back(judged);
    if (judged) {
      ++s.judged_events;
      if (judged_match) ++s.true_events;
    }
  }
  s.recall = s.judged_episodes > 0 ? static_cast<double>(s.detected) / s.judged_episodes : 0;
  s.precision = s.judged_events > 0 ? static_cast<double>(s.true_events) / s.judged_events : 1;
  s.root_cause_top3 = s.detected > 0 ? static_cast<double>(s.root_cause_hits) / s.detected : 0;
  s.median_delay_s = Median(delays);
  return s;
}

}  // namespace zhizao::analytics::eval::sim
