// The stores of a data dir (lock, catalog, history, ingest), opened together by `serve` and by
// `sim --data-dir`.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/series_index.h"
#include "common/dir_lock.h"
#include "connect/lineproto/line_ingest.h"
#include "ingest/ingest.h"
#include "query/influxql_exec.h"
#include "query/sample_source.h"
#include "storage/engine.h"
#include "stream/hub.h"

namespace zhizao::app {

// Members are declared in opening order, so they close in reverse.
struct DataDir {
  std::unique_ptr<DirLock> lock;
  std::unique_ptr<catalog::Catalog> catalog;
  std::unique_ptr<storage::Engine> engine;
  std::unique_ptr<stream::Hub> live;  // what ingest stored, for live subscribers
  std::unique_ptr<ingest::Ingest> ingest;
  std::unique_ptr<catalog::SeriesIndex> series;
  std::unique_ptr<connect::lineproto::LineIngest> lines;
  std::unique_ptr<query::EngineSource> source;
  std::unique_ptr<query::influxql::Executor> influxql;

  // Locks `path`, opens DIR/catalog.db and the history in DIR/history (engine_options.dir is
  // set here). Errors name what could not be opened.
  static Result<DataDir> Open(const std::string& path, storage::EngineOptions engine_options,
                              query::QueryOptions query_options = {});
};

// Registers a simulator's assets and tags in the catalog, binds the simulator to their ids,
// and lets ingest accept them. Works with Simulator and SimRunner alike.
template <typename Sim>
Status RegisterSimulator(Sim& sim, DataDir& dir) {
  ZZ_RETURN_IF_ERROR(dir.catalog->UpsertAssets(sim.assets()).status().WithContext("cannot register simulated assets"));
  ZZ_ASSIGN_OR_RETURN(std::vector<TagId> ids, dir.catalog->UpsertTags(sim.tags()));
  sim.BindTagIds(ids);
  std::vector<catalog::Tag> tags(sim.tags().begin(), sim.tags().end());
  for (size_t i = 0; i < tags.size(); ++i) tags[i].id = ids[i];
  dir.series->AddTags(tags);
  return dir.ingest->RefreshTags();
}

}  // namespace zhizao::app
