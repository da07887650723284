#include "connect/modbus/modbus_definition.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "common/check.h"

namespace zhizao::connect::modbus {
namespace {

using nlohmann::json;

constexpr size_t kMaxTags = 100'000;
constexpr size_t kMaxGroups = 64;
constexpr int64_t kMinPollMs = 10, kMaxPollMs = 3'600'000;
constexpr int64_t kMinTimeoutMs = 10, kMaxTimeoutMs = 60'000;
constexpr int64_t kMaxUnitId = 247, kUnitIdNotUsed = 255;  // Modbus TCP: 255 when the unit id is not used

Status Invalid(const std::string& field, const std::string& why) { return Status::InvalidArgument(field + ": " + why); }

// Each reader returns `fallback` for a missing field, or InvalidArgument when it is required.
Result<std::string> ReadString(const json& object, const char* key, const std::string& where,
                               std::optional<std::string> fallback) {
  auto it = object.find(key);
  if (it == object.end()) {
    if (fallback) return *fallback;
    return Invalid(where + key, "is required");
  }
  if (!it->is_string()) return Invalid(where + key, "must be a string");
  return it->get<std::string>();
}

Result<int64_t> ReadInteger(const json& object, const char* key, const std::string& where, int64_t lo, int64_t hi,
                            std::optional<int64_t> fallback) {
  auto it = object.find(key);
  if (it == object.end()) {
    if (fallback) return *fallback;
    return Invalid(where + key, "is required");
  }
  const std::string range = "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
  if (it->is_number_unsigned()) {
    uint64_t v = it->get<uint64_t>();
    if (v > static_cast<uint64_t>(hi)) return Invalid(where + key, range);
    return static_cast<int64_t>(v);
  }
  if (!it->is_number_integer()) return Invalid(where + key, range);
  int64_t v = it->get<int64_t>();
  if (v < lo || v > hi) return Invalid(where + key, range);
  return v;
}

Result<std::optional<double>> ReadNumber(const json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end()) return std::optional<double>();
  if (!it->is_number() || !std::isfinite(it->get<double>())) return Invalid(where + key, "must be a finite number");
  return std::optional<double>(it->get<double>());
}

Result<bool> ReadBool(const json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end()) return false;
  if (!it->is_boolean()) return Invalid(where + key, "must be true or false");
  return it->get<bool>();
}

Status CheckKnownKeys(const json& object, std::initializer_list<std::string_view> known, const std::string& where) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (std::find(known.begin(), known.end(), it.key()) == known.end()) {
      return Invalid(where + it.key(), "is not a field of a Modbus definition");
    }
  }
  return Status::Ok();
}

// "tcp://host[:port]"; an IPv6 host goes in brackets: "tcp://[::1]:502".
Status ParseEndpoint(const std::string& endpoint, ModbusDefinition& out) {
  constexpr std::string_view kScheme = "tcp://";
  if (endpoint.rfind(kScheme, 0) != 0) return Invalid("endpoint", "must look like tcp://host:port");
  std::string_view rest = std::string_view(endpoint).substr(kScheme.size());
  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {
    size_t close = rest.find(']');
    if (close == std::string_view::npos) return Invalid("endpoint", "an IPv6 address needs its closing ']'");
    out.host = std::string(rest.substr(1, close - 1));
    rest = rest.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return Invalid("endpoint", "expected ':port' after the address");
    if (!rest.empty()) port_text = rest.substr(1);
  } else {
    size_t colon = rest.rfind(':');
    out.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) port_text = rest.substr(colon + 1);
  }
  if (out.host.empty() || out.host.find_first_of(" /\t\r\n") != std::string::npos) {
    return Invalid("endpoint", "has no valid host");
  }
  if (port_text.empty()) return endpoint.back() == ':' ? Invalid("endpoint", "has an empty port") : Status::Ok();
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 || port > 65535) {
    return Invalid("endpoint", "port must be from 1 to 65535");
  }
  out.port = static_cast<uint16_t>(port);
  return Status::Ok();
}

