#include "modbus_fuzz_target.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <vector>

#include "common/check.h"
#include "connect/modbus/internal/mbap.h"
#include "connect/modbus/modbus_definition.h"
#include "connect/modbus/poll_plan.h"
#include "connect/modbus/register_codec.h"

namespace zhizao::connect::modbus {
namespace {

constexpr ValueType kRegisterTypes[] = {ValueType::kInt16, ValueType::kUint16, ValueType::kInt32, ValueType::kUint32,
                                        ValueType::kInt64, ValueType::kFloat32, ValueType::kFloat64};
constexpr ByteOrder kOrders[] = {ByteOrder::kABCD, ByteOrder::kCDAB, ByteOrder::kBADC, ByteOrder::kDCBA};

bool IsNaN(const RawValue& raw) { return std::holds_alternative<double>(raw) && std::isnan(std::get<double>(raw)); }

void CheckValue(std::span<const uint16_t> registers, ValueType type, ByteOrder order, double scale, double offset) {
  const RawValue raw = DecodeRegisters(registers, type, order);
  std::vector<uint16_t> again(registers.size());
  EncodeRaw(raw, type, order, again);
  // A float32 signalling NaN comes back quiet through a double: only its NaN-ness must survive.
  if (IsNaN(raw)) {
    ZZ_CHECK(IsNaN(DecodeRegisters(again, type, order)), "a NaN must stay a NaN");
    return;
  }
  ZZ_CHECK(std::equal(again.begin(), again.end(), registers.begin()), "registers must encode back unchanged");

  TagCodec plain{type, order, 1.0, 0.0};
  const Value sample = DecodeSample(registers, plain);
  const WriteValue written = sample.type() == DataType::kInt64 ? WriteValue(sample.i64()) : WriteValue(sample.f64());
  Result<std::vector<uint16_t>> encoded = EncodeWrite(written, plain);
  if (sample.type() == DataType::kFloat64 && !std::isfinite(sample.f64())) {
    ZZ_CHECK(!encoded.ok(), "a non-finite value must not be written");
    return;
  }
  ZZ_CHECK(encoded.ok() && *encoded == std::vector<uint16_t>(registers.begin(), registers.end()),
           "an unscaled sample must write back its own registers");
  if (scale != 0 && std::isfinite(scale) && std::isfinite(offset)) {
    TagCodec scaled{type, order, scale, offset};
    const Value value = DecodeSample(registers, scaled);
    (void)EncodeWrite(value.f64(), scaled);  // may be out of range; must not misbehave
  }
}

void FuzzRegisters(const uint8_t* data, size_t size) {
  if (size < 1) return;
  const ValueType type = kRegisterTypes[data[0] % 7];
  const ByteOrder order = kOrders[(data[0] / 7) % 4];
  data++;
  size--;
  double scale = 1.0, offset = 0.0;
  if (size >= 16) {
    std::memcpy(&scale, data, 8);
    std::memcpy(&offset, data + 8, 8);
    data += 16;
    size -= 16;
  }
  const size_t width = static_cast<size_t>(RegisterCount(type));
  std::vector<uint16_t> registers(size / 2);
  for (size_t i = 0; i < registers.size(); ++i) registers[i] = static_cast<uint16_t>(data[2 * i] << 8 | data[2 * i + 1]);
  for (size_t at = 0; at + width <= registers.size(); at += width) {
    CheckValue(std::span<const uint16_t>(registers.data() + at, width), type, order, scale, offset);
  }
}

void CheckPlan(const ModbusDefinition& definition) {
  std::vector<int> seen(definition.tags.size(), 0);
  for (const PollGroupPlan& plan : PlanPolls(definition)) {
    for (const ReadRequest& request : plan.requests) {
      const int limit = IsBitKind(request.kind) ? definition.max_bits : definition.max_registers;
      ZZ_CHECK(request.count >= 1 && request.count <= limit, "a request reads 1 to limit values");
      ZZ_CHECK(request.address + request.count <= 65536, "a request stays within the address space");
      for (const TagSlot& slot : request.slots) {
        const ModbusTagDefinition& tag = definition.tags[slot.tag_index];
        ZZ_CHECK(tag.kind == request.kind, "a tag is read from its own table");
        ZZ_CHECK(slot.offset + tag.width() <= request.count, "a tag's value lies inside its request");
        ZZ_CHECK(request.address + slot.offset == tag.address, "a slot points at its tag's address");
        ZZ_CHECK(definition.GroupOf(tag).period == plan.period, "a tag polls in its own group");
        seen[slot.tag_index]++;
      }
    }
  }
  for (int count : seen) ZZ_CHECK(count == 1, "every tag is read exactly once per poll");
}

void FuzzDefinition(const uint8_t* data, size_t size) {
  nlohmann::json definition = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (definition.is_discarded()) return;
  Result<ModbusDefinition> parsed = ParseModbusDefinition(definition);
  if (parsed.ok()) CheckPlan(*parsed);
}

// A reply frame as a peer sends it to a pipelined read, after two bytes choosing the read it
// answers.
void FuzzReply(const uint8_t* data, size_t size) {
  if (size < 2 + kMbapHeaderBytes) return;
  const auto kind = static_cast<RegisterKind>(data[0] % 4);
  const int limit = IsBitKind(kind) ? kMaxReadBits : kMaxReadRegisters;
  const auto count = static_cast<uint16_t>(1 + (data[1] | (data[0] >> 2) << 8) % limit);
  const std::span<const uint8_t> bytes(data + 2, size - 2);
  Result<size_t> frame_bytes = FrameBytes(bytes);
  if (!frame_bytes.ok()) return;
  ZZ_CHECK(*frame_bytes > kMbapHeaderBytes && *frame_bytes <= kMaxAduBytes, "a frame fits one ADU");
  if (bytes.size() < *frame_bytes) return;
  Result<ReplyFrame> reply = ParseReplyFrame(bytes.first(*frame_bytes));
  if (!reply.ok()) return;
  ZZ_CHECK(reply->data.size() < *frame_bytes, "the values lie inside the frame");
  std::vector<uint16_t> registers(kMaxReadRegisters);
  std::vector<uint8_t> bits(kMaxReadBits, 7);
  if (!UnpackReadReply(*reply, kind, count, registers, bits).ok() || (reply->function & 0x80)) return;
  for (size_t i = 0; IsBitKind(kind) && i < count; ++i) ZZ_CHECK(bits[i] <= 1, "a bit unpacks to 0 or 1");
}

}  // namespace

void FuzzModbus(const uint8_t* data, size_t size) {
  if (size < 1) return;
  switch (data[0] % 3) {
    case 0: FuzzRegisters(data + 1, size - 1); break;
    case 1: FuzzDefinition(data + 1, size - 1); break;
    default: FuzzReply(data + 1, size - 1); break;
  }
}

}  // namespace zhizao::connect::modbus
