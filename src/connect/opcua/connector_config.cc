#include "connect/opcua/connector_config.h"

#include <nlohmann/json.hpp>

#include <set>

namespace zhizao::connect::opcua {
namespace {

using nlohmann::json;

constexpr size_t kMaxTags = 100'000;

Status Invalid(const std::string& field, const std::string& why) {
  return Status::InvalidArgument("opcua connector: field '" + field + "' " + why);
}

template <typename T>
Status ReadNumber(const json& object, const std::string& key, T& out, T lo, T hi, const std::string& field) {
  auto it = object.find(key);
  if (it == object.end()) return Status::Ok();
  if (!it->is_number()) return Invalid(field, "must be a number");
  double v = it->get<double>();
  if (v < static_cast<double>(lo) || v > static_cast<double>(hi)) {
    return Invalid(field, "must lie in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
  out = static_cast<T>(v);
  return Status::Ok();
}

Status ReadMillis(const json& object, const std::string& key, std::chrono::milliseconds& out, int64_t lo, int64_t hi,
                  const std::string& field) {
  int64_t ms = out.count();
  ZZ_RETURN_IF_ERROR(ReadNumber<int64_t>(object, key, ms, lo, hi, field));
  out = std::chrono::milliseconds(ms);
  return Status::Ok();
}

Status ReadString(const json& object, const std::string& key, std::string& out, const std::string& field) {
  auto it = object.find(key);
  if (it == object.end()) return Status::Ok();
  if (!it->is_string()) return Invalid(field, "must be a string");
  out = it->get<std::string>();
  return Status::Ok();
}

Status ReadBool(const json& object, const std::string& key, bool& out, const std::string& field) {
  auto it = object.find(key);
  if (it == object.end()) return Status::Ok();
  if (!it->is_boolean()) return Invalid(field, "must be true or false");
  out = it->get<bool>();
  return Status::Ok();
}

Status ReadRange(const json& object, const std::string& key, std::optional<double>& out, const std::string& field) {
  auto it = object.find(key);
  if (it == object.end()) return Status::Ok();
  if (!it->is_number()) return Invalid(field, "must be a number");
  out = it->get<double>();
  return Status::Ok();
}

Result<OpcUaTagConfig> ParseTag(const json& item, size_t index, const OpcUaConfig& config) {
  const std::string at = "tags[" + std::to_string(index) + "].";
  if (!item.is_object()) return Invalid("tags[" + std::to_string(index) + "]", "must be an object");
  OpcUaTagConfig tag;
  tag.sampling = config.publishing;
  ZZ_RETURN_IF_ERROR(ReadString(item, "tag", tag.spec.path, at + "tag"));
  if (tag.spec.path.empty()) return Invalid(at + "tag", "is required");
  std::string node;
  ZZ_RETURN_IF_ERROR(ReadString(item, "node", node, at + "node"));
  if (node.empty()) return Invalid(at + "node", "is required");
  Result<NodeId> parsed = NodeId::Parse(node);
  if (!parsed.ok()) return Invalid(at + "node", parsed.status().message());
  tag.node = std::move(parsed).value();
  std::string type;
  ZZ_RETURN_IF_ERROR(ReadString(item, "type", type, at + "type"));
  if (!type.empty()) {
    Result<DataType> data_type = ParseDataType(type);
    if (!data_type.ok()) return Invalid(at + "type", "must be float64, int64, bool or string");
    tag.spec.type = *data_type;
    tag.explicit_type = true;
  }
  ZZ_RETURN_IF_ERROR(ReadMillis(item, "sampling_ms", tag.sampling, 0, 86'400'000, at + "sampling_ms"));
  ZZ_RETURN_IF_ERROR(ReadBool(item, "writable", tag.spec.writable, at + "writable"));
  ZZ_RETURN_IF_ERROR(ReadRange(item, "min", tag.spec.range_lo, at + "min"));
  ZZ_RETURN_IF_ERROR(ReadRange(item, "max", tag.spec.range_hi, at + "max"));
  ZZ_RETURN_IF_ERROR(ReadString(item, "unit", tag.spec.unit, at + "unit"));
  ZZ_RETURN_IF_ERROR(ReadString(item, "description", tag.spec.description, at + "description"));
  if (tag.spec.range_lo && tag.spec.range_hi && *tag.spec.range_lo > *tag.spec.range_hi) {
    return Invalid(at + "min", "must not exceed max");
  }
  tag.spec.period_ms = std::max<int64_t>(tag.sampling.count(), config.publishing.count());
  return tag;
}

Status ParseSecurity(const json& definition, SecurityOptions& security) {
  std::string policy = "None";
  ZZ_RETURN_IF_ERROR(ReadString(definition, "security", policy, "security"));
  security.policy = FindSecurityPolicy(policy);
  if (!security.policy || policy.find(':') != std::string::npos) {
    return Invalid("security", "'" + policy +
                                   "' must be \"None\", \"Basic256Sha256\", \"Aes128_Sha256_RsaOaep\" or "
                                   "\"Aes256_Sha256_RsaPss\"");
  }
  std::string mode = security.policy->is_none() ? "None" : "SignAndEncrypt";
  ZZ_RETURN_IF_ERROR(ReadString(definition, "mode", mode, "mode"));
  if (security.policy->is_none()) {
    if (mode != "None") return Invalid("mode", "must be \"None\" (or absent) with security \"None\"");
    security.mode = SecurityMode::kNone;
  } else if (mode == "Sign") {
    security.mode = SecurityMode::kSign;
  } else if (mode == "SignAndEncrypt") {
    security.mode = SecurityMode::kSignAndEncrypt;
  } else {
    return Invalid("mode", "'" + mode + "' must be \"Sign\" or \"SignAndEncrypt\"");
  }
  ZZ_RETURN_IF_ERROR(ReadString(definition, "pki_dir", security.pki_dir, "pki_dir"));
  if (!security.policy->is_none() && security.pki_dir.empty()) {
    return Invalid("pki_dir", "is required with security \"" + policy + "\" (the folder of zhizao's certificate "
                   "and of the trusted and rejected server certificates)");
  }
  std::string trust = "list";
  ZZ_RETURN_IF_ERROR(ReadString(definition, "trust_server", trust, "trust_server"));
  if (trust != "list" && trust != "any") return Invalid("trust_server", "must be \"list\" or \"any\"");
  security.trust_any_server = trust == "any";
  return Status::Ok();
}

Status ParseConnection(const json& definition, OpcUaConfig& config) {
  ClientOptions& client = config.client;
  ZZ_RETURN_IF_ERROR(ReadString(definition, "endpoint", client.endpoint_url, "endpoint"));
  if (client.endpoint_url.empty()) return Invalid("endpoint", "is required");
  Result<Endpoint> endpoint = ParseEndpointUrl(client.endpoint_url);
  if (!endpoint.ok()) return Invalid("endpoint", endpoint.status().message());
  ZZ_RETURN_IF_ERROR(ParseSecurity(definition, client.security));
  ZZ_RETURN_IF_ERROR(ReadString(definition, "user", client.user_name, "user"));
  ZZ_RETURN_IF_ERROR(ReadString(definition, "username", client.user_name, "username"));
  ZZ_RETURN_IF_ERROR(ReadString(definition, "password", client.password, "password"));
  ZZ_RETURN_IF_ERROR(ReadMillis(definition, "request_timeout_ms", client.request_timeout, 100, 600'000,
                                "request_timeout_ms"));
  client.channel.transport.chunk_timeout = client.request_timeout;
  ZZ_RETURN_IF_ERROR(ReadMillis(definition, "session_timeout_ms", client.session_timeout, 1000, 3'600'000,
                                "session_timeout_ms"));
  ZZ_RETURN_IF_ERROR(ReadMillis(definition, "token_lifetime_ms", client.channel.token_lifetime, 1000,
                                3'600'000, "token_lifetime_ms"));
  TransportLimits& limits = client.channel.transport;
  ZZ_RETURN_IF_ERROR(ReadNumber<uint32_t>(definition, "receive_buffer_bytes", limits.receive_buffer_bytes, 8192,
                                          1u << 24, "receive_buffer_bytes"));
  ZZ_RETURN_IF_ERROR(ReadNumber<uint32_t>(definition, "max_message_bytes", limits.max_message_bytes, 8192, 1u << 30,
                                          "max_message_bytes"));
  ZZ_RETURN_IF_ERROR(ReadNumber<uint32_t>(definition, "max_chunk_count", limits.max_chunk_count, 1, 1u << 20,
                                          "max_chunk_count"));
  client.channel.decode.max_string_bytes = limits.max_message_bytes;
  return Status::Ok();
}

Status ParseSubscription(const json& definition, OpcUaConfig& config) {
  ZZ_RETURN_IF_ERROR(ReadMillis(definition, "publishing_ms", config.publishing, 10, 3'600'000, "publishing_ms"));
  ZZ_RETURN_IF_ERROR(ReadNumber<uint32_t>(definition, "keep_alive_count", config.keep_alive_count, 1, 10'000,
                                          "keep_alive_count"));
  ZZ_RETURN_IF_ERROR(ReadNumber<uint32_t>(definition, "publish_requests", config.publish_requests, 1, 32,
                                          "publish_requests"));
  ZZ_RETURN_IF_ERROR(ReadNumber<uint32_t>(definition, "max_notifications_per_publish",
                                          config.max_notifications_per_publish, 0, 1u << 24,
                                          "max_notifications_per_publish"));
  ZZ_RETURN_IF_ERROR(ReadNumber<size_t>(definition, "items_per_request", config.items_per_request, 1, 100'000,
                                        "items_per_request"));
  ZZ_RETURN_IF_ERROR(ReadMillis(definition, "reconnect_min_ms", config.reconnect_min, 10, 600'000,
                                "reconnect_min_ms"));
  ZZ_RETURN_IF_ERROR(ReadMillis(definition, "reconnect_max_ms", config.reconnect_max, 10, 3'600'000,
                                "reconnect_max_ms"));
  if (config.reconnect_max < config.reconnect_min) return Invalid("reconnect_max_ms", "must be >= reconnect_min_ms");
  return Status::Ok();
}

}  // namespace

Result<OpcUaConfig> ParseOpcUaConfig(const json& definition) {
  if (!definition.is_object()) return Status::InvalidArgument("opcua connector: the definition must be an object");
  OpcUaConfig config;
  ZZ_RETURN_IF_ERROR(ReadString(definition, "name", config.name, "name"));
  if (config.name.empty()) return Invalid("name", "is required");
  config.client.application_name = "zhizao-" + config.name;
  ZZ_RETURN_IF_ERROR(ParseConnection(definition, config));
  ZZ_RETURN_IF_ERROR(ParseSubscription(definition, config));
  auto tags = definition.find("tags");
  if (tags == definition.end() || !tags->is_array()) return Invalid("tags", "must be an array");
  if (tags->size() > kMaxTags) return Invalid("tags", "holds more than " + std::to_string(kMaxTags) + " tags");
  std::set<std::string> paths;
  for (size_t i = 0; i < tags->size(); ++i) {
    ZZ_ASSIGN_OR_RETURN(OpcUaTagConfig tag, ParseTag((*tags)[i], i, config));
    if (!paths.insert(tag.spec.path).second) {
      return Invalid("tags[" + std::to_string(i) + "].tag", "repeats '" + tag.spec.path + "'");
    }
    config.tags.push_back(std::move(tag));
  }
  return config;
}

}  // namespace zhizao::connect::opcua
