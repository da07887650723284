#include "connect/modbus/internal/mbap.h"

#include <string>

namespace zhizao::connect::modbus {
namespace {

uint16_t Get16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }

uint8_t ReadFunction(RegisterKind kind) {
  switch (kind) {
    case RegisterKind::kCoil: return 0x01;
    case RegisterKind::kDiscreteInput: return 0x02;
    case RegisterKind::kHolding: return 0x03;
    case RegisterKind::kInput: return 0x04;
  }
  return 0x03;
}

// Exception codes of the Modbus Application Protocol (7), 01 Illegal Function to 0B Gateway
// Target Device Failed to Respond.
constexpr uint8_t kFirstExceptionCode = 0x01;
constexpr uint8_t kLastExceptionCode = 0x0B;

// The MBAP length counts the unit id and the PDU; a PDU is 1 to 253 bytes.
constexpr size_t kMinMbapLength = 2;
constexpr size_t kMaxMbapLength = 254;

}  // namespace

std::array<uint8_t, kReadRequestBytes> EncodeReadRequest(uint16_t transaction_id, uint8_t unit_id, RegisterKind kind,
                                                         uint16_t address, uint16_t count) {
  return {static_cast<uint8_t>(transaction_id >> 8), static_cast<uint8_t>(transaction_id), 0, 0, 0, 6, unit_id,
          ReadFunction(kind), static_cast<uint8_t>(address >> 8), static_cast<uint8_t>(address),
          static_cast<uint8_t>(count >> 8), static_cast<uint8_t>(count)};
}

Result<size_t> FrameBytes(std::span<const uint8_t> header) {
  if (Get16(header.data() + 2) != 0) {
    return Status::Corruption("the reply's protocol id is " + std::to_string(Get16(header.data() + 2)) + ", not 0");
  }
  const size_t length = Get16(header.data() + 4);
  if (length < kMinMbapLength || length > kMaxMbapLength) {
    return Status::Corruption("the reply's MBAP length is " + std::to_string(length) + " (2 to 254 allowed)");
  }
  return kMbapHeaderBytes - 1 + length;
}

Result<ReplyFrame> ParseReplyFrame(std::span<const uint8_t> frame) {
  if (frame.size() < kMbapHeaderBytes + 1) return Status::Corruption("the reply has no function code");
  ReplyFrame reply;
  reply.transaction_id = Get16(frame.data());
  reply.unit_id = frame[6];
  reply.function = frame[7];
  std::span<const uint8_t> rest = frame.subspan(kMbapHeaderBytes + 1);
  if (reply.function & 0x80) {
    if (rest.size() != 1) return Status::Corruption("an exception reply of " + std::to_string(rest.size()) + " bytes");
    reply.exception = rest[0];
    return reply;
  }
  if (rest.empty() || rest[0] != rest.size() - 1) {
    return Status::Corruption("the reply's byte count disagrees with its length");
  }
  reply.data = rest.subspan(1);
  return reply;
}

Status UnpackReadReply(const ReplyFrame& reply, RegisterKind kind, uint16_t count, std::span<uint16_t> registers,
                       std::span<uint8_t> bits) {
  if ((reply.function & 0x7F) != ReadFunction(kind)) {
    return Status::Corruption("the reply is for function " + std::to_string(reply.function & 0x7F) + ", not " +
                              std::to_string(ReadFunction(kind)));
  }
  if (reply.function & 0x80) {
    if (reply.exception >= kFirstExceptionCode && reply.exception <= kLastExceptionCode) return Status::Ok();
    return Status::Corruption("the reply's exception code " + std::to_string(reply.exception) + " is not one of 1 to 11");
  }
  const bool bit_kind = IsBitKind(kind);
  const size_t expected = bit_kind ? (count + 7u) / 8u : 2u * count;
  if (reply.data.size() != expected) {
    return Status::Corruption("the reply holds " + std::to_string(reply.data.size()) + " bytes of values, not " +
                              std::to_string(expected));
  }
  if (bit_kind) {
    for (size_t i = 0; i < count; ++i) bits[i] = (reply.data[i / 8] >> (i % 8)) & 1;
  } else {
    for (size_t i = 0; i < count; ++i) registers[i] = Get16(reply.data.data() + 2 * i);
  }
  return Status::Ok();
}

}  // namespace zhizao::connect::modbus
