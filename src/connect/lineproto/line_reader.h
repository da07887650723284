// A zero-copy reader of InfluxDB line protocol: the body of a /write request in, one valid
// point at a time out.
//
// Errors are per line, as in InfluxDB: a bad line is skipped and recorded (up to
// ParseOptions::max_errors, the rest only counted) and the lines after it are still read, so
// the caller stores the valid points and answers 400 naming the bad lines.
//
// Hostile input is safe: the reader never reads outside the body, and it allocates only in
// proportion to the longest line (its scratch) plus the capped error list.
//
//   LineReader reader(body, {.precision = Precision::kMillisecond, .default_ts_ns = now_ns});
//   while (reader.Next()) Store(reader.line());
//   if (!reader.errors().empty()) return reader.status();
//
// Not thread-safe; one reader per request.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "connect/lineproto/parsed_line.h"
#include "connect/lineproto/precision.h"

namespace zhizao::connect::lineproto {

namespace internal {
class LineParser;
}

struct ParseOptions {
  // The unit of the timestamps in the body. Default: ns.
  Precision precision = Precision::kNanosecond;
  // The time, in UTC ns, of a line without a timestamp (the server's clock at receipt),
  // truncated to `precision` as InfluxDB does. Default: 0 — callers pass their clock.
  int64_t default_ts_ns = 0;
  // How many errors keep their text; later ones are only counted, so that a body of garbage
  // cannot make a huge response. Default: 100.
  size_t max_errors = 100;
};

struct ParseError {
  int64_t line_number = 0;  // 1-based, counting every '\n' of the body
  // The line as written, without its line end; past 1 KiB cut and followed by "...". Malformed
  // UTF-8 shows as U+FFFD, so that the text is safe in JSON.
  std::string line;
  std::string reason;  // InfluxDB's wording: "missing field value", "invalid boolean", ...

  // InfluxDB's message: "unable to parse '<line>': <reason>".
  std::string Message() const;
};

class LineReader {
 public:
  // REQUIRES: `body` outlives the reader and every ParsedLine it returns.
  LineReader(std::string_view body, const ParseOptions& options);
  template <typename S>
    requires std::same_as<S, std::string>
  LineReader(S&& temporary_body, const ParseOptions& options) = delete;  // would dangle
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Moves to the next valid line, skipping blank lines, comments and bad lines (recorded in
  // errors()). Returns false at the end of the body.
  bool Next();

  // The current line. REQUIRES: the last Next() returned true. Valid until the next Next().
  const ParsedLine& line() const { return line_; }

  // The first options.max_errors bad lines, in body order.
  const std::vector<ParseError>& errors() const { return errors_; }
  // Bad lines seen so far, including those beyond max_errors.
  int64_t error_count() const { return error_count_; }
  // Valid lines returned so far.
  int64_t line_count() const { return line_count_; }

  // Ok if no line was bad. Otherwise InvalidArgument whose message has one line per kept
  // error, "line <n>: unable to parse '<line>': <reason>", then "... and <k> more errors"
  // when some were only counted.
  Status status() const;

 private:
  void RecordError(const char* line_begin, std::string reason);

  const char* pos_;
  const char* const end_;
  const ParseOptions options_;
  int64_t default_ts_ns_;  // options_.default_ts_ns truncated to the precision
  int64_t line_number_ = 1;
  int64_t line_count_ = 0;
  int64_t error_count_ = 0;
  std::vector<ParseError> errors_;
  ParsedLine line_;
  std::unique_ptr<internal::LineParser> parser_;
};

}  // namespace zhizao::connect::lineproto
