// GET /api/v1/stream: live samples over a WebSocket.
//
// The client subscribes by tag path patterns (SQLite GLOB, as /api/v1/tags?path= reads them),
// and to the analytics' events if it wants them, in the URL
// (?tags=a/*,b/c&events=true&max_rate=1000&epoch=ms) or later in a message:
//   {"subscribe": ["site1/line1/*"], "events": true, "max_rate": 1000}  replaces the subscription
// and receives, every tick (100 ms) while there is something to say:
//   {"type": "subscribed", "patterns": [...], "tags": 12, "events": true, "max_rate": 1000}
//   {"type": "samples", "samples": [{"tag", "time", "value", "quality", "status"}, ...]}
//   {"type": "event", "change": "opened", "event": {...}}  as GET /api/v1/events/{id} shows it
//   {"type": "dropped", "count": 1234}   the client fell behind: its oldest samples are gone
//   {"type": "error", "message": "..."}  a message it could not take
// At most max_rate samples a second reach a client; the rest wait in its queue (ten seconds'
// worth, at least 1,000 and at most 100,000 samples), beyond which the oldest are dropped.
//
// Browsers cannot set an Authorization header on a WebSocket: they offer the token as a
// subprotocol "zhizao-token.<token>" beside "zhizao.v1" (the router reads it there).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "api/request_params.h"
#include "api/routes.h"
#include "api/series_params.h"
#include "api/websocket.h"
#include "common/clock.h"
#include "common/glob.h"
#include "stream/hub.h"

namespace zhizao::api {
namespace {

using nlohmann::json;

constexpr int64_t kDefaultMaxRate = 10'000;  // samples a second
constexpr int64_t kMaxMaxRate = 1'000'000;
constexpr size_t kMaxPatterns = 100;
constexpr size_t kMaxSamplesPerMessage = 5'000;

// The paths of the tags a subscription wants, found when it subscribes; tags made later are
// looked up the first time a sample of theirs arrives. Thread-safe: the hub's publishers ask
// it, the connection's strand reads paths from it.
class PathBook {
 public:
  PathBook(catalog::Catalog& catalog, std::vector<std::string> patterns) : catalog_(catalog), patterns_(std::move(patterns)) {}

  // Loads the tags that match now. Returns how many.
  Result<size_t> Load() {
    std::unordered_map<TagId, std::string> paths;
    TagId max_id = 0;
    ZZ_ASSIGN_OR_RETURN(std::vector<catalog::Tag> all, catalog_.ListTags({}));
    for (const catalog::Tag& tag : all) {
      max_id = std::max(max_id, tag.id);
      if (Matches(tag.path)) paths.emplace(tag.id, tag.path);
    }
    std::lock_guard lock(mu_);
    paths_ = std::move(paths);
    known_up_to_ = max_id;
    return paths_.size();
  }

  bool Wants(TagId tag) {
    {
      std::lock_guard lock(mu_);
      if (paths_.contains(tag)) return true;
      if (tag <= known_up_to_) return false;
    }
    Result<catalog::Tag> found = catalog_.GetTag(tag);  // a tag made since Load
    if (!found.ok() || !Matches(found->path)) return false;
    std::lock_guard lock(mu_);
    paths_.emplace(tag, found->path);
    return true;
  }

  std::string PathOf(TagId tag) const {
    std::lock_guard lock(mu_);
    auto it = paths_.find(tag);
    return it == paths_.end() ? std::string() : it->second;
  }

 private:
  bool Matches(std::string_view path) const {
    return std::any_of(patterns_.begin(), patterns_.end(), [&](const std::string& p) { return GlobMatch(p, path); });
  }

