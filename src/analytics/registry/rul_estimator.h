// Serves the registry's active RUL versions per asset: for each asset of a version's fleet, the
// remaining useful life predicted from the asset's cycles since its current run began, with the
// ensemble's spread as its uncertainty, in cycles and in time.
//
// From stored history, not per sample: a prediction needs the asset's whole run (the model's
// features look back to the run's start), which the historian already holds, and a cycle is
// typically an hour, so nothing is gained by computing on every sample. A RulRefresher
// (rul_refresher.h) calls it in the background and publishes the results for GET /api/v1/health.
// The rows are built by rul_cycles.h exactly as training built them. Cached per (version, asset):
// the cycle rows read so far (each call reads only the cycles completed since) and the prediction
// at the last cycle (recomputed only when a cycle was added). A sample arriving after its cycle
// was read is not seen until the cache is rebuilt (a new version, or a restart).
//
// A version without a card is not served (inference needs a card); an asset with fewer than
// `window` complete cycles in its run answers "not enough history yet".
//
// Not thread-safe: owned by one thread (its refresher's).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "query/sample_source.h"

namespace zhizao::analytics::registry {

struct AssetRul {
  std::string model_id;
  int64_t model_version = 0;
  catalog::AssetId asset_id = 0;
  std::string asset_path;
  bool ready = false;      // false: `note` says why there is no estimate
  std::string note;
  int64_t as_of_ns = 0;    // the end of the last cycle the estimate is for
  double cycles = 0;       // remaining life, cycles after as_of (failure within one more cycle)
  double spread_cycles = 0;  // the ensemble members' standard deviation
  int64_t cycle_ns = 0;
  double seconds() const { return cycles * static_cast<double>(cycle_ns) / 1e9; }
  double spread_seconds() const { return spread_cycles * static_cast<double>(cycle_ns) / 1e9; }
};

class RulEstimator {
 public:
  RulEstimator();
  ~RulEstimator();
  // Every active RUL version's estimate for every asset of its fleet, by model id then fleet
  // order, as of now_ns (cycles ending at or before it). A version that cannot run (no card, a
  // damaged blob, an input tag gone) is left out and logged. Errors: the catalog's.
  Result<std::vector<AssetRul>> Estimate(catalog::Catalog& catalog, const query::SampleSource& history,
                                         int64_t now_ns);

  struct Served;  // internal: one served version (rul_estimator.cc)

 private:
  Result<Served*> Load(catalog::Catalog& catalog, const catalog::ModelVersion& listed);

  std::map<std::string, std::unique_ptr<Served>> served_;  // by model id
};

}  // namespace zhizao::analytics::registry
