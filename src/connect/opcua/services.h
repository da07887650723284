// The OPC UA service messages zhizao's client sends and receives (Part 4, chapter 5; encodings
// from Part 6, 5.2.6 and the binary encoding ids of NodeIds.csv).
//
// A request knows its binary encoding id and encodes its body (after the RequestHeader); a
// response decodes its body (after the ResponseHeader) from a BinaryReader, leaving any error
// in the reader. Plain values; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "connect/opcua/codec.h"
#include "connect/opcua/types.h"

namespace zhizao::connect::opcua {

namespace encoding_id {
inline constexpr uint32_t kServiceFault = 397;
inline constexpr uint32_t kAnonymousIdentityToken = 321;
inline constexpr uint32_t kUserNameIdentityToken = 324;
inline constexpr uint32_t kDataChangeNotification = 811;
inline constexpr uint32_t kStatusChangeNotification = 820;
}  // namespace encoding_id

namespace attribute_id {
inline constexpr uint32_t kNodeClass = 2;
inline constexpr uint32_t kBrowseName = 3;
inline constexpr uint32_t kValue = 13;
inline constexpr uint32_t kDataType = 14;
inline constexpr uint32_t kAccessLevel = 17;
}  // namespace attribute_id

struct RequestHeader {
  NodeId authentication_token;
  int64_t timestamp = 0;  // DateTime
  uint32_t request_handle = 0;
  uint32_t timeout_hint_ms = 0;
};
void EncodeRequestHeader(BinaryWriter& w, const RequestHeader& header);

struct ResponseHeader {
  int64_t timestamp = 0;
  uint32_t request_handle = 0;
  uint32_t service_result = 0;
};
ResponseHeader DecodeResponseHeader(BinaryReader& r);

// --- Secure channel and session (Part 4, 5.5 and 5.6) ---

struct OpenSecureChannelRequest {
  static constexpr uint32_t kEncodingId = 446;
  bool renew = false;
  uint32_t security_mode = 1;  // SecurityMode: 1 None, 2 Sign, 3 SignAndEncrypt
  std::string client_nonce;
  uint32_t requested_lifetime_ms = 0;
  void Encode(BinaryWriter& w) const;
};
struct OpenSecureChannelResponse {
  static constexpr uint32_t kEncodingId = 449;
  uint32_t channel_id = 0;
  uint32_t token_id = 0;
  uint32_t revised_lifetime_ms = 0;
  std::string server_nonce;
  void Decode(BinaryReader& r);
};

struct CloseSecureChannelRequest {
  static constexpr uint32_t kEncodingId = 452;
  void Encode(BinaryWriter&) const {}
};

struct UserTokenPolicy {
  std::string policy_id;
  uint32_t token_type = 0;  // 0 anonymous, 1 user name, 2 certificate, 3 issued token
  std::string security_policy_uri;
};

struct EndpointDescription {
  std::string endpoint_url;
  std::string server_certificate;  // DER, possibly a chain
  uint32_t security_mode = 0;  // 1 None, 2 Sign, 3 SignAndEncrypt
  std::string security_policy_uri;
  std::vector<UserTokenPolicy> user_identity_tokens;
};

// GetEndpoints (Part 4, 5.4.4): asked on a None channel for the server's certificate.
struct GetEndpointsRequest {
  static constexpr uint32_t kEncodingId = 428;
  std::string endpoint_url;
  void Encode(BinaryWriter& w) const;
};
struct GetEndpointsResponse {
  static constexpr uint32_t kEncodingId = 431;
  std::vector<EndpointDescription> endpoints;
  void Decode(BinaryReader& r);
};

// SignatureData (Part 4, 7.37): an algorithm URI and the signature; both empty under None.
struct SignatureData {
  std::string algorithm;
  std::string signature;
};

struct CreateSessionRequest {
  static constexpr uint32_t kEncodingId = 461;
  std::string application_uri;
  std::string application_name;
  std::string endpoint_url;
  std::string session_name;
  std::string client_nonce;
  std::string client_certificate;  // DER; empty under None
  double requested_session_timeout_ms = 0;
  uint32_t max_response_message_size = 0;
  void Encode(BinaryWriter& w) const;
};
struct CreateSessionResponse {
  static constexpr uint32_t kEncodingId = 464;
  NodeId session_id;
  NodeId authentication_token;
  double revised_session_timeout_ms = 0;
  std::string server_nonce;
  std::string server_certificate;
  std::vector<EndpointDescription> endpoints;
  SignatureData server_signature;  // over client certificate + client nonce
  uint32_t max_request_message_size = 0;
  void Decode(BinaryReader& r);
};

struct ActivateSessionRequest {
  static constexpr uint32_t kEncodingId = 467;
  SignatureData client_signature;  // over server certificate + the last server nonce
  std::string policy_id;
  std::string user_name;  // empty: anonymous
  std::string password;   // in clear, or encrypted as `encryption_algorithm` says
  std::string encryption_algorithm;  // empty: the password is in clear
  void Encode(BinaryWriter& w) const;
};
struct ActivateSessionResponse {
  static constexpr uint32_t kEncodingId = 470;
  std::string server_nonce;
  void Decode(BinaryReader& r);
};

struct CloseSessionRequest {
  static constexpr uint32_t kEncodingId = 473;
  bool delete_subscriptions = true;
  void Encode(BinaryWriter& w) const { w.Bool(delete_subscriptions); }
};
struct CloseSessionResponse {
  static constexpr uint32_t kEncodingId = 476;
  void Decode(BinaryReader&) {}
};

// --- View (Part 4, 5.8) ---

struct ReferenceDescription {
  NodeId reference_type;
  bool is_forward = true;
  ExpandedNodeId node_id;
  QualifiedName browse_name;
  LocalizedText display_name;
  uint32_t node_class = 0;  // 1 object, 2 variable, 4 method, 8 object type, ...
};

struct BrowseResult {
  uint32_t status = 0;
  std::string continuation_point;
  std::vector<ReferenceDescription> references;
};

struct BrowseRequest {
  static constexpr uint32_t kEncodingId = 527;
  std::vector<NodeId> nodes;  // browsed forward along hierarchical references, all node classes
  uint32_t max_references_per_node = 0;
  void Encode(BinaryWriter& w) const;
};
struct BrowseResponse {
  static constexpr uint32_t kEncodingId = 530;
  std::vector<BrowseResult> results;
  void Decode(BinaryReader& r);
};

struct BrowseNextRequest {
  static constexpr uint32_t kEncodingId = 533;
  bool release = false;
  std::vector<std::string> continuation_points;
  void Encode(BinaryWriter& w) const;
};
struct BrowseNextResponse {
  static constexpr uint32_t kEncodingId = 536;
  std::vector<BrowseResult> results;
  void Decode(BinaryReader& r);
};

// --- Attribute (Part 4, 5.10) ---

struct ReadValueId {
  NodeId node;
  uint32_t attribute = attribute_id::kValue;
};
void EncodeReadValueId(BinaryWriter& w, const ReadValueId& id);

// TimestampsToReturn
inline constexpr uint32_t kTimestampsBoth = 2;

struct ReadRequest {
  static constexpr uint32_t kEncodingId = 631;
  std::vector<ReadValueId> nodes;
  void Encode(BinaryWriter& w) const;
};
struct ReadResponse {
  static constexpr uint32_t kEncodingId = 634;
  std::vector<DataValue> results;
  void Decode(BinaryReader& r);
};

struct WriteNodeValue {
  NodeId node;
  DataValue value;
};
struct WriteRequest {
  static constexpr uint32_t kEncodingId = 673;
  std::vector<WriteNodeValue> nodes;
  void Encode(BinaryWriter& w) const;
};
struct WriteResponse {
  static constexpr uint32_t kEncodingId = 676;
  std::vector<uint32_t> results;
  void Decode(BinaryReader& r);
};

// --- Subscription and monitored items (Part 4, 5.12 and 5.13) ---

struct CreateSubscriptionRequest {
  static constexpr uint32_t kEncodingId = 787;
  double publishing_interval_ms = 100;
  uint32_t lifetime_count = 0;
  uint32_t max_keep_alive_count = 0;
  uint32_t max_notifications_per_publish = 0;
  void Encode(BinaryWriter& w) const;
};
struct CreateSubscriptionResponse {
  static constexpr uint32_t kEncodingId = 790;
  uint32_t subscription_id = 0;
  double revised_publishing_interval_ms = 0;
  uint32_t revised_lifetime_count = 0;
  uint32_t revised_max_keep_alive_count = 0;
  void Decode(BinaryReader& r);
};

struct MonitoredItemRequest {
  NodeId node;
  uint32_t client_handle = 0;
  double sampling_interval_ms = 0;
  uint32_t queue_size = 1;
};
struct CreateMonitoredItemsRequest {
  static constexpr uint32_t kEncodingId = 751;
  uint32_t subscription_id = 0;
  std::vector<MonitoredItemRequest> items;
  void Encode(BinaryWriter& w) const;
};
struct MonitoredItemResult {
  uint32_t status = 0;
  uint32_t monitored_item_id = 0;
  double revised_sampling_interval_ms = 0;
};
struct CreateMonitoredItemsResponse {
  static constexpr uint32_t kEncodingId = 754;
  std::vector<MonitoredItemResult> results;
  void Decode(BinaryReader& r);
};

struct SubscriptionAcknowledgement {
  uint32_t subscription_id = 0;
  uint32_t sequence_number = 0;
};
struct PublishRequest {
  static constexpr uint32_t kEncodingId = 826;
  std::vector<SubscriptionAcknowledgement> acknowledgements;
  void Encode(BinaryWriter& w) const;
};

struct MonitoredItemNotification {
  uint32_t client_handle = 0;
  DataValue value;
};
struct NotificationMessage {
  uint32_t sequence_number = 0;
  int64_t publish_time = 0;
  std::vector<MonitoredItemNotification> data_changes;  // from every DataChangeNotification
  std::vector<uint32_t> status_changes;                 // from StatusChangeNotifications
  bool keep_alive() const { return data_changes.empty() && status_changes.empty(); }
};
NotificationMessage DecodeNotificationMessage(BinaryReader& r);

struct PublishResponse {
  static constexpr uint32_t kEncodingId = 829;
  uint32_t subscription_id = 0;
  std::vector<uint32_t> available_sequence_numbers;
  bool more_notifications = false;
  NotificationMessage message;
  std::vector<uint32_t> results;  // of the acknowledgements
  void Decode(BinaryReader& r);
};

struct RepublishRequest {
  static constexpr uint32_t kEncodingId = 832;
  uint32_t subscription_id = 0;
  uint32_t sequence_number = 0;
  void Encode(BinaryWriter& w) const;
};
struct RepublishResponse {
  static constexpr uint32_t kEncodingId = 835;
  NotificationMessage message;
  void Decode(BinaryReader& r) { message = DecodeNotificationMessage(r); }
};

struct DeleteSubscriptionsRequest {
  static constexpr uint32_t kEncodingId = 847;
  std::vector<uint32_t> subscription_ids;
  void Encode(BinaryWriter& w) const { EncodeU32Array(w, subscription_ids); }
};
struct DeleteSubscriptionsResponse {
  static constexpr uint32_t kEncodingId = 850;
  std::vector<uint32_t> results;
  void Decode(BinaryReader& r);
};

}  // namespace zhizao::connect::opcua
