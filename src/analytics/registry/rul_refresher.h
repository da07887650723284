// Keeps the remaining-useful-life estimates of the registry's active RUL versions fresh, off the
// HTTP request path: every `every` (and at once after Invalidate(), i.e. after a model was
// activated, rolled back or deactivated) it runs a RulEstimator over stored history and publishes
// the whole set, stamped with when it was computed, to a HealthBoard, which GET /api/v1/health
// reads without computing anything.
//
// Why periodic and not per sample: an estimate reads the asset's whole run from the historian
// (rul_estimator.h) and changes only when a cycle (typically an hour) completes, so a pass a
// minute is fresh to within a minute of a cycle's end and costs one catalog read when nothing
// completed. The first pass after an activation reads every run since its start, once; later
// passes read only the cycles completed since.
//
// Not thread-safe: owned by one thread (the live analytics thread, which calls MaybeRefresh()
// on each poll). The board it publishes to is thread-safe.
#pragma once

#include <chrono>
#include <cstdint>

#include "analytics/registry/health_board.h"
#include "analytics/registry/rul_estimator.h"
#include "catalog/catalog.h"
#include "common/clock.h"
#include "query/sample_source.h"

namespace zhizao::analytics::registry {

class RulRefresher {
 public:
  // REQUIRES: catalog, history, clock and board outlive the refresher; every > 0.
  RulRefresher(catalog::Catalog& catalog, const query::SampleSource& history, const Clock& clock, HealthBoard& board,
               std::chrono::seconds every);

  // The next MaybeRefresh() estimates, however recent the last pass.
  void Invalidate() { stale_ = true; }
  // Estimates and publishes when Invalidate() was called or `every` has passed (on the clock)
  // since the last pass; returns whether it did. The first call always does. A pass that cannot
  // list the active versions (a catalog error) is logged and leaves the board as it was.
  bool MaybeRefresh();

 private:
  catalog::Catalog& catalog_;
  const query::SampleSource& history_;
  const Clock& clock_;
  HealthBoard& board_;
  const int64_t every_ns_;
  RulEstimator estimator_;
  bool stale_ = true;
  int64_t last_pass_ns_ = 0;
};

}  // namespace zhizao::analytics::registry