// "HR12", "IR0", "C7", "DI3": a table prefix and a zero-based address.
Status ParseRegister(const std::string& text, const std::string& field, ModbusTagDefinition& tag) {
  static constexpr std::pair<std::string_view, RegisterKind> kPrefixes[] = {
      {"HR", RegisterKind::kHolding}, {"IR", RegisterKind::kInput},
      {"DI", RegisterKind::kDiscreteInput}, {"C", RegisterKind::kCoil}};
  for (const auto& [prefix, kind] : kPrefixes) {
    if (text.rfind(prefix, 0) != 0) continue;
    std::string_view digits = std::string_view(text).substr(prefix.size());
    unsigned address = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), address);
    if (digits.empty() || digits.size() > 5 || ec != std::errc() || end != digits.data() + digits.size() ||
        address > 65535) {
      return Invalid(field, "the address after " + std::string(prefix) + " must be from 0 to 65535");
    }
    tag.kind = kind;
    tag.address = static_cast<uint16_t>(address);
    return Status::Ok();
  }
  return Invalid(field, "must be HRn, IRn, Cn or DIn (holding, input, coil, discrete input)");
}

Status ParseCodec(const json& object, const std::string& where, ModbusTagDefinition& tag) {
  const bool bits = IsBitKind(tag.kind);
  ZZ_ASSIGN_OR_RETURN(std::string type_name, ReadString(object, "type", where, bits ? "bool" : "uint16"));
  std::optional<ValueType> type = ParseValueType(type_name);
  if (!type) return Invalid(where + "type", "must be bool, int16, uint16, int32, uint32, int64, float32 or float64");
  if (bits != (*type == ValueType::kBool)) {
    return Invalid(where + "type", bits ? "a coil or discrete input is bool" : "a register cannot be bool");
  }
  tag.codec.type = *type;
  ZZ_ASSIGN_OR_RETURN(std::string order_name, ReadString(object, "order", where, "ABCD"));
  std::optional<ByteOrder> order = ParseByteOrder(order_name);
  if (!order) return Invalid(where + "order", "must be ABCD, CDAB, BADC or DCBA");
  tag.codec.order = *order;
  ZZ_ASSIGN_OR_RETURN(std::optional<double> scale, ReadNumber(object, "scale", where));
  ZZ_ASSIGN_OR_RETURN(std::optional<double> offset, ReadNumber(object, "offset", where));
  if ((scale || offset) && bits) return Invalid(where + "scale", "a bit takes no scale or offset");
  if (scale && *scale == 0.0) return Invalid(where + "scale", "must not be 0");
  tag.codec.scale = scale.value_or(1.0);
  tag.codec.offset = offset.value_or(0.0);
  if (static_cast<int>(tag.address) + tag.width() > 65536) {
    return Invalid(where + "register", "the value runs past address 65535");
  }
  return Status::Ok();
}

Status ParseWriteLimits(const json& object, const std::string& where, ModbusTagDefinition& tag) {
  ZZ_ASSIGN_OR_RETURN(tag.writable, ReadBool(object, "writable", where));
  if (tag.writable && tag.kind != RegisterKind::kHolding && tag.kind != RegisterKind::kCoil) {
    return Invalid(where + "writable", "only holding registers (HR) and coils (C) can be written");
  }
  ZZ_ASSIGN_OR_RETURN(tag.min, ReadNumber(object, "min", where));
  ZZ_ASSIGN_OR_RETURN(tag.max, ReadNumber(object, "max", where));
  if (tag.min && tag.max && *tag.min > *tag.max) return Invalid(where + "min", "must not exceed max");
  return Status::Ok();
}

