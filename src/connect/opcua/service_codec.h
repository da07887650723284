// Wraps a service request into the body of a secure channel message (encoding id, request
// header, request) and unwraps a response (encoding id, response header, response), turning a
// ServiceFault or a bad service result into an error Status.
#pragma once

#include <string>
#include <string_view>

#include "connect/opcua/services.h"
#include "connect/opcua/status_codes.h"

namespace zhizao::connect::opcua {

template <typename Request>
std::string EncodeServiceRequest(const Request& request, const RequestHeader& header) {
  BinaryWriter w;
  EncodeNodeId(w, NodeId::Numeric(0, Request::kEncodingId));
  EncodeRequestHeader(w, header);
  request.Encode(w);
  return w.Take();
}

// The service result of a response or fault, read from its header; `body` as received.
struct ServiceOutcome {
  uint32_t encoding_id = 0;
  uint32_t service_result = 0;
};

// Decodes `body` as a `Response`. Corruption for bytes that do not decode or a response of
// another type; StatusFromUa for a ServiceFault or a bad service result, whose code is also
// left in `outcome`.
template <typename Response>
Result<Response> DecodeServiceResponse(std::string_view body, const DecodeLimits& limits, ServiceOutcome& outcome) {
  BinaryReader r({reinterpret_cast<const uint8_t*>(body.data()), body.size()}, limits);
  NodeId type = DecodeNodeId(r);
  ResponseHeader header = DecodeResponseHeader(r);
  ZZ_RETURN_IF_ERROR(r.status());
  outcome.encoding_id = type.ns == 0 && type.kind == NodeId::Kind::kNumeric ? type.numeric : 0;
  outcome.service_result = header.service_result;
  if (outcome.encoding_id == encoding_id::kServiceFault || ua_status::IsBad(header.service_result)) {
    return StatusFromUa(header.service_result, "service fault");
  }
  if (outcome.encoding_id != Response::kEncodingId) {
    return Status::Corruption("expected response type " + std::to_string(Response::kEncodingId) + ", got " +
                              type.ToString());
  }
  Response response;
  response.Decode(r);
  ZZ_RETURN_IF_ERROR(r.status());
  return response;
}

}  // namespace zhizao::connect::opcua
