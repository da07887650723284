// Modbus TCP framing for pipelined reads (Modbus Messaging on TCP/IP Implementation Guide
// v1.0b, 3.1: the MBAP header; Modbus Application Protocol v1.1b3, 6.1 to 6.4: FC1 to FC4).
// libmodbus sends one request and waits for its reply; a connector with several requests in
// flight frames them itself, with its own transaction ids, and matches replies by them.
// Pure functions over bytes; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "common/status.h"
#include "connect/modbus/modbus_definition.h"

namespace zhizao::connect::modbus {

inline constexpr size_t kMbapHeaderBytes = 7;  // transaction id, protocol id, length, unit id
inline constexpr size_t kReadRequestBytes = 12;
// The largest ADU: the header and a PDU of at most 253 bytes.
inline constexpr size_t kMaxAduBytes = 260;

// The frame of a read of `count` values from `address` (FC1 to FC4 by kind).
std::array<uint8_t, kReadRequestBytes> EncodeReadRequest(uint16_t transaction_id, uint8_t unit_id, RegisterKind kind,
                                                         uint16_t address, uint16_t count);

// The whole length of the frame whose header is `header`: Corruption when the protocol id is
// not 0 or the length field is outside 2..254, so that no lying length is ever waited for.
// REQUIRES: header.size() >= kMbapHeaderBytes.
Result<size_t> FrameBytes(std::span<const uint8_t> header);

// A reply frame taken apart, its bytes viewed (not copied).
struct ReplyFrame {
  uint16_t transaction_id = 0;
  uint8_t unit_id = 0;
  uint8_t function = 0;   // with bit 7 set for an exception
  uint8_t exception = 0;  // the exception code, when function has bit 7
  std::span<const uint8_t> data;  // a read's values, after its byte count
};

// Parses a whole frame (FrameBytes long). Corruption when its PDU is not a well-formed read reply
// or exception: an empty PDU, an exception without exactly one code, a byte count that
// disagrees with the frame's length.
Result<ReplyFrame> ParseReplyFrame(std::span<const uint8_t> frame);

// Checks that `reply` answers a read of `count` values of `kind`, and unpacks its values:
// registers big-endian into `registers`, bits (least significant first) one byte each into
// `bits`. Corruption naming the mismatch otherwise, and for an exception code outside 1..11 (as
// libmodbus refuses one). An exception reply to the right function is Ok here: the caller reads
// reply.exception. The unit id is not compared, as libmodbus does not over TCP: gateways
// answer for devices behind them with ids of their own.
// REQUIRES: registers.size() >= count for register kinds, bits.size() >= count for bit kinds.
Status UnpackReadReply(const ReplyFrame& reply, RegisterKind kind, uint16_t count, std::span<uint16_t> registers,
                       std::span<uint8_t> bits);

}  // namespace zhizao::connect::modbus
