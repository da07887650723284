// The MQTT connectors (docs/connectors/mqtt.md):
//   "mqtt":      JSON payloads of plain MQTT topics, mapped to tags by topic pattern and JSON path;
//                and, with "events", the plant's events published as they change;
//   "sparkplug": a Sparkplug B 3.0 host application (BIRTH/DATA/DEATH, aliases, bdSeq and seq,
//                Rebirth requests, STATE), whose tags come from the edge nodes' BIRTH metrics.
// Both use Paho's async client on their own thread, reconnect with backoff by themselves, and
// hand samples to their TagSink in batches.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <memory>

#include "common/status.h"
#include "connect/connector.h"
#include "connect/tag_sink.h"

namespace zhizao::stream {
class Hub;
}

namespace zhizao::connect::mqtt {

// Builds an "mqtt" connector without connecting. InvalidArgument naming the field for a bad
// definition. `events`: the live hub whose event notices a definition with "events" publishes;
// null refuses such a definition. REQUIRES: sink and events outlive the connector.
Result<std::unique_ptr<Connector>> MakeMqttConnector(const nlohmann::json& definition, TagSink& sink,
                                                     stream::Hub* events = nullptr);

// Builds a "sparkplug" connector without connecting. InvalidArgument naming the field for a
// bad definition. REQUIRES: sink outlives the connector.
Result<std::unique_ptr<Connector>> MakeSparkplugConnector(const nlohmann::json& definition, TagSink& sink);

}  // namespace zhizao::connect::mqtt
