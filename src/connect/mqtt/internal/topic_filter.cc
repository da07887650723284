#include "connect/mqtt/internal/topic_filter.h"

namespace zhizao::connect::mqtt {

std::vector<std::string_view> TopicLevels(std::string_view topic) {
  std::vector<std::string_view> levels;
  size_t start = 0;
  while (true) {
    size_t slash = topic.find('/', start);
    if (slash == std::string_view::npos) {
      levels.push_back(topic.substr(start));
      return levels;
    }
    levels.push_back(topic.substr(start, slash - start));
    start = slash + 1;
  }
}

Result<TopicFilter> TopicFilter::Parse(std::string_view filter) {
  if (filter.empty()) return Status::InvalidArgument("topic filter is empty");
  TopicFilter parsed;
  parsed.text_ = std::string(filter);
  std::vector<std::string_view> levels = TopicLevels(filter);
  for (size_t i = 0; i < levels.size(); ++i) {
    std::string_view level = levels[i];
    bool wild = level.find_first_of("+#") != std::string_view::npos;
    if (wild && level.size() != 1) {
      return Status::InvalidArgument("topic filter '" + parsed.text_ + "': '+' and '#' must be whole levels");
    }
    if (level == "#" && i + 1 != levels.size()) {
      return Status::InvalidArgument("topic filter '" + parsed.text_ + "': '#' must be the last level");
    }
    if (wild) ++parsed.wildcards_;
    parsed.levels_.emplace_back(level);
  }
  return parsed;
}

std::optional<std::vector<std::string_view>> TopicFilter::Match(std::string_view topic) const {
  if (!topic.empty() && topic[0] == '$' && (levels_[0] == "+" || levels_[0] == "#")) return std::nullopt;
  std::vector<std::string_view> captures;
  size_t start = 0;
  for (size_t i = 0; i < levels_.size(); ++i) {
    if (levels_[i] == "#") {
      // "a/#" also matches "a" itself: then the rest is empty.
      captures.push_back(start <= topic.size() ? topic.substr(start) : std::string_view());
      return captures;
    }
    if (start > topic.size()) return std::nullopt;
    size_t slash = topic.find('/', start);
    std::string_view level = topic.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (levels_[i] == "+") {
      captures.push_back(level);
    } else if (level != levels_[i]) {
      return std::nullopt;
    }
    start = slash == std::string_view::npos ? topic.size() + 1 : slash + 1;
  }
  if (start <= topic.size()) return std::nullopt;  // the topic has more levels
  return captures;
}

}  // namespace zhizao::connect::mqtt