  catalog::Catalog& catalog_;
  const std::vector<std::string> patterns_;
  mutable std::mutex mu_;
  std::unordered_map<TagId, std::string> paths_;  // GUARDED_BY(mu_)
  TagId known_up_to_ = 0;                         // GUARDED_BY(mu_)
};

std::string ErrorMessage(const std::string& message) { return json{{"type", "error"}, {"message", message}}.dump(); }

// One connection's subscription. Called on its connection's strand only.
class StreamHandler final : public WebSocketHandler {
 public:
  StreamHandler(stream::Hub& hub, catalog::Catalog& catalog, int64_t divisor)
      : hub_(hub), catalog_(catalog), divisor_(divisor), last_tick_ns_(SteadyNowNs()) {}

  // Subscribes to `patterns`; answers the "subscribed" message or an error.
  std::string Subscribe(std::vector<std::string> patterns, int64_t max_rate, bool events) {
    if (patterns.size() > kMaxPatterns) return ErrorMessage("subscribe: at most " + std::to_string(kMaxPatterns) + " patterns");
    auto book = std::make_shared<PathBook>(catalog_, patterns);
    Result<size_t> tags = book->Load();
    if (!tags.ok()) return ErrorMessage("subscribe: " + tags.status().message());
    max_rate_ = max_rate;
    size_t max_queued = static_cast<size_t>(std::clamp<int64_t>(10 * max_rate, 1'000, 100'000));
    subscription_ = hub_.Subscribe(max_queued);  // the previous one, and what it queued, goes
    subscription_->SetFilter([book](TagId tag) { return book->Wants(tag); });
    subscription_->SetNoticesWanted(events);
    book_ = std::move(book);
    budget_ = static_cast<double>(max_rate_) / 10;
    return json{{"type", "subscribed"}, {"patterns", patterns}, {"tags", *tags}, {"events", events}, {"max_rate", max_rate_}}
        .dump();
  }

  std::vector<std::string> OnMessage(std::string_view text) override {
    json in = json::parse(text, nullptr, false);
    if (in.is_discarded() || !in.is_object() || !in.contains("subscribe") || !in["subscribe"].is_array()) {
      return {ErrorMessage(R"(expected {"subscribe": ["tag/path/pattern", ...], "events": true, "max_rate": samples per second})")};
    }
    std::vector<std::string> patterns;
    for (const json& p : in["subscribe"]) {
      if (!p.is_string() || p.get<std::string>().empty()) return {ErrorMessage("subscribe: patterns are non-empty strings")};
      patterns.push_back(p.get<std::string>());
    }
    int64_t max_rate = max_rate_;
    if (in.contains("max_rate")) {
      if (!in["max_rate"].is_number_integer() || in["max_rate"].get<int64_t>() < 1 ||
          in["max_rate"].get<int64_t>() > kMaxMaxRate) {
        return {ErrorMessage("max_rate: a whole number of samples a second, 1 to " + std::to_string(kMaxMaxRate))};
      }
      max_rate = in["max_rate"].get<int64_t>();
    }
    bool events = false;
    if (in.contains("events")) {
      if (!in["events"].is_boolean()) return {ErrorMessage("events: true or false")};
      events = in["events"].get<bool>();
    }
    return {Subscribe(std::move(patterns), max_rate, events)};
  }

  std::vector<std::string> OnTick() override {
    std::vector<std::string> out = std::exchange(pending_, {});
    int64_t now = SteadyNowNs();
    double elapsed_s = static_cast<double>(now - last_tick_ns_) / 1e9;
    last_tick_ns_ = now;
    if (!subscription_) return out;
    // A token bucket holding at most one second's worth: a client that was slow to read gets no burst beyond it.
    budget_ = std::min(budget_ + elapsed_s * static_cast<double>(max_rate_), static_cast<double>(max_rate_));
    size_t allowed = std::min(static_cast<size_t>(budget_), kMaxSamplesPerMessage);
    stream::Delivery delivery = subscription_->Take(allowed);
    budget_ -= static_cast<double>(delivery.samples.size());
    for (std::string& notice : delivery.notices) out.push_back(std::move(notice));
    if (delivery.dropped > 0) out.push_back(json{{"type", "dropped"}, {"count", delivery.dropped}}.dump());
    if (!delivery.samples.empty()) out.push_back(SamplesMessage(delivery.samples));
    return out;
  }

