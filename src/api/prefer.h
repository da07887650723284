// RFC 7240's Prefer header, as far as zhizao honours it: how long a request that starts a
// background job may wait for it.
#pragma once

#include <chrono>

#include "api/http.h"

namespace zhizao::api {

struct Preference {
  bool respond_async = false;            // "respond-async": answer 202 at once
  std::chrono::milliseconds wait{5000};  // "wait=<seconds>": how long the request may wait
};
inline constexpr std::chrono::milliseconds kMaxPreferredWait{30'000};

// The request's preferences, from every Prefer header. A wait beyond kMaxPreferredWait is cut
// to it; unknown preferences, parameters and malformed values are ignored.
Preference PreferenceOf(const HttpRequest& request);

}  // namespace zhizao::api
