// The tags an MQTT connector has made in the catalog so far, by path, up to a limit: a
// publisher inventing topics must not grow the catalog (or this map) without bound.
#pragma once

#include <cstddef>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "connect/tag_sink.h"

namespace zhizao::connect::mqtt {

// Thread-safe: the connector's thread ensures, the API's threads read Paths().
class TagRegistry {
 public:
  // REQUIRES: sink outlives the registry.
  TagRegistry(TagSink& sink, size_t max_tags) : sink_(sink), max_tags_(max_tags) {}

  // The ids of the specs' tags, in order, made through the sink when needed (one call for all
  // when it can; one by one when the catalog refuses some, so that one bad spec costs only its
  // own tag). 0 for a spec that was refused or is past the limit: its reason is appended to
  // `errors`. `recheck` asks the sink again for known paths too (a BIRTH may change a type).
  std::vector<TagId> Ensure(std::span<const TagSpec> specs, bool recheck, std::vector<std::string>& errors);

  // The id of a known path; 0 when unknown.
  TagId Find(const std::string& path) const;
  std::vector<std::string> Paths() const;

 private:
  TagSink& sink_;
  const size_t max_tags_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, TagId> ids_;  // GUARDED_BY(mu_)
};

}  // namespace zhizao::connect::mqtt
