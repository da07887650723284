// The libFuzzer entry points of the MQTT connectors' decoders, shared by the fuzz binaries
// and the in-build replay test.
#pragma once

#include <cstddef>
#include <cstdint>

namespace zhizao::connect::mqtt {

// Sparkplug B: the whole input as one payload, then as a stream of messages for one host
// (records of [topic selector][length][payload]): decode, BIRTH/DATA/DEATH state, mapping.
void FuzzSparkplug(const uint8_t* data, size_t size);

// JSON subscriptions: the first line as a topic (and as a filter and a JSON path), the rest
// as the payload, through several subscriptions.
void FuzzMqttJson(const uint8_t* data, size_t size);

}  // namespace zhizao::connect::mqtt
