// The connector types this build knows, registered with a ConnectorManager.
#pragma once

#include "connect/connector_manager.h"

namespace zhizao::app {

void RegisterConnectorTypes(connect::ConnectorManager& connectors);

}  // namespace zhizao::app
