#include "app/data_dir.h"

namespace zhizao::app {

Result<DataDir> DataDir::Open(const std::string& path, storage::EngineOptions engine_options,
                              query::QueryOptions query_options) {
  DataDir dir;
  ZZ_ASSIGN_OR_RETURN(dir.lock, DirLock::Acquire(path));
  ZZ_ASSIGN_OR_RETURN(dir.catalog, catalog::Catalog::Open(path + "/catalog.db"));
  engine_options.dir = path + "/history";
  ZZ_ASSIGN_OR_RETURN(dir.engine, storage::Engine::Open(engine_options));
  dir.live = std::make_unique<stream::Hub>(MetricsRegistry::Default());
  dir.ingest = std::make_unique<ingest::Ingest>(*dir.catalog, *dir.engine, MetricsRegistry::Default(), dir.live.get());
  ZZ_RETURN_IF_ERROR(dir.ingest->RefreshTags());
  ZZ_ASSIGN_OR_RETURN(dir.series, catalog::SeriesIndex::Load(*dir.catalog));
  dir.lines = std::make_unique<connect::lineproto::LineIngest>(*dir.series, *dir.ingest);
  dir.source = std::make_unique<query::EngineSource>(*dir.engine);
  dir.influxql = std::make_unique<query::influxql::Executor>(*dir.catalog, *dir.series, *dir.source,
                                                             query_options);
  return dir;
}

}  // namespace zhizao::app
