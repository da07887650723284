// Which read requests poll a connector's tags: tags of the same table and poll group whose
// addresses are contiguous, or apart by at most merge_gap unread addresses, share one request
// within the definition's per-request limits (the protocol's: 125 registers, 2000 bits).
// Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "connect/modbus/modbus_definition.h"

namespace zhizao::connect::modbus {

// Where one tag's value sits in a request's reply.
struct TagSlot {
  size_t tag_index = 0;  // into ModbusDefinition::tags
  uint16_t offset = 0;   // registers (or bits) after the request's first address
};

struct ReadRequest {
  RegisterKind kind = RegisterKind::kHolding;
  uint16_t address = 0;
  uint16_t count = 0;
  std::vector<TagSlot> slots;  // ordered by address
};

struct PollGroupPlan {
  std::chrono::milliseconds period{1000};
  std::chrono::milliseconds deadline{1000};
  std::vector<ReadRequest> requests;
};

// One plan per group of the definition that has tags, in the definition's group order. Every tag
// is in exactly one slot.
std::vector<PollGroupPlan> PlanPolls(const ModbusDefinition& definition);

}  // namespace zhizao::connect::modbus
