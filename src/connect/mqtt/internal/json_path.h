// The small JSON path of MQTT subscriptions: "$" (the whole payload), then any of ".name",
// "['name']" and "[index]", e.g. "$.sensor.value", "$.values[0]", "$['a.b']".
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"

namespace zhizao::connect::mqtt {

// Immutable after Parse; thread-compatible.
class JsonPath {
 public:
  // InvalidArgument, naming the position, for a path that does not start with '$', an empty
  // name, an unclosed bracket or an index that is not a number below 2^31.
  static Result<JsonPath> Parse(std::string_view text);

  const std::string& text() const { return text_; }

  // The value at the path inside `root`; nullptr when a step is missing (a name on a
  // non-object, an index past the end...).
  const nlohmann::json* Find(const nlohmann::json& root) const;

 private:
  using Step = std::variant<std::string, size_t>;
  std::string text_;
  std::vector<Step> steps_;
};

}  // namespace zhizao::connect::mqtt
