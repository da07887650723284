// The web console's files, embedded at build time (cmake/WebConsole.cmake generates the table
// from web/'s bundle, or from web/bootstrap when node is not available).
//
// Thread safety: immutable static data. Ownership: the views point into the binary's data.
#pragma once

#include <span>
#include <string_view>

namespace zhizao::api::internal {

struct ConsoleAsset {
  std::string_view name;  // "index.html", "app.js", "app.css"
  std::string_view raw;   // the file as built
  std::string_view gzip;  // the same, gzip-compressed at build time; empty when not made
  std::string_view etag;  // a quoted strong validator from the file's SHA-256
};

std::span<const ConsoleAsset> ConsoleAssets();

}  // namespace zhizao::api::internal
