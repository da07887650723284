// Reading the server's JSON answers, which leave out empty members ("series", "tags", ...).
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

namespace zhizao::app {

// The member `key` of `object`, or null (which iterates as empty) when either is missing.
// A reference, not a copy: the answers may be large.
inline const nlohmann::json& Member(const nlohmann::json& object, std::string_view key) {
  static const nlohmann::json kNone;
  if (!object.is_object()) return kNone;
  auto found = object.find(key);
  return found == object.end() ? kNone : *found;
}

}  // namespace zhizao::app
