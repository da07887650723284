#include "app/line_poster.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "app/gzip_compress.h"

namespace zhizao::app {
namespace {

constexpr std::string_view kPartialWrite = "partial write: ";

// The server's 1.x error text, {"error": "..."}; empty for another shape.
std::string InfluxError(const std::string& body) {
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_object() && doc.contains("error") && doc["error"].is_string()) return doc["error"].get<std::string>();
  return "";
}

// The number after "line " at the start of `text` and the rest after ": ", or false.
bool SplitLineNumber(std::string_view text, int64_t& number, std::string_view& rest) {
  if (!text.starts_with("line ")) return false;
  const char* begin = text.data() + 5;
  auto [end, ec] = std::from_chars(begin, text.data() + text.size(), number);
  std::string_view after(end, static_cast<size_t>(text.data() + text.size() - end));
  if (ec != std::errc() || !after.starts_with(": ")) return false;
  rest = after.substr(2);
  return true;
}

}  // namespace

Status LinePoster::Add(std::string_view line, int64_t source_line) {
  if (line.ends_with('\n')) line.remove_suffix(1);
  if (!body_.empty() && body_.size() + line.size() + 1 > options_.batch_bytes) ZZ_RETURN_IF_ERROR(Send());
  body_.append(line);
  body_ += '\n';
  source_lines_.push_back(source_line);
  return Status::Ok();
}

Status LinePoster::Flush() { return body_.empty() ? Status::Ok() : Send(); }

Status LinePoster::Send() {
  HttpRequestSpec request{.method = "POST",
                          .target = "/write?db=" + UrlEncode(options_.database) + "&precision=" + options_.precision,
                          .content_type = "text/plain; charset=utf-8"};
  if (options_.gzip) {
    ZZ_ASSIGN_OR_RETURN(request.body, GzipCompress(body_));
    request.content_encoding = "gzip";
  } else {
    request.body = std::move(body_);
  }
  ZZ_ASSIGN_OR_RETURN(HttpReply reply, client_.Send(request));
  ++requests_;
  const auto lines = static_cast<int64_t>(source_lines_.size());
  std::string error = reply.status == 400 ? InfluxError(reply.body) : "";
  int64_t dropped = 0;
  if (error.starts_with(kPartialWrite)) {
    dropped = TakePartialWrite(std::string_view(error).substr(kPartialWrite.size()));
  } else {
    ZZ_RETURN_IF_ERROR(CheckReply(reply, client_.url()));
  }
  points_written_ += lines - dropped;
  lines_rejected_ += dropped;
  body_.clear();
  source_lines_.clear();
  return Status::Ok();
}

// The message is "line <n>: <reason>" lines, maybe "... and <k> more errors", then
// " dropped=<count>"; <n> counts lines of the body, which the caller knows by other numbers.
int64_t LinePoster::TakePartialWrite(std::string_view message) {
  size_t dropped_at = message.rfind(" dropped=");
  int64_t dropped = 0;
  if (dropped_at != std::string_view::npos) {
    std::string_view count = message.substr(dropped_at + 9);
    std::from_chars(count.data(), count.data() + count.size(), dropped);
    message = message.substr(0, dropped_at);
  }
  while (!message.empty()) {
    size_t end = message.find('\n');
    std::string_view text = message.substr(0, end);
    message = end == std::string_view::npos ? "" : message.substr(end + 1);
    int64_t number = 0;
    std::string_view reason;
    if (SplitLineNumber(text, number, reason) && number >= 1 && number <= static_cast<int64_t>(source_lines_.size())) {
      const int64_t source_line = source_lines_[static_cast<size_t>(number - 1)];
      line_errors_.push_back(options_.source_unit + " " + std::to_string(source_line) + ": " + std::string(reason));
    } else {
      line_errors_.emplace_back(text);
    }
  }
  return dropped;
}

}  // namespace zhizao::app
