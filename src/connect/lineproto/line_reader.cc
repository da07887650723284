#include "connect/lineproto/line_reader.h"

#include <algorithm>
#include <cstring>

#include "connect/lineproto/internal/char_class.h"
#include "connect/lineproto/internal/line_parser.h"
#include "connect/lineproto/internal/utf8.h"

namespace zhizao::connect::lineproto {
namespace {

// How much of a bad line an error quotes: enough to find it, not enough to echo a 32 MiB body.
constexpr size_t kMaxQuotedBytes = 1024;

// The line as an error quotes it: without a trailing '\r', cut at a character boundary, and
// with any malformed UTF-8 replaced so that the message is safe to put in JSON.
std::string QuotedLine(std::string_view text) {
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  bool cut = false;
  if (text.size() > kMaxQuotedBytes) {
    size_t size = kMaxQuotedBytes;
    while (size > 0 && (static_cast<uint8_t>(text[size]) & 0xC0) == 0x80) --size;
    text = text.substr(0, size);
    cut = true;
  }
  std::string quoted;
  internal::AppendValidUtf8(text, &quoted);
  if (cut) quoted += "...";
  return quoted;
}

// Floors to a multiple of the unit: InfluxDB truncates the server's time to the precision.
int64_t TruncateToUnit(int64_t ts_ns, int64_t unit) {
  int64_t floored = ts_ns - ts_ns % unit;
  return ts_ns % unit < 0 ? floored - unit : floored;
}

}  // namespace

std::string ParseError::Message() const { return "unable to parse '" + line + "': " + reason; }

LineReader::LineReader(std::string_view body, const ParseOptions& options)
    : pos_(body.data()),
      end_(body.data() + body.size()),
      options_(options),
      default_ts_ns_(TruncateToUnit(options.default_ts_ns, NanosPerUnit(options.precision))),
      parser_(std::make_unique<internal::LineParser>()) {}

LineReader::~LineReader() = default;

bool LineReader::Next() {
  const int64_t ns_per_unit = NanosPerUnit(options_.precision);
  std::string reason;
  while (pos_ < end_) {
    const char* begin = internal::SkipBlanks(pos_, end_);
    if (internal::AtLineEnd(begin, end_) || *begin == '#') {  // blank line or comment
      const void* newline = std::memchr(begin, '\n', static_cast<size_t>(end_ - begin));
      pos_ = newline == nullptr ? end_ : static_cast<const char*>(newline) + 1;
      ++line_number_;
      continue;
    }
    const char* line_end = parser_->Parse(begin, end_, ns_per_unit, default_ts_ns_, &line_, &reason);
    if (line_end == nullptr) {
      RecordError(begin, std::move(reason));
      continue;
    }
    line_.line_number = line_number_;
    line_number_ += 1 + parser_->embedded_newlines();
    pos_ = line_end == end_ ? end_ : line_end + 1;
    ++line_count_;
    return true;
  }
  return false;
}

void LineReader::RecordError(const char* line_begin, std::string reason) {
  const char* line_end = internal::FindLineEnd(line_begin, end_);
  if (errors_.size() < options_.max_errors) {
    const std::string_view text(line_begin, static_cast<size_t>(line_end - line_begin));
    errors_.push_back({line_number_, QuotedLine(text), std::move(reason)});
  }
  ++error_count_;
  line_number_ += 1 + std::count(line_begin, line_end, '\n');
  pos_ = line_end == end_ ? end_ : line_end + 1;
}

Status LineReader::status() const {
  if (error_count_ == 0) return Status::Ok();
  std::string message;
  for (const ParseError& error : errors_) {
    if (!message.empty()) message += '\n';
    message += "line " + std::to_string(error.line_number) + ": " + error.Message();
  }
  const int64_t unlisted = error_count_ - static_cast<int64_t>(errors_.size());
  if (unlisted > 0) message += "\n... and " + std::to_string(unlisted) + " more errors";
  return Status::InvalidArgument(std::move(message));
}

}  // namespace zhizao::connect::lineproto
