// Loads line-protocol files into per-series columns, the corpus of the chunk codec's
// benchmark and measurements. Bench-only: a simple subset of line protocol (no escapes,
// no spaces or commas inside quoted strings), not the ingest parser.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/batch.h"
#include "common/status.h"

namespace zhizao::bench {

// One series: a (measurement+tags, field) pair, in file order.
struct CorpusSeries {
  std::string name;  // "<measurement,tags> <field>"
  DataType type = DataType::kFloat64;
  std::vector<int64_t> ts_ns;
  std::vector<double> f64;   // kFloat64
  std::vector<int64_t> i64;  // kInt64, kBool (0/1)
  std::vector<std::string> str;
  size_t size() const { return ts_ns.size(); }
};

struct CorpusOptions {
  // Multiplies each timestamp into nanoseconds: 1'000'000 for ms files. Default: 1 (ns).
  int64_t ts_scale = 1;
  // Stops after this many points. Default: no limit.
  uint64_t max_points = UINT64_MAX;
};

// Returns the series of `path` sorted by name. A series whose field changes type is
// split ("<name>#<type>"). Lines that do not parse are skipped and counted in *skipped.
Result<std::vector<CorpusSeries>> LoadLineProtocol(const std::string& path, const CorpusOptions& options,
                                                   uint64_t* skipped = nullptr);

// Guesses CorpusOptions::ts_scale from the first timestamp of the file (s, ms, us or ns).
Result<int64_t> GuessTimestampScale(const std::string& path);

}  // namespace zhizao::bench
