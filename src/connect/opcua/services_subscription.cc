// Subscriptions, monitored items, Publish and Republish.
#include "connect/opcua/services.h"

namespace zhizao::connect::opcua {
namespace {

constexpr uint32_t kMonitoringModeReporting = 2;

MonitoredItemNotification DecodeItemNotification(BinaryReader& r) {
  MonitoredItemNotification n;
  n.client_handle = r.U32();
  n.value = DecodeDataValue(r);
  return n;
}

// Decodes one element of NotificationData in place (no copy of its body), keeping data and
// status changes and reading past event lists. The body's declared length must match.
void DecodeNotificationData(BinaryReader& r, NotificationMessage& message) {
  NodeId type = DecodeNodeId(r);
  uint8_t encoding = r.U8();
  if (encoding == 0) return;
  int32_t length = r.I32();
  if (!r.ok()) return;
  if (encoding != 1 || length < 0) return r.Fail("notification data is not a binary ExtensionObject");
  const size_t start = r.offset();
  const bool ours = type.ns == 0 && type.kind == NodeId::Kind::kNumeric;
  if (ours && type.numeric == encoding_id::kDataChangeNotification) {
    auto items = DecodeArray<MonitoredItemNotification>(r, 5, DecodeItemNotification);
    SkipDiagnosticInfoArray(r);
    message.data_changes.insert(message.data_changes.end(), std::make_move_iterator(items.begin()),
                                std::make_move_iterator(items.end()));
  } else if (ours && type.numeric == encoding_id::kStatusChangeNotification) {
    message.status_changes.push_back(r.U32());
    SkipDiagnosticInfo(r);
  } else {
    r.Take(static_cast<uint32_t>(length));
  }
  if (r.ok() && r.offset() - start != static_cast<uint32_t>(length)) {
    r.Fail("notification body length " + std::to_string(length) + " does not match its content");
  }
}

}  // namespace

NotificationMessage DecodeNotificationMessage(BinaryReader& r) {
  NotificationMessage message;
  message.sequence_number = r.U32();
  message.publish_time = r.I64();
  uint32_t n = r.ArrayLength(3, 0);
  for (uint32_t i = 0; i < n && r.ok(); ++i) DecodeNotificationData(r, message);
  return message;
}

void CreateSubscriptionRequest::Encode(BinaryWriter& w) const {
  w.F64(publishing_interval_ms);
  w.U32(lifetime_count);
  w.U32(max_keep_alive_count);
  w.U32(max_notifications_per_publish);
  w.Bool(true);  // publishing enabled
  w.U8(0);       // priority
}

void CreateSubscriptionResponse::Decode(BinaryReader& r) {
  subscription_id = r.U32();
  revised_publishing_interval_ms = r.F64();
  revised_lifetime_count = r.U32();
  revised_max_keep_alive_count = r.U32();
}

void CreateMonitoredItemsRequest::Encode(BinaryWriter& w) const {
  w.U32(subscription_id);
  w.U32(kTimestampsBoth);
  EncodeArray(w, items, [](BinaryWriter& out, const MonitoredItemRequest& item) {
    EncodeReadValueId(out, {item.node, attribute_id::kValue});
    out.U32(kMonitoringModeReporting);
    out.U32(item.client_handle);
    out.F64(item.sampling_interval_ms);
    EncodeNullExtensionObject(out);  // no filter: the server's default data change filter
    out.U32(item.queue_size);
    out.Bool(true);  // discard oldest
  });
}

void CreateMonitoredItemsResponse::Decode(BinaryReader& r) {
  results = DecodeArray<MonitoredItemResult>(r, 23, [](BinaryReader& in) {
    MonitoredItemResult result;
    result.status = in.U32();
    result.monitored_item_id = in.U32();
    result.revised_sampling_interval_ms = in.F64();
    in.U32();  // revised queue size
    DecodeExtensionObject(in);
    return result;
  });
  SkipDiagnosticInfoArray(r);
}

void PublishRequest::Encode(BinaryWriter& w) const {
  EncodeArray(w, acknowledgements, [](BinaryWriter& out, const SubscriptionAcknowledgement& ack) {
    out.U32(ack.subscription_id);
    out.U32(ack.sequence_number);
  });
}

void PublishResponse::Decode(BinaryReader& r) {
  subscription_id = r.U32();
  available_sequence_numbers = DecodeU32Array(r);
  more_notifications = r.Bool();
  message = DecodeNotificationMessage(r);
  results = DecodeU32Array(r);
  SkipDiagnosticInfoArray(r);
}

void RepublishRequest::Encode(BinaryWriter& w) const {
  w.U32(subscription_id);
  w.U32(sequence_number);
}

void DeleteSubscriptionsResponse::Decode(BinaryReader& r) {
  results = DecodeU32Array(r);
  SkipDiagnosticInfoArray(r);
}

}  // namespace zhizao::connect::opcua
