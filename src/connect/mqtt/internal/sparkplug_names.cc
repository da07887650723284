#include "connect/mqtt/internal/sparkplug_names.h"

#include <cstdint>
#include <cstdio>
#include <vector>

#include "connect/mqtt/internal/topic_filter.h"

namespace zhizao::connect::mqtt {
namespace {

constexpr size_t kMaxName = 64;

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

uint32_t Fnv1a(std::string_view text) {
  uint32_t hash = 2166136261u;
  for (char c : text) hash = (hash ^ static_cast<uint8_t>(c)) * 16777619u;
  return hash;
}

}  // namespace

std::string CatalogName(std::string_view text) {
  std::string name(text);
  for (char& c : name) {
    if (!IsNameChar(c)) c = '_';
  }
  if (name.empty() || name == "." || name == "..") return "_";
  if (name.size() > kMaxName) {
    char suffix[10];
    std::snprintf(suffix, sizeof(suffix), "-%08x", Fnv1a(text));
    name = name.substr(0, kMaxName - 9) + suffix;
  }
  return name;
}

std::string MetricTagPath(std::string_view prefix, std::string_view group, std::string_view edge,
                          std::string_view device, std::string_view metric_name) {
  std::string path(prefix);
  path += "/" + CatalogName(group) + "/" + CatalogName(edge);
  size_t asset_levels = TopicLevels(prefix).size() + 2;
  if (!device.empty()) {
    path += "/" + CatalogName(device);
    ++asset_levels;
  }
  std::vector<std::string_view> levels = TopicLevels(metric_name);
  size_t room = asset_levels < kMaxAssetLevels ? kMaxAssetLevels - asset_levels : 0;
  size_t folders = std::min(levels.size() - 1, room);
  for (size_t i = 0; i < folders; ++i) path += "/" + CatalogName(levels[i]);
  std::string tag;
  for (size_t i = folders; i < levels.size(); ++i) {
    if (!tag.empty()) tag += '.';
    tag += levels[i];
  }
  path += "/" + CatalogName(tag);
  return path;
}

}  // namespace zhizao::connect::mqtt
