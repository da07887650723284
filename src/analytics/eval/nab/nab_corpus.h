// NAB v1.1 corpus on disk: the 58 series and their labelled windows.
//
// LoadNabCorpus(dir) reads dir/data/<category>/<name>.csv (timestamp,value) and
// dir/labels/combined_windows.json ({"<category>/<name>.csv": [["start", "end"], ...]}), and
// returns the files in the order of the labels file, each window turned into the inclusive row
// range [first, last] of rows whose timestamp lies in it. Errors: kNotFound for a missing file,
// kCorruption for a malformed row or label. Timestamps are "YYYY-MM-DD HH:MM:SS[.ffffff]", UTC.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace zhizao::analytics::eval::nab {

struct NabWindow {
  size_t first = 0, last = 0;  // inclusive row indices
};

struct NabFile {
  std::string name;  // "<category>/<name>.csv"
  std::vector<int64_t> ts_ns;
  std::vector<double> values;
  std::vector<NabWindow> windows;  // sorted, disjoint
};

Result<std::vector<NabFile>> LoadNabCorpus(const std::string& dir);

// Parses "YYYY-MM-DD HH:MM:SS[.ffffff]" as UTC nanoseconds since the epoch.
Result<int64_t> ParseNabTimestamp(std::string_view text);

}  // namespace zhizao::analytics::eval::nab
