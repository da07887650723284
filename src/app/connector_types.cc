#include "app/connector_types.h"

#include "connect/modbus/modbus_connector.h"

namespace zhizao::app {

void RegisterConnectorTypes(connect::ConnectorManager& connectors) {
  connectors.RegisterType("modbus", connect::modbus::MakeModbusConnector);
}

}  // namespace zhizao::app
