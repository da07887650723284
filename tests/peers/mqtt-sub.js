// MQTT listener test peer (npm mqtt): subscribes to $MQTT_TOPIC (default "#") on $MQTT_URL
// (default mqtt://127.0.0.1:1883) and prints each message as one JSON line
// {"topic", "payload", "retain"}; "READY" once subscribed.
"use strict";
const mqtt = require("mqtt");
const client = mqtt.connect(process.env.MQTT_URL || "mqtt://127.0.0.1:1883", { clientId: "zhizao-test-listener" });
client.on("connect", () => {
  client.subscribe(process.env.MQTT_TOPIC || "#", { qos: 1 }, (err) => {
    if (err) {
      console.error(`cannot subscribe: ${err.message}`);
      process.exit(1);
    }
    console.log("READY");
  });
});
client.on("message", (topic, payload, packet) => {
  console.log(JSON.stringify({ topic, payload: payload.toString(), retain: packet.retain }));
});
