// The connector types this build knows, registered with a ConnectorManager.
#pragma once

#include <string>

#include "connect/connector_manager.h"

namespace zhizao::app {

// `data_dir` holds what connectors keep of their own: an OPC UA connector without a pki_dir
// gets DATA_DIR/pki/opcua (its application certificate and trust list).
void RegisterConnectorTypes(connect::ConnectorManager& connectors, const std::string& data_dir);

}  // namespace zhizao::app
