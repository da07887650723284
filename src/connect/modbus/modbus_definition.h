// The definition of a Modbus TCP connector, parsed and checked from its JSON
// (docs/connectors/modbus.md describes every field).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "connect/modbus/register_codec.h"

namespace zhizao::connect::modbus {

// The four Modbus data tables, each with its own read function code.
enum class RegisterKind : uint8_t {
  kCoil,            // "C",  FC1 read, FC5 write
  kDiscreteInput,   // "DI", FC2, read-only
  kHolding,         // "HR", FC3 read, FC6/FC16 write
  kInput,           // "IR", FC4, read-only
};
std::string_view RegisterKindPrefix(RegisterKind kind);
bool IsBitKind(RegisterKind kind);

// Protocol limits of one read request (Modbus Application Protocol v1.1b3, 6.1 to 6.4).
inline constexpr int kMaxReadRegisters = 125;
inline constexpr int kMaxReadBits = 2000;
// Read requests a connector may send before their replies (max_requests_in_flight).
inline constexpr int kMaxRequestsInFlight = 16;

struct ModbusTagDefinition {
  std::string path;  // catalog path
  RegisterKind kind = RegisterKind::kHolding;
  uint16_t address = 0;  // zero-based protocol address
  TagCodec codec;
  std::string unit;
  bool writable = false;
  std::optional<double> min;  // the write gate's limits
  std::optional<double> max;
  std::string group;  // empty: the connector's own poll_ms
  std::string description;

  // Registers (or bits) the tag spans.
  int width() const { return IsBitKind(kind) ? 1 : RegisterCount(codec.type); }
};

struct PollGroupDefinition {
  std::string name;  // empty for the connector's default group
  std::chrono::milliseconds period{1000};
  std::chrono::milliseconds deadline{1000};  // a poll not done by start + deadline is an overrun
};

struct ModbusDefinition {
  std::string name;
  std::string host;
  uint16_t port = 502;
  int unit_id = 1;
  std::chrono::milliseconds timeout{1000};
  int merge_gap = 4;  // unread registers (or bits) a merged request may span between two tags
  int max_registers = kMaxReadRegisters;  // per read request, for devices below the protocol limit
  int max_bits = kMaxReadBits;
  // Above 1, a poll sends this many reads before it waits for their replies (Modbus TCP allows
  // it; some devices answer only one transaction at a time, hence the default of 1).
  int max_requests_in_flight = 1;
  std::vector<PollGroupDefinition> groups;  // groups[0] is the default group
  std::vector<ModbusTagDefinition> tags;

  // The group a tag polls in. REQUIRES: tag.group names one of groups.
  const PollGroupDefinition& GroupOf(const ModbusTagDefinition& tag) const;
};

// InvalidArgument naming the field ("tags[2].register: ...") for anything malformed; never throws.
Result<ModbusDefinition> ParseModbusDefinition(const nlohmann::json& definition);

}  // namespace zhizao::connect::modbus
