// Sends line protocol to a server's POST /write in bodies of at most a given size, cut at line
// ends, and keeps the count: the one sending path of `zhizao write` and `zhizao import`.
//
// A partial write (the server stored the good lines of a body and names the bad ones) does not
// stop the sending: its errors are kept, renumbered to the caller's input lines. Any other
// failure (connection, 401, 413, ...) stops it.
//
// Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/http_client.h"
#include "common/status.h"

namespace zhizao::app {

struct LinePosterOptions {
  std::string database;
  std::string precision = "ns";
  size_t batch_bytes = 4 << 20;  // a longer single line goes alone
  bool gzip = false;
  std::string source_unit = "line";  // what errors call the caller's numbers: "line 12", "row 12"
};

class LinePoster {
 public:
  // REQUIRES: client outlives the poster.
  LinePoster(HttpClient& client, LinePosterOptions options) : client_(client), options_(std::move(options)) {}

  // Queues one line (with or without its '\n'); `source_line` is what errors call it (the
  // line of the file, the row of a CSV). Sends the queued body first if the line would not fit.
  [[nodiscard]] Status Add(std::string_view line, int64_t source_line);
  // Sends what is queued.
  [[nodiscard]] Status Flush();

  // Lines the server stored: InfluxDB's points.
  int64_t points_written() const { return points_written_; }
  int64_t lines_rejected() const { return lines_rejected_; }
  int64_t requests() const { return requests_; }
  // The server's reasons, "<source_unit> <source_line>: <reason>", in order.
  const std::vector<std::string>& line_errors() const { return line_errors_; }

 private:
  [[nodiscard]] Status Send();
  // Keeps the errors of a partial write's message; returns how many lines it dropped.
  int64_t TakePartialWrite(std::string_view message);

  HttpClient& client_;
  LinePosterOptions options_;
  std::string body_;
  std::vector<int64_t> source_lines_;  // of body_'s lines, in order
  int64_t points_written_ = 0;
  int64_t lines_rejected_ = 0;
  int64_t requests_ = 0;
  std::vector<std::string> line_errors_;
};

}  // namespace zhizao::app
