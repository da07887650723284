#include "api/prefer.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string_view>

namespace zhizao::api {
namespace {

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

// One preference of the header: its name and value, without its parameters (";...").
void ApplyPreference(std::string_view item, Preference& out, bool& wait_given) {
  item = TrimOws(item.substr(0, item.find(';')));
  const size_t eq = item.find('=');
  const std::string_view name = TrimOws(item.substr(0, eq));
  std::string_view value = eq == std::string_view::npos ? "" : TrimOws(item.substr(eq + 1));
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
  if (EqualsIgnoringCase(name, "respond-async")) {
    out.respond_async = true;
  } else if (EqualsIgnoringCase(name, "wait") && !wait_given) {  // the first one counts (RFC 7240, 2)
    uint64_t seconds = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (error == std::errc() && end == value.data() + value.size() && !value.empty()) {
      out.wait = std::chrono::seconds(std::min<uint64_t>(seconds, kMaxPreferredWait.count() / 1000));
      wait_given = true;
    }
  }
}

}  // namespace

Preference PreferenceOf(const HttpRequest& request) {
  Preference out;
  bool wait_given = false;
  for (const auto& [name, value] : request.headers) {
    if (name != "prefer") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      ApplyPreference(rest.substr(0, comma), out, wait_given);
      rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
    }
  }
  // respond-async alone: answer at once; with a wait, after it at the latest (RFC 7240, 4.1).
  if (out.respond_async && !wait_given) out.wait = std::chrono::milliseconds(0);
  return out;
}

}  // namespace zhizao::api
