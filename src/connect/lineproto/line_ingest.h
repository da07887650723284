// Stores a body of InfluxDB line protocol through ingest: the one path of POST /write,
// POST /api/v2/write and `zhizao write`.
//
// Each field of a line is a catalog tag, found by (database, series key, field) in the
// SeriesIndex. A field not seen before is made (in one catalog transaction per body) when the
// policy allows; its first value's type becomes the tag's type. As in InfluxDB, a bad line is
// skipped whole and the rest of the body is stored: the result names every bad line.
//
//   LineIngest lines(index, ingest);
//   WriteOutcome out = lines.Write(body, {.database = "plant", .precision = Precision::kMillisecond,
//                                         .now_ns = clock.NowNs()});
//   if (!out.status.ok()) ... // out.points_stored were stored all the same
//
// Thread-safe: requests run in parallel.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "catalog/series_index.h"
#include "common/status.h"
#include "connect/lineproto/precision.h"
#include "ingest/ingest.h"

namespace zhizao::connect::lineproto {

enum class SeriesPolicy : uint8_t {
  kAuto,    // make a tag for every new field
  kReject,  // a line with a field the catalog does not know is a bad line
};

// "auto" or "reject".
Result<SeriesPolicy> ParseSeriesPolicy(std::string_view text);

struct LineWriteOptions {
  std::string database;  // the namespace: a root asset of the catalog
  Precision precision = Precision::kNanosecond;
  int64_t now_ns = 0;    // the timestamp of lines without one
  SeriesPolicy policy = SeriesPolicy::kAuto;
  size_t max_errors = 100;  // bad lines named in the status; later ones only counted
};

struct WriteOutcome {
  int64_t points_stored = 0;  // durable per the storage policy
  int64_t lines_rejected = 0;
  // Ok; InvalidArgument with one line per bad line ("line <n>: <reason>"), when only lines were
  // bad; otherwise the error that stopped the write (catalog or storage), with nothing of the
  // failed batch acknowledged.
  Status status;
};

class LineIngest {
 public:
  // REQUIRES: index and ingest outlive this.
  LineIngest(catalog::SeriesIndex& index, ingest::Ingest& ingest) : index_(index), ingest_(ingest) {}

  WriteOutcome Write(std::string_view body, const LineWriteOptions& options);

 private:
  catalog::SeriesIndex& index_;
  ingest::Ingest& ingest_;
};

}  // namespace zhizao::connect::lineproto
