#include "app/connector_types.h"

#include <filesystem>

#include "connect/modbus/modbus_connector.h"
#include "connect/mqtt/mqtt_connectors.h"
#include "connect/opcua/opcua_connector.h"

namespace zhizao::app {

void RegisterConnectorTypes(connect::ConnectorManager& connectors, const std::string& data_dir, stream::Hub& events) {
  connectors.RegisterType("modbus", connect::modbus::MakeModbusConnector);
  connectors.RegisterType("mqtt", [&events](const nlohmann::json& definition, connect::TagSink& sink) {
    return connect::mqtt::MakeMqttConnector(definition, sink, &events);
  });
  std::string pki_dir = (std::filesystem::path(data_dir) / "pki" / "opcua").string();
  connectors.RegisterType("opcua", [pki_dir](const nlohmann::json& definition, connect::TagSink& sink) {
    if (!definition.is_object() || definition.contains("pki_dir")) return connect::opcua::MakeOpcUaConnector(definition, sink);
    nlohmann::json with_pki = definition;
    with_pki["pki_dir"] = pki_dir;
    return connect::opcua::MakeOpcUaConnector(with_pki, sink);
  });
  connectors.RegisterType("sparkplug", connect::mqtt::MakeSparkplugConnector);
}

}  // namespace zhizao::app
