#include "app/connector_types.h"

namespace zhizao::app {

void RegisterConnectorTypes(connect::ConnectorManager& connectors) {
  // Each protocol module adds its factory here as it lands (modbus, opcua, mqtt, sparkplug).
  (void)connectors;
}

}  // namespace zhizao::app
