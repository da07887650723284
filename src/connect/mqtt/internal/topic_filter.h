// An MQTT topic filter ("plant/+/temp", "plant/#") that matches topics and returns what its
// wildcards matched, for the tag templates of JSON subscriptions (MQTT 3.1.1 section 4.7).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace zhizao::connect::mqtt {

// Immutable after Parse; thread-compatible.
class TopicFilter {
 public:
  // InvalidArgument for an empty filter, a '+' or '#' that is not a whole level, or a '#'
  // that is not the last level.
  static Result<TopicFilter> Parse(std::string_view filter);

  const std::string& text() const { return text_; }
  // Number of '+' levels, plus one for a trailing '#'.
  size_t wildcard_count() const { return wildcards_; }

  // The levels the wildcards matched, in order ('#' gives the rest of the topic, '/'-joined,
  // possibly empty); nullopt when `topic` does not match. As the standard says, a wildcard in
  // the first level does not match a topic that starts with '$'.
  std::optional<std::vector<std::string_view>> Match(std::string_view topic) const;

 private:
  std::string text_;
  std::vector<std::string> levels_;
  size_t wildcards_ = 0;
};

// Splits a topic on '/'. Views into `topic`.
std::vector<std::string_view> TopicLevels(std::string_view topic);

}  // namespace zhizao::connect::mqtt
