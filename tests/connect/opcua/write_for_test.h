// The connector's Write as the WriteGate calls it, for the tests of the connector alone: the gate's
// own checks are tested in tests/api, and the whole path through POST /api/v1/writes in
// tests/integration/connectors_test.py. Writes are reachable only through the gate otherwise.
#pragma once

#include <string_view>

#include "connect/opcua/opcua_connector.h"

namespace zhizao::connect::opcua {

struct OpcUaWriteForTest {
  static Status Write(OpcUaConnector& connector, std::string_view tag_path, const WriteValue& value) {
    return connector.Write(tag_path, value);
  }
};

}  // namespace zhizao::connect::opcua
