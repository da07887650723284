#include "connect/mqtt/internal/tag_registry.h"

namespace zhizao::connect::mqtt {

std::vector<TagId> TagRegistry::Ensure(std::span<const TagSpec> specs, bool recheck, std::vector<std::string>& errors) {
  std::vector<TagId> ids(specs.size(), 0);
  std::vector<TagSpec> asked;
  std::vector<size_t> asked_at;
  {
    std::lock_guard lock(mu_);
    size_t room = ids_.size() < max_tags_ ? max_tags_ - ids_.size() : 0;
    for (size_t i = 0; i < specs.size(); ++i) {
      auto known = ids_.find(specs[i].path);
      if (known != ids_.end() && !recheck) {
        ids[i] = known->second;
      } else if (known == ids_.end() && room == 0) {
        errors.push_back("tag '" + specs[i].path + "' not made: the connector already has max_tags (" +
                         std::to_string(max_tags_) + ") tags");
      } else {
        if (known == ids_.end()) --room;
        asked.push_back(specs[i]);
        asked_at.push_back(i);
      }
    }
  }
  if (asked.empty()) return ids;
  Result<std::vector<TagId>> all = sink_.EnsureTags(asked);
  std::vector<TagId> made(asked.size(), 0);
  if (all.ok()) {
    made = std::move(*all);
  } else {
    for (size_t k = 0; k < asked.size(); ++k) {
      Result<std::vector<TagId>> one = sink_.EnsureTags(std::span<const TagSpec>(&asked[k], 1));
      if (one.ok()) {
        made[k] = (*one)[0];
      } else {
        errors.push_back("cannot make tag '" + asked[k].path + "': " + one.status().message());
      }
    }
  }
  std::lock_guard lock(mu_);
  for (size_t k = 0; k < asked.size(); ++k) {
    ids[asked_at[k]] = made[k];
    if (made[k] != 0) {
      ids_[asked[k].path] = made[k];
    } else {
      ids_.erase(asked[k].path);
    }
  }
  return ids;
}

TagId TagRegistry::Find(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = ids_.find(path);
  return it == ids_.end() ? 0 : it->second;
}

std::vector<std::string> TagRegistry::Paths() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> paths;
  paths.reserve(ids_.size());
  for (const auto& [path, id] : ids_) paths.push_back(path);
  return paths;
}

}  // namespace zhizao::connect::mqtt
