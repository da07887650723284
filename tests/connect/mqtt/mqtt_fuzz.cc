// libFuzzer entry points: sparkplug_fuzz and mqtt_json_fuzz (clang builds only), each compiled
// with ZZ_FUZZ_SPARKPLUG or ZZ_FUZZ_MQTT_JSON.
#include "mqtt_fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
#if defined(ZZ_FUZZ_SPARKPLUG)
  zhizao::connect::mqtt::FuzzSparkplug(data, size);
#else
  zhizao::connect::mqtt::FuzzMqttJson(data, size);
#endif
  return 0;
}
