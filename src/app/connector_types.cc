#include "app/connector_types.h"

#include "connect/modbus/modbus_connector.h"
#include "connect/mqtt/mqtt_connectors.h"
#include "connect/opcua/opcua_connector.h"

namespace zhizao::app {

void RegisterConnectorTypes(connect::ConnectorManager& connectors) {
  connectors.RegisterType("modbus", connect::modbus::MakeModbusConnector);
  connectors.RegisterType("mqtt", connect::mqtt::MakeMqttConnector);
  connectors.RegisterType("opcua", connect::opcua::MakeOpcUaConnector);
  connectors.RegisterType("sparkplug", connect::mqtt::MakeSparkplugConnector);
}

}  // namespace zhizao::app