  void set_max_rate(int64_t max_rate) { max_rate_ = max_rate; }
  // Sent at the first tick: the answer to a subscription made from the URL.
  void Greet(std::string message) { pending_.push_back(std::move(message)); }

 private:
  static int64_t SteadyNowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
  }

  std::string SamplesMessage(const std::vector<stream::LiveSample>& samples) const {
    json list = json::array();
    for (const stream::LiveSample& s : samples) {
      list.push_back({{"tag", book_->PathOf(s.tag)},
                      {"time", TimeJson(s.ts_ns, divisor_)},
                      {"value", ValueJson(s.value, s.text)},
                      {"quality", QualitySeverityName(SeverityOf(s.status))},
                      {"status", s.status}});
    }
    return json{{"type", "samples"}, {"samples", std::move(list)}}.dump();
  }

  stream::Hub& hub_;
  catalog::Catalog& catalog_;
  const int64_t divisor_;
  int64_t max_rate_ = kDefaultMaxRate;
  double budget_ = 0;
  int64_t last_tick_ns_;
  std::shared_ptr<PathBook> book_;
  std::shared_ptr<stream::Subscription> subscription_;
  std::vector<std::string> pending_;
};

// The answer to an upgrade request: a handler, subscribed already when the URL names tags.
HttpResponse OpenStream(const ApiServices& services, const HttpRequest& request) {
  if (services.live == nullptr) return ErrorResponse(Status::Unavailable("live streaming is not available in this process"));
  if (request.Header("upgrade").empty()) {
    HttpResponse r = ErrorResponse(Status::InvalidArgument(
        "this is a WebSocket endpoint: connect with a WebSocket client (Upgrade: websocket)"));
    r.status = 426;
    r.headers.emplace_back("Upgrade", "websocket");
    return r;
  }
  Result<int64_t> divisor = EpochParam(request);
  if (!divisor.ok()) return ErrorResponse(divisor.status());
  int64_t max_rate = kDefaultMaxRate;
  if (std::optional<std::string_view> rate = request.Query("max_rate")) {
    Result<int64_t> parsed = ParseInt(*rate, "parameter max_rate");
    if (!parsed.ok() || *parsed < 1 || *parsed > kMaxMaxRate) {
      return ErrorResponse(Status::InvalidArgument("parameter max_rate: samples a second, 1 to " + std::to_string(kMaxMaxRate)));
    }
    max_rate = *parsed;
  }
  auto handler = std::make_shared<StreamHandler>(*services.live, *services.catalog, *divisor);
  handler->set_max_rate(max_rate);
  std::vector<std::string> patterns = SplitList(request.Query("tags").value_or(""));
  std::string_view events = request.Query("events").value_or("false");
  if (events != "true" && events != "false") return ErrorResponse(Status::InvalidArgument("parameter events: true or false"));
  if (!patterns.empty() || events == "true") {
    json subscribed = json::parse(handler->Subscribe(std::move(patterns), max_rate, events == "true"));
    if (subscribed["type"] == "error") {
      return ErrorResponse(Status::InvalidArgument(subscribed["message"].get<std::string>()));
    }
    handler->Greet(subscribed.dump());
  }
  HttpResponse response;
  response.websocket = std::move(handler);
  return response;
}

}  // namespace

void AddStreamRoutes(Router& router, const ApiServices& services) {
  router.Add({.method = "GET",
              .pattern = "/api/v1/stream",
              .resource_kind = "series",
              .summary = "Live samples over a WebSocket, by tag path pattern, at most max_rate a second per client.",
              .handler = [services](RequestContext& c) { return OpenStream(services, c.request); }});
}

}  // namespace zhizao::api
