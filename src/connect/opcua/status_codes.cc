#include "connect/opcua/status_codes.h"

#include <cstdio>
#include <string_view>

namespace zhizao::connect::opcua::ua_status {
namespace {

struct Named {
  uint32_t code;
  std::string_view name;
};

constexpr Named kNames[] = {
    {kGood, "Good"},
    {kBadUnexpectedError, "BadUnexpectedError"},
    {kBadInternalError, "BadInternalError"},
    {kBadCommunicationError, "BadCommunicationError"},
    {kBadEncodingError, "BadEncodingError"},
    {kBadDecodingError, "BadDecodingError"},
    {kBadEncodingLimitsExceeded, "BadEncodingLimitsExceeded"},
    {kBadTimeout, "BadTimeout"},
    {kBadServiceUnsupported, "BadServiceUnsupported"},
    {kBadShutdown, "BadShutdown"},
    {kBadServerNotConnected, "BadServerNotConnected"},
    {kBadTooManyOperations, "BadTooManyOperations"},
    {kBadUserAccessDenied, "BadUserAccessDenied"},
    {kBadIdentityTokenInvalid, "BadIdentityTokenInvalid"},
    {kBadIdentityTokenRejected, "BadIdentityTokenRejected"},
    {kBadSecureChannelIdInvalid, "BadSecureChannelIdInvalid"},
    {kBadSessionIdInvalid, "BadSessionIdInvalid"},
    {kBadSessionClosed, "BadSessionClosed"},
    {kBadSessionNotActivated, "BadSessionNotActivated"},
    {kBadSubscriptionIdInvalid, "BadSubscriptionIdInvalid"},
    {kBadNoCommunication, "BadNoCommunication"},
    {kBadWaitingForInitialData, "BadWaitingForInitialData"},
    {kBadNodeIdUnknown, "BadNodeIdUnknown"},
    {kBadAttributeIdInvalid, "BadAttributeIdInvalid"},
    {kBadNotReadable, "BadNotReadable"},
    {kBadNotWritable, "BadNotWritable"},
    {kBadOutOfRange, "BadOutOfRange"},
    {kBadTypeMismatch, "BadTypeMismatch"},
    {kBadTooManyPublishRequests, "BadTooManyPublishRequests"},
    {kBadNoSubscription, "BadNoSubscription"},
    {kBadSequenceNumberUnknown, "BadSequenceNumberUnknown"},
    {kBadMessageNotAvailable, "BadMessageNotAvailable"},
    {kBadTcpMessageTypeInvalid, "BadTcpMessageTypeInvalid"},
    {kBadTcpSecureChannelUnknown, "BadTcpSecureChannelUnknown"},
    {kBadTcpMessageTooLarge, "BadTcpMessageTooLarge"},
};

}  // namespace

std::string StatusCodeText(uint32_t code) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%08X", code);
  for (const Named& n : kNames) {
    if (n.code == code) return std::string(n.name) + " (" + hex + ")";
  }
  return hex;
}

}  // namespace zhizao::connect::opcua::ua_status

namespace zhizao::connect::opcua {

Status StatusFromUa(uint32_t code, std::string_view context) {
  using namespace ua_status;
  std::string message = std::string(context) + ": " + StatusCodeText(code);
  switch (code) {
    case kBadNotWritable:
    case kBadUserAccessDenied: return Status::PermissionDenied(std::move(message));
    case kBadNodeIdUnknown: return Status::NotFound(std::move(message));
    case kBadTypeMismatch:
    case kBadOutOfRange: return Status::InvalidArgument(std::move(message));
    case kBadCommunicationError:
    case kBadTimeout:
    case kBadShutdown:
    case kBadServerNotConnected:
    case kBadSecureChannelIdInvalid:
    case kBadSessionIdInvalid:
    case kBadSessionClosed:
    case kBadSessionNotActivated:
    case kBadNoCommunication:
    case kBadTcpSecureChannelUnknown: return Status::Unavailable(std::move(message));
    default: return Status::FailedPrecondition(std::move(message));
  }
}

}  // namespace zhizao::connect::opcua
