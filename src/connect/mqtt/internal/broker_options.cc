#include "connect/mqtt/internal/broker_options.h"

#include <nlohmann/json.hpp>

namespace zhizao::connect::mqtt {
namespace {

using nlohmann::json;

Status Invalid(std::string_view field, std::string_view why) {
  return Status::InvalidArgument(std::string(field) + " " + std::string(why));
}

Status ReadString(const json& object, const char* key, std::string& out, std::string_view prefix = "") {
  auto it = object.find(key);
  if (it == object.end()) return Status::Ok();
  if (!it->is_string()) return Invalid(std::string(prefix) + key, "must be a string");
  out = it->get<std::string>();
  return Status::Ok();
}

Status ReadBool(const json& object, const char* key, bool& out, std::string_view prefix = "") {
  auto it = object.find(key);
  if (it == object.end()) return Status::Ok();
  if (!it->is_boolean()) return Invalid(std::string(prefix) + key, "must be true or false");
  out = it->get<bool>();
  return Status::Ok();
}

// An integer field within [lo, hi].
Status ReadInt(const json& object, const char* key, int64_t lo, int64_t hi, int64_t& out) {
  auto it = object.find(key);
  if (it == object.end()) return Status::Ok();
  if (!it->is_number_integer() || it->get<int64_t>() < lo || it->get<int64_t>() > hi) {
    return Invalid(key, "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
  }
  out = it->get<int64_t>();
  return Status::Ok();
}

Result<TlsOptions> ParseTls(const json& tls) {
  if (!tls.is_object()) return Invalid("tls", "must be an object");
  TlsOptions options;
  ZZ_RETURN_IF_ERROR(ReadString(tls, "ca_file", options.ca_file, "tls."));
  ZZ_RETURN_IF_ERROR(ReadString(tls, "cert_file", options.cert_file, "tls."));
  ZZ_RETURN_IF_ERROR(ReadString(tls, "key_file", options.key_file, "tls."));
  ZZ_RETURN_IF_ERROR(ReadBool(tls, "insecure_skip_verify", options.insecure_skip_verify, "tls."));
  if (options.cert_file.empty() != options.key_file.empty()) {
    return Invalid("tls.cert_file", "and tls.key_file go together");
  }
  return options;
}

// Paho's own schemes: tcp:// and ssl://; mqtt:// and mqtts:// are read as their aliases.
Result<std::string> NormalizedUri(std::string uri, bool tls) {
  if (uri.rfind("mqtt://", 0) == 0) uri = "tcp://" + uri.substr(7);
  if (uri.rfind("mqtts://", 0) == 0) uri = "ssl://" + uri.substr(8);
  bool is_ssl = uri.rfind("ssl://", 0) == 0;
  if (!is_ssl && uri.rfind("tcp://", 0) != 0) return Invalid("broker", "must start with tcp://, ssl://, mqtt:// or mqtts://");
  if (uri.find(':', 6) == std::string::npos) return Invalid("broker", "'" + uri + "' needs a port, e.g. tcp://127.0.0.1:1883");
  if (tls && !is_ssl) return Invalid("broker", "must be ssl:// (or mqtts://) when tls is given");
  return uri;
}

}  // namespace

Result<BrokerOptions> ParseBrokerOptions(const json& definition, std::string default_client_id) {
  BrokerOptions options;
  auto broker = definition.find("broker");
  if (broker == definition.end() || !broker->is_string()) return Invalid("broker", "is required: \"tcp://host:port\"");
  if (auto tls = definition.find("tls"); tls != definition.end()) {
    ZZ_ASSIGN_OR_RETURN(options.tls, ParseTls(*tls));
  }
  ZZ_ASSIGN_OR_RETURN(options.uri, NormalizedUri(broker->get<std::string>(), options.tls.has_value()));
  // An ssl:// broker without "tls" is verified like one with an empty "tls": the system's CAs and
  // the broker's name (Paho's defaults would skip the name).
  if (!options.tls && options.uri.rfind("ssl://", 0) == 0) options.tls = TlsOptions{};
  options.client_id = std::move(default_client_id);
  ZZ_RETURN_IF_ERROR(ReadString(definition, "client_id", options.client_id));
  if (options.client_id.empty() || options.client_id.size() > 128) return Invalid("client_id", "must have 1 to 128 characters");
  int64_t version = options.version, qos = options.qos, keep_alive = options.keep_alive.count();
  ZZ_RETURN_IF_ERROR(ReadInt(definition, "version", 4, 5, version));
  ZZ_RETURN_IF_ERROR(ReadInt(definition, "qos", 0, 1, qos));
  ZZ_RETURN_IF_ERROR(ReadInt(definition, "keep_alive_s", 1, 3600, keep_alive));
  options.version = static_cast<int>(version);
  options.qos = static_cast<int>(qos);
  options.keep_alive = std::chrono::seconds(keep_alive);
  ZZ_RETURN_IF_ERROR(ReadBool(definition, "clean_session", options.clean_session));
  ZZ_RETURN_IF_ERROR(ReadString(definition, "username", options.username));
  ZZ_RETURN_IF_ERROR(ReadString(definition, "password", options.password));
  int64_t queue_messages = static_cast<int64_t>(options.queue_messages);
  int64_t max_message_bytes = static_cast<int64_t>(options.max_message_bytes);
  ZZ_RETURN_IF_ERROR(ReadInt(definition, "queue_messages", 1, 1'000'000, queue_messages));
  ZZ_RETURN_IF_ERROR(ReadInt(definition, "max_message_bytes", 1024, 256 << 20, max_message_bytes));
  options.queue_messages = static_cast<size_t>(queue_messages);
  options.max_message_bytes = static_cast<size_t>(max_message_bytes);
  options.queue_bytes = std::max(options.queue_bytes, 2 * options.max_message_bytes);
  return options;
}

}  // namespace zhizao::connect::mqtt
