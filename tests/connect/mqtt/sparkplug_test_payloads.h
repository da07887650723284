// Builds Sparkplug B payloads for tests, with our own schema's generated code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "connect/mqtt/sparkplug_b.pb.h"

namespace zhizao::connect::mqtt {

class PayloadBuilder {
 public:
  explicit PayloadBuilder(std::optional<uint64_t> seq, uint64_t timestamp_ms = 1'700'000'000'000) {
    payload_.set_timestamp(timestamp_ms);
    if (seq) payload_.set_seq(*seq);
  }
  using Metric = zhizao::sparkplug::Payload::Metric;

  // A metric; name and alias are optional (pass "" / 0 to leave out).
  Metric& Add(const std::string& name, uint64_t alias, uint32_t datatype) {
    Metric* m = payload_.add_metrics();
    if (!name.empty()) m->set_name(name);
    if (alias != 0) m->set_alias(alias);
    if (datatype != 0) m->set_datatype(datatype);
    return *m;
  }
  PayloadBuilder& Double(const std::string& name, uint64_t alias, double v, uint32_t type = 10) {
    Add(name, alias, type).set_double_value(v);
    return *this;
  }
  PayloadBuilder& Int(const std::string& name, uint64_t alias, uint32_t bits, uint32_t type = 3) {
    Add(name, alias, type).set_int_value(bits);
    return *this;
  }
  PayloadBuilder& Long(const std::string& name, uint64_t alias, uint64_t v, uint32_t type = 8) {
    Add(name, alias, type).set_long_value(v);
    return *this;
  }
  PayloadBuilder& Bool(const std::string& name, uint64_t alias, bool v) {
    Add(name, alias, 11).set_boolean_value(v);
    return *this;
  }
  PayloadBuilder& Text(const std::string& name, uint64_t alias, const std::string& v) {
    Add(name, alias, 12).set_string_value(v);
    return *this;
  }
  PayloadBuilder& Null(const std::string& name, uint64_t alias) {
    Add(name, alias, 0).set_is_null(true);
    return *this;
  }
  std::string Bytes() const { return payload_.SerializeAsString(); }

 private:
  zhizao::sparkplug::Payload payload_;
};

}  // namespace zhizao::connect::mqtt