Result<ModbusTagDefinition> ParseTag(const json& object, const std::string& where, const std::set<std::string>& groups) {
  if (!object.is_object()) return Invalid(where.substr(0, where.size() - 1), "must be an object");
  ZZ_RETURN_IF_ERROR(CheckKnownKeys(object, {"tag", "register", "type", "order", "scale", "offset", "unit", "writable",
                                             "min", "max", "group", "description"}, where));
  ModbusTagDefinition tag;
  ZZ_ASSIGN_OR_RETURN(tag.path, ReadString(object, "tag", where, std::nullopt));
  if (tag.path.empty() || tag.path.size() > 512) return Invalid(where + "tag", "must be 1 to 512 characters");
  ZZ_ASSIGN_OR_RETURN(std::string reg, ReadString(object, "register", where, std::nullopt));
  ZZ_RETURN_IF_ERROR(ParseRegister(reg, where + "register", tag));
  ZZ_RETURN_IF_ERROR(ParseCodec(object, where, tag));
  ZZ_RETURN_IF_ERROR(ParseWriteLimits(object, where, tag));
  ZZ_ASSIGN_OR_RETURN(tag.unit, ReadString(object, "unit", where, ""));
  ZZ_ASSIGN_OR_RETURN(tag.description, ReadString(object, "description", where, ""));
  ZZ_ASSIGN_OR_RETURN(tag.group, ReadString(object, "group", where, ""));
  if (!tag.group.empty() && groups.count(tag.group) == 0) return Invalid(where + "group", "names no group of 'groups'");
  return tag;
}

Result<PollGroupDefinition> ParseGroup(const json& object, const std::string& where) {
  if (!object.is_object()) return Invalid(where.substr(0, where.size() - 1), "must be an object");
  ZZ_RETURN_IF_ERROR(CheckKnownKeys(object, {"name", "poll_ms", "deadline_ms"}, where));
  PollGroupDefinition group;
  ZZ_ASSIGN_OR_RETURN(group.name, ReadString(object, "name", where, std::nullopt));
  if (group.name.empty() || group.name.size() > 64) return Invalid(where + "name", "must be 1 to 64 characters");
  ZZ_ASSIGN_OR_RETURN(int64_t period, ReadInteger(object, "poll_ms", where, kMinPollMs, kMaxPollMs, std::nullopt));
  ZZ_ASSIGN_OR_RETURN(int64_t deadline, ReadInteger(object, "deadline_ms", where, 1, period, period));
  group.period = std::chrono::milliseconds(period);
  group.deadline = std::chrono::milliseconds(deadline);
  return group;
}

Status ParseConnection(const json& definition, ModbusDefinition& out) {
  ZZ_ASSIGN_OR_RETURN(out.name, ReadString(definition, "name", "", std::nullopt));
  ZZ_ASSIGN_OR_RETURN(std::string endpoint, ReadString(definition, "endpoint", "", std::nullopt));
  ZZ_RETURN_IF_ERROR(ParseEndpoint(endpoint, out));
  ZZ_ASSIGN_OR_RETURN(int64_t unit, ReadInteger(definition, "unit", "", 0, 255, 1));
  ZZ_ASSIGN_OR_RETURN(int64_t timeout, ReadInteger(definition, "timeout_ms", "", kMinTimeoutMs, kMaxTimeoutMs, 1000));
  ZZ_ASSIGN_OR_RETURN(int64_t gap, ReadInteger(definition, "merge_gap", "", 0, kMaxReadRegisters, 4));
  ZZ_ASSIGN_OR_RETURN(int64_t max_registers, ReadInteger(definition, "max_registers", "", 4, kMaxReadRegisters, kMaxReadRegisters));
  ZZ_ASSIGN_OR_RETURN(int64_t max_bits, ReadInteger(definition, "max_bits", "", 1, kMaxReadBits, kMaxReadBits));
  ZZ_ASSIGN_OR_RETURN(int64_t in_flight,
                      ReadInteger(definition, "max_requests_in_flight", "", 1, kMaxRequestsInFlight, 1));
  // libmodbus refuses 248-254 over TCP (reserved in the Modbus serial line specification).
  if (unit > kMaxUnitId && unit != kUnitIdNotUsed) return Invalid("unit", "must be 0 to 247, or 255");
  out.unit_id = static_cast<int>(unit);
  out.max_requests_in_flight = static_cast<int>(in_flight);
  out.timeout = std::chrono::milliseconds(timeout);
  out.merge_gap = static_cast<int>(gap);
  out.max_registers = static_cast<int>(max_registers);
  out.max_bits = static_cast<int>(max_bits);
  return Status::Ok();
}

