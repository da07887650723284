#include "connect/write_gate.h"

#include <spdlog/spdlog.h>

#include <cmath>

#include "connect/connector_manager.h"

namespace zhizao::connect {
namespace {

std::string Describe(const WriteValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return "\"" + v + "\"";
        } else if constexpr (std::is_same_v<T, bool>) {
          return v ? "true" : "false";
        } else {
          return std::to_string(v);
        }
      },
      value);
}

// The value as a number when the tag's type is numeric, so that a JSON 5 may set a float tag
// and 5.0 an integer one; nullopt when the value cannot be the tag's type.
std::optional<double> NumberFor(DataType type, const WriteValue& value) {
  if (type == DataType::kString || type == DataType::kBool) return std::nullopt;
  if (const double* d = std::get_if<double>(&value)) {
    if (type == DataType::kInt64 && (std::trunc(*d) != *d || !std::isfinite(*d))) return std::nullopt;
    return *d;
  }
  if (const int64_t* i = std::get_if<int64_t>(&value)) return static_cast<double>(*i);
  return std::nullopt;
}

// The value in the tag's own type.
WriteValue Normalized(DataType type, const WriteValue& value, double number) {
  if (type == DataType::kFloat64) return number;
  if (type == DataType::kInt64) return std::holds_alternative<int64_t>(value) ? value : WriteValue(static_cast<int64_t>(number));
  return value;
}

}  // namespace

WriteGate::WriteGate(catalog::Catalog& catalog, ConnectorManager& connectors, MetricsRegistry& metrics)
    : catalog_(catalog),
      connectors_(connectors),
      accepted_(metrics.GetCounter("zhizao_connector_writes_total", "Writes to equipment through the write gate, by outcome.",
                                   {{"outcome", "written"}})),
      refused_(metrics.GetCounter("zhizao_connector_writes_total", "Writes to equipment through the write gate, by outcome.",
                                  {{"outcome", "refused"}})),
      failed_(metrics.GetCounter("zhizao_connector_writes_total", "Writes to equipment through the write gate, by outcome.",
                                 {{"outcome", "failed"}})) {}

Status WriteGate::Check(const WriteRequest& request, const catalog::Tag& tag) const {
  if (!tag.writable) return Status::PermissionDenied("tag '" + tag.path + "' is not writable (see the tag's writable flag)");
  if (tag.data_type == DataType::kBool) {
    if (!std::holds_alternative<bool>(request.value)) return Status::InvalidArgument("tag '" + tag.path + "' takes true or false");
    return Status::Ok();
  }
  if (tag.data_type == DataType::kString) {
    if (!std::holds_alternative<std::string>(request.value)) return Status::InvalidArgument("tag '" + tag.path + "' takes a string");
    return Status::Ok();
  }
  std::optional<double> number = NumberFor(tag.data_type, request.value);
  if (!number) {
    return Status::InvalidArgument("tag '" + tag.path + "' takes a " +
                                   (tag.data_type == DataType::kInt64 ? "whole number" : "number"));
  }
  if ((tag.range_lo && *number < *tag.range_lo) || (tag.range_hi && *number > *tag.range_hi)) {
    return Status::OutOfRange("value " + Describe(request.value) + " is outside tag '" + tag.path + "''s range [" +
                              (tag.range_lo ? std::to_string(*tag.range_lo) : "-inf") + ", " +
                              (tag.range_hi ? std::to_string(*tag.range_hi) : "inf") + "]");
  }
  return Status::Ok();
}

Status WriteGate::Write(const WriteRequest& request) {
  spdlog::info("write-gate: {} asks to write {} to '{}' ({})", request.requested_by, Describe(request.value),
               request.tag_path, request.reason.empty() ? "no reason given" : request.reason);
  Result<catalog::Tag> tag = catalog_.FindTag(request.tag_path);
  Status checked = tag.ok() ? Check(request, *tag) : tag.status();
  Result<std::shared_ptr<Connector>> connector = Status::Ok();
  if (checked.ok()) {
    connector = connectors_.FindByTag(request.tag_path);
    if (!connector.ok()) checked = Status::FailedPrecondition(connector.status().message());
  }
  if (checked.ok() && (*connector)->GetStatus().state != ConnectorState::kRunning) {
    checked = Status::FailedPrecondition("connector '" + (*connector)->name() + "' is not running");
  }
  if (!checked.ok()) {
    refused_.Increment();
    spdlog::warn("write-gate: refused: {}", checked.message());
    return checked;
  }
  WriteValue value = request.value;
  if (std::optional<double> number = NumberFor(tag->data_type, value)) value = Normalized(tag->data_type, value, *number);
  Status written = (*connector)->Write(request.tag_path, value);
  if (!written.ok()) {
    failed_.Increment();
    spdlog::error("write-gate: writing '{}' through connector '{}' failed: {}", request.tag_path, (*connector)->name(),
                  written.message());
    return written;
  }
  (*connector)->stats().RecordWrite();
  accepted_.Increment();
  spdlog::info("write-gate: wrote {} to '{}' through connector '{}'", Describe(value), request.tag_path,
               (*connector)->name());
  return Status::Ok();
}

}  // namespace zhizao::connect
