// Events: what the analytics raised about the plant (an anomaly on a tag, a model's alarm), kept
// in the catalog with their alarm-management state after ISA-18.2 (active, acknowledged,
// shelved). The records here are plain; the rules that open, update and close them live in
// analytics/alerts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/batch.h"
#include "common/status.h"

namespace zhizao::catalog {

using AssetId = int64_t;
using EventId = int64_t;

enum class Severity : uint8_t { kLow = 0, kMedium, kHigh, kCritical };
std::string_view SeverityName(Severity severity);  // "low", "medium", "high", "critical"
Result<Severity> ParseSeverity(std::string_view name);

// One signal behind an event and its share of the explanation; an event's weights sum to 1.
struct Contribution {
  TagId tag_id = 0;
  std::string path;  // the tag's path when the event was raised
  double weight = 0;
};

struct Event {
  EventId id = 0;           // assigned by the catalog
  AssetId asset_id = 0;     // the asset concerned; 0 when none (or it was deleted since)
  std::string asset_path;   // kept as text so the event outlives a deleted asset
  // What was watched, e.g. "tag:<path>" or "model:<id>"; the analytics keep at most one active
  // event per source.
  std::string source;
  std::string detector;     // what raised it, e.g. "dspot", "cusum", "stuck", "pca"
  std::string model_id;     // empty for the built-in detectors
  int64_t model_version = 0;
  Severity severity = Severity::kMedium;
  double score = 0;         // the peak score, in [0, 1]
  double threshold = 0;     // the score at which it was raised
  int64_t start_ns = 0;     // when the condition first held
  int64_t end_ns = 0;       // when it cleared; 0 while active
  int64_t last_ns = 0;      // the last sample at which it held
  // How many times it cleared and came back soon enough to be folded into this event (chatter).
  int64_t returns = 0;
  std::string message;      // the explanation in words
  std::vector<Contribution> contributions;  // largest weight first
  int64_t acknowledged_ns = 0;  // 0 until acknowledged
  std::string acknowledged_by;
  int64_t shelved_until_ns = 0;  // hidden from the active list until then; 0 when not shelved
  std::string shelved_by;

  bool active() const { return end_ns == 0; }
};

// Which events ListEvents returns, newest start first. All conditions must hold.
struct EventFilter {
  // Only events of this asset and every asset below it. Default: any.
  std::optional<AssetId> asset_id;
  std::optional<std::string> source;  // Default: any.
  // Only events this tag contributed to (it raised them, or joined an equipment's grouped
  // event). Default: any.
  std::optional<TagId> tag;
  bool active_only = false;           // Default: cleared ones too.
  // Shelved events (shelved_until_ns > now_ns) are left out unless this is set. Default: included.
  bool hide_shelved = false;
  int64_t now_ns = 0;
  // Only events that overlap [from_ns, to_ns]. Default: all time.
  int64_t from_ns = INT64_MIN;
  int64_t to_ns = INT64_MAX;
  size_t limit = 100;  // at most this many; 0 for no limit
  size_t offset = 0;
};

}  // namespace zhizao::catalog
