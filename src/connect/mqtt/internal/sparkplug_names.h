// Catalog paths of Sparkplug metrics: <tag_prefix>/<group>/<edge>[/<device>]/<metric levels>.
//
// Sparkplug ids and metric names allow almost any UTF-8, catalog names only letters, digits,
// '_', '-' and '.' (1 to 64): every other character becomes '_', and a longer name keeps 55
// characters and a '-' with 8 hex digits of a hash of the whole. A metric name's '/' levels
// become assets, up to ISA-95's six asset levels; deeper levels fold into the tag name with '.'.
#pragma once

#include <string>
#include <string_view>

namespace zhizao::connect::mqtt {

inline constexpr size_t kMaxAssetLevels = 6;  // enterprise, site, area, line, cell, equipment

// `text` made a valid catalog name as described above.
std::string CatalogName(std::string_view text);

// REQUIRES: `prefix` is '/'-separated valid catalog names.
std::string MetricTagPath(std::string_view prefix, std::string_view group, std::string_view edge,
                          std::string_view device, std::string_view metric_name);

}  // namespace zhizao::connect::mqtt
