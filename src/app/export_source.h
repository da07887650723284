// Where `zhizao export` gets its tags and their samples from a running server.
//
// Tags are listed by GET /api/v1/tags?path=<glob>. Their samples are read through InfluxQL
// (/query), under the InfluxDB names each tag answers to (see catalog/series_index.h);
// ReadSamples is the one place that knows, so that it can move to /api/v1/series/range.
//
// Not thread-safe (the client is not).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "app/http_client.h"
#include "catalog/model.h"
#include "common/status.h"

namespace zhizao::app {

struct ExportTag {
  std::string path;
  std::string data_type;    // "float64", "int64", "bool" or "string"
  catalog::SeriesName name;  // database, measurement, tags and field
};

using SampleValue = std::variant<double, int64_t, bool, std::string>;

struct Sample {
  int64_t ts_ns = 0;
  SampleValue value;
};

// The tags whose paths match `glob`, in the server's order, with their InfluxDB names.
// Errors: the server's (CheckReply), and NotFound for a tag that no InfluxDB name resolves to.
Result<std::vector<ExportTag>> ListExportTags(HttpClient& client, const std::string& glob);

// Every tag of database `db` (the root asset) that answers to an InfluxDB name, by path: one
// listing of its tags and one of its names, for a caller that looks up many of them.
Result<std::map<std::string, ExportTag>> ExportTagsOf(HttpClient& client, const std::string& db);

using SamplePage = std::function<Status(std::span<const Sample>)>;

// Calls on_page with the samples of `tag` in [from_ns, to_ns), in time order, a page at a
// time; stops at the first error on_page returns.
Status ReadSamples(HttpClient& client, const ExportTag& tag, int64_t from_ns, int64_t to_ns,
                   const SamplePage& on_page);

}  // namespace zhizao::app
