#include "connect/modbus/modbus_connector.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "common/clock.h"

namespace zhizao::connect::modbus {
namespace {

constexpr std::chrono::milliseconds kMinBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{10'000};

std::unordered_map<std::string, size_t> IndexByPath(const ModbusDefinition& definition) {
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < definition.tags.size(); ++i) index.emplace(definition.tags[i].path, i);
  return index;
}

Value ZeroOf(DataType type) {
  if (type == DataType::kInt64) return Value::Int64(0);
  if (type == DataType::kBool) return Value::Bool(false);
  return Value::Float64(0);
}

}  // namespace

Result<std::unique_ptr<Connector>> MakeModbusConnector(const nlohmann::json& definition, TagSink& sink) {
  ZZ_ASSIGN_OR_RETURN(ModbusDefinition parsed, ParseModbusDefinition(definition));
  return std::unique_ptr<Connector>(std::make_unique<ModbusConnector>(std::move(parsed), sink));
}

ModbusConnector::ModbusConnector(ModbusDefinition definition, TagSink& sink)
    : Connector(definition.name, "modbus"),
      definition_(std::move(definition)),
      plans_(PlanPolls(definition_)),
      tag_index_(IndexByPath(definition_)),
      sink_(sink),
      session_(definition_.host, definition_.port, definition_.unit_id, definition_.timeout),
      backoff_(kMinBackoff, kMaxBackoff),
      last_status_(definition_.tags.size(), status_codes::kGood),
      registers_(kMaxReadRegisters),
      bits_(kMaxReadBits) {
  for (const ModbusTagDefinition& tag : definition_.tags) last_good_.push_back(ZeroOf(tag.codec.catalog_type()));
  for (const PollGroupPlan& plan : plans_) request_failing_.emplace_back(plan.requests.size(), 0);
}

ModbusConnector::~ModbusConnector() { Stop(); }

void ModbusConnector::Start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stop_ = false;
  }
  session_.Reset();
  stats().SetState(ConnectorState::kConnecting);
  thread_ = std::thread([this] { Run(); });
}

void ModbusConnector::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  session_.Interrupt();
  if (thread_.joinable()) thread_.join();
  stats().SetState(ConnectorState::kStopped);
}

std::vector<std::string> ModbusConnector::TagPaths() const {
  std::vector<std::string> paths;
  paths.reserve(definition_.tags.size());
  for (const ModbusTagDefinition& tag : definition_.tags) paths.push_back(tag.path);
  return paths;
}

bool ModbusConnector::StopRequested() {
  std::lock_guard lock(mu_);
  return stop_;
}

bool ModbusConnector::SleepUnlessStopped(std::chrono::milliseconds delay) {
  std::unique_lock lock(mu_);
  return !wake_.wait_for(lock, delay, [this] { return stop_; });
}

Status ModbusConnector::EnsureTags() {
  std::vector<TagSpec> specs;
  for (const ModbusTagDefinition& tag : definition_.tags) {
    TagSpec spec;
    spec.path = tag.path;
    spec.type = tag.codec.catalog_type();
    spec.unit = tag.unit;
    spec.writable = tag.writable;
    spec.range_lo = tag.min;
    spec.range_hi = tag.max;
    spec.period_ms = definition_.GroupOf(tag).period.count();
    spec.description = tag.description;
    specs.push_back(std::move(spec));
  }
  ZZ_ASSIGN_OR_RETURN(tag_ids_, sink_.EnsureTags(specs));
  return Status::Ok();
}

// Connects, polls until the connection breaks, and starts over after a backoff, until stopped.
void ModbusConnector::Run() {
  if (Status made = EnsureTags(); !made.ok()) {
    // The catalog refusing our tags (a type clash, a bad path) is not mended by retrying.
    spdlog::error("modbus connector {}: cannot create its tags: {}", name(), made.message());
    stats().RecordError("cannot create tags: " + made.message());
    stats().SetState(ConnectorState::kFailed);
    return;
  }
  bool connected_before = false;
  while (!StopRequested()) {
    stats().SetState(ConnectorState::kConnecting);
    Status why = session_.Connect();
    if (why.ok()) {
      if (connected_before) stats().RecordReconnect();
      connected_before = true;
      stats().SetState(ConnectorState::kRunning);
      spdlog::info("modbus connector {}: connected to {}:{}", name(), definition_.host, definition_.port);
      SetAcceptingWrites(true);
      why = PollWhileConnected();
      SetAcceptingWrites(false);
      session_.Close();
    }
    if (StopRequested()) break;
    auto delay = backoff_.Next();
    spdlog::warn("modbus connector {}: {}; reconnecting in {} ms", name(), why.message(), delay.count());
    stats().RecordError(why.message());
    MarkDisconnected(why);
    SleepUnlessStopped(delay);
  }
  session_.Close();
}

// Every tag not already bad gets one bad sample, with its last good value.
void ModbusConnector::MarkDisconnected(const Status& reason) {
  batch_.Clear();
  const int64_t now_ns = SystemClock::Instance().NowNs();
  for (size_t i = 0; i < definition_.tags.size(); ++i) {
    if (SeverityOf(last_status_[i]) == QualitySeverity::kBad) continue;
    batch_.points.push_back({tag_ids_[i], status_codes::kBadNoCommunication, now_ns, last_good_[i]});
    last_status_[i] = status_codes::kBadNoCommunication;
  }
  if (!batch_.empty()) {
    spdlog::debug("modbus connector {}: {} tags bad: {}", name(), batch_.size(), reason.message());
    Deliver(batch_);
  }
}

void ModbusConnector::Deliver(Batch& batch) {
  if (batch.empty()) return;
  uint64_t not_good = 0;
  for (const Point& point : batch.points) not_good += point.status != status_codes::kGood ? 1 : 0;
  stats().RecordSamples(batch.size(), not_good);
  if (Status written = sink_.Write(batch); !written.ok()) {
    spdlog::warn("modbus connector {}: ingest refused {} samples: {}", name(), batch.size(), written.message());
    stats().RecordError("ingest refused samples: " + written.message());
  }
}

}  // namespace zhizao::connect::modbus