Status ParseGroups(const json& definition, ModbusDefinition& out, std::set<std::string>& names) {
  ZZ_ASSIGN_OR_RETURN(int64_t period, ReadInteger(definition, "poll_ms", "", kMinPollMs, kMaxPollMs, 1000));
  ZZ_ASSIGN_OR_RETURN(int64_t deadline, ReadInteger(definition, "deadline_ms", "", 1, period, period));
  out.groups.push_back({"", std::chrono::milliseconds(period), std::chrono::milliseconds(deadline)});
  auto it = definition.find("groups");
  if (it == definition.end()) return Status::Ok();
  if (!it->is_array() || it->size() > kMaxGroups) return Invalid("groups", "must be an array of at most 64 groups");
  for (size_t i = 0; i < it->size(); ++i) {
    const std::string where = "groups[" + std::to_string(i) + "].";
    ZZ_ASSIGN_OR_RETURN(PollGroupDefinition group, ParseGroup((*it)[i], where));
    if (!names.insert(group.name).second) return Invalid(where + "name", "'" + group.name + "' is defined twice");
    out.groups.push_back(std::move(group));
  }
  return Status::Ok();
}

Status ParseTags(const json& definition, ModbusDefinition& out, const std::set<std::string>& groups) {
  auto it = definition.find("tags");
  if (it == definition.end() || !it->is_array() || it->empty() || it->size() > kMaxTags) {
    return Invalid("tags", "must be an array of 1 to " + std::to_string(kMaxTags) + " tags");
  }
  std::set<std::string> paths;
  for (size_t i = 0; i < it->size(); ++i) {
    const std::string where = "tags[" + std::to_string(i) + "].";
    ZZ_ASSIGN_OR_RETURN(ModbusTagDefinition tag, ParseTag((*it)[i], where, groups));
    if (!paths.insert(tag.path).second) return Invalid(where + "tag", "'" + tag.path + "' is defined twice");
    out.tags.push_back(std::move(tag));
  }
  return Status::Ok();
}

}  // namespace

std::string_view RegisterKindPrefix(RegisterKind kind) {
  switch (kind) {
    case RegisterKind::kCoil: return "C";
    case RegisterKind::kDiscreteInput: return "DI";
    case RegisterKind::kHolding: return "HR";
    case RegisterKind::kInput: return "IR";
  }
  return "?";
}

bool IsBitKind(RegisterKind kind) { return kind == RegisterKind::kCoil || kind == RegisterKind::kDiscreteInput; }

const PollGroupDefinition& ModbusDefinition::GroupOf(const ModbusTagDefinition& tag) const {
  for (const PollGroupDefinition& group : groups) {
    if (group.name == tag.group) return group;
  }
  ZZ_CHECK(false, "a parsed tag names a defined group");
}

Result<ModbusDefinition> ParseModbusDefinition(const json& definition) {
  if (!definition.is_object()) return Status::InvalidArgument("a Modbus definition must be a JSON object");
  ModbusDefinition out;
  ZZ_RETURN_IF_ERROR(ParseConnection(definition, out));
  std::set<std::string> group_names;
  ZZ_RETURN_IF_ERROR(ParseGroups(definition, out, group_names));
  ZZ_RETURN_IF_ERROR(ParseTags(definition, out, group_names));
  return out;
}

}  // namespace zhizao::connect::modbus
