// OPC UA StatusCodes (Part 4, 7.39; Part 6, A.2) that zhizao's client acts on or names in logs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace zhizao::connect::opcua::ua_status {

inline constexpr uint32_t kGood = 0x00000000;
inline constexpr uint32_t kBadUnexpectedError = 0x80010000;
inline constexpr uint32_t kBadInternalError = 0x80020000;
inline constexpr uint32_t kBadCommunicationError = 0x80050000;
inline constexpr uint32_t kBadEncodingError = 0x80060000;
inline constexpr uint32_t kBadDecodingError = 0x80070000;
inline constexpr uint32_t kBadEncodingLimitsExceeded = 0x80080000;
inline constexpr uint32_t kBadTimeout = 0x800A0000;
inline constexpr uint32_t kBadServiceUnsupported = 0x800B0000;
inline constexpr uint32_t kBadShutdown = 0x800C0000;
inline constexpr uint32_t kBadServerNotConnected = 0x800D0000;
inline constexpr uint32_t kBadTooManyOperations = 0x80100000;
inline constexpr uint32_t kBadUserAccessDenied = 0x801F0000;
inline constexpr uint32_t kBadIdentityTokenInvalid = 0x80200000;
inline constexpr uint32_t kBadIdentityTokenRejected = 0x80210000;
inline constexpr uint32_t kBadSecureChannelIdInvalid = 0x80220000;
inline constexpr uint32_t kBadSessionIdInvalid = 0x80250000;
inline constexpr uint32_t kBadSessionClosed = 0x80260000;
inline constexpr uint32_t kBadSessionNotActivated = 0x80270000;
inline constexpr uint32_t kBadSubscriptionIdInvalid = 0x80280000;
inline constexpr uint32_t kBadNoCommunication = 0x80310000;
inline constexpr uint32_t kBadWaitingForInitialData = 0x80320000;
inline constexpr uint32_t kBadNodeIdUnknown = 0x80340000;
inline constexpr uint32_t kBadAttributeIdInvalid = 0x80350000;
inline constexpr uint32_t kBadNotReadable = 0x803A0000;
inline constexpr uint32_t kBadNotWritable = 0x803B0000;
inline constexpr uint32_t kBadOutOfRange = 0x803C0000;
inline constexpr uint32_t kBadTypeMismatch = 0x80740000;
inline constexpr uint32_t kBadTooManyPublishRequests = 0x80780000;
inline constexpr uint32_t kBadNoSubscription = 0x80790000;
inline constexpr uint32_t kBadSequenceNumberUnknown = 0x807A0000;
inline constexpr uint32_t kBadMessageNotAvailable = 0x807B0000;
inline constexpr uint32_t kBadTcpMessageTypeInvalid = 0x807E0000;
inline constexpr uint32_t kBadTcpSecureChannelUnknown = 0x807F0000;
inline constexpr uint32_t kBadTcpMessageTooLarge = 0x80800000;

inline bool IsBad(uint32_t code) { return (code >> 30) >= 2; }

// "BadNotWritable (0x803B0000)"; the hex alone for a code without a name here.
std::string StatusCodeText(uint32_t code);

}  // namespace zhizao::connect::opcua::ua_status

namespace zhizao::connect::opcua {

// A bad OPC UA StatusCode as zhizao's Status: PermissionDenied for BadNotWritable and
// BadUserAccessDenied, NotFound for BadNodeIdUnknown, InvalidArgument for BadTypeMismatch and
// BadOutOfRange, Unavailable for communication, channel and session codes, FailedPrecondition
// for the rest. The message reads "context: BadNotWritable (0x803B0000)".
Status StatusFromUa(uint32_t code, std::string_view context);

}  // namespace zhizao::connect::opcua
