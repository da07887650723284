// The connector types this build knows, registered with a ConnectorManager.
#pragma once

#include <string>

#include "connect/connector_manager.h"
#include "stream/hub.h"

namespace zhizao::app {

// `data_dir` holds what connectors keep of their own: an OPC UA connector without a pki_dir
// gets DATA_DIR/pki/opcua (its application certificate and trust list). `events`: the live hub
// whose event notices an "mqtt" connector with "events" publishes. REQUIRES: events outlives
// the connectors.
void RegisterConnectorTypes(connect::ConnectorManager& connectors, const std::string& data_dir, stream::Hub& events);

}  // namespace zhizao::app
