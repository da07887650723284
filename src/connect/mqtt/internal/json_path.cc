#include "connect/mqtt/internal/json_path.h"

#include <charconv>

namespace zhizao::connect::mqtt {
namespace {

constexpr size_t kMaxIndex = size_t{1} << 31;

Status Bad(std::string_view text, size_t at, std::string_view why) {
  return Status::InvalidArgument("JSON path '" + std::string(text) + "' at character " + std::to_string(at + 1) + ": " +
                                 std::string(why));
}

}  // namespace

Result<JsonPath> JsonPath::Parse(std::string_view text) {
  if (text.empty() || text[0] != '$') return Bad(text, 0, "must start with '$'");
  JsonPath path;
  path.text_ = std::string(text);
  size_t at = 1;
  while (at < text.size()) {
    if (text[at] == '.') {
      size_t end = text.find_first_of(".[", at + 1);
      if (end == std::string_view::npos) end = text.size();
      if (end == at + 1) return Bad(text, at, "a name follows '.'");
      path.steps_.emplace_back(std::string(text.substr(at + 1, end - at - 1)));
      at = end;
    } else if (text.compare(at, 2, "['") == 0) {
      size_t end = text.find("']", at + 2);
      if (end == std::string_view::npos) return Bad(text, at, "\"['\" is not closed by \"']\"");
      if (end == at + 2) return Bad(text, at, "empty name");
      path.steps_.emplace_back(std::string(text.substr(at + 2, end - at - 2)));
      at = end + 2;
    } else if (text[at] == '[') {
      size_t end = text.find(']', at);
      if (end == std::string_view::npos) return Bad(text, at, "'[' is not closed");
      size_t index = 0;
      auto [ptr, ec] = std::from_chars(text.data() + at + 1, text.data() + end, index);
      if (ec != std::errc() || ptr != text.data() + end || end == at + 1 || index >= kMaxIndex) {
        return Bad(text, at, "an index is a number from 0 to 2^31-1");
      }
      path.steps_.emplace_back(index);
      at = end + 1;
    } else {
      return Bad(text, at, "expected '.', '[' or the end");
    }
  }
  return path;
}

const nlohmann::json* JsonPath::Find(const nlohmann::json& root) const {
  const nlohmann::json* at = &root;
  for (const Step& step : steps_) {
    if (const std::string* name = std::get_if<std::string>(&step)) {
      if (!at->is_object()) return nullptr;
      auto it = at->find(*name);
      if (it == at->end()) return nullptr;
      at = &*it;
    } else {
      size_t index = std::get<size_t>(step);
      if (!at->is_array() || index >= at->size()) return nullptr;
      at = &(*at)[index];
    }
  }
  return at;
}

}  // namespace zhizao::connect::mqtt
