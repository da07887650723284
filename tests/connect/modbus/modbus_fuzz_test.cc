// Runs the fuzzer's body on random and mutated inputs so that every compiler's CI covers it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fuzz_replay.h"
#include "modbus_fuzz_target.h"

namespace zhizao::connect::modbus {
namespace {

// The first byte picks the decoder by its remainder modulo 3: 0 register words, 1 a definition,
// 2 a reply frame.
std::vector<std::string> Seeds() {
  return {
      std::string("\x01") + R"({"name":"p","endpoint":"tcp://127.0.0.1:1502","poll_ms":100,"merge_gap":2,)"
                            R"("tags":[{"tag":"a/b/c","register":"HR0"},{"tag":"a/b/d","register":"HR2","type":"float32",)"
                            R"("order":"CDAB","scale":0.5,"offset":-3,"group":"g"},{"tag":"a/b/e","register":"C7"},)"
                            R"({"tag":"a/b/f","register":"IR65532","type":"int64","order":"DCBA"}],)"
                            R"("groups":[{"name":"g","poll_ms":50,"deadline_ms":40}],"max_requests_in_flight":4})",
      std::string("\x04") + R"({"name":"q","endpoint":"tcp://[::1]","max_registers":4,"max_bits":3,)"
                            R"("tags":[{"tag":"x","register":"DI0"},{"tag":"y","register":"DI1"},{"tag":"z","register":"DI9"},)"
                            R"({"tag":"w","register":"HR1","type":"uint32","writable":true,"min":0,"max":9}]})",
      std::string("\x00\x05", 2) + std::string("\x41\xa4\x00\x00\x7f\xc0\x00\x01\xff\xff\xff\xff", 12),
      std::string("\x03\x0b", 2) + std::string(32, '\x80'),
      std::string("\x06\x13", 2) + std::string("\x3f\xf0\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x24\x40", 16) +
          std::string("\x12\x34\x56\x78\x9a\xbc\xde\xf0", 8),
      // FC3 of 2 registers, answered; FC1 of 10 coils, answered; an exception to FC4.
      std::string("\x02\x02\x01", 3) + std::string("\x00\x07\x00\x00\x00\x07\x01\x03\x04\x12\x34\xab\xcd", 13),
      std::string("\x05\x00\x09", 3) + std::string("\x00\x08\x00\x00\x00\x05\x01\x01\x02\xa5\x03", 11),
      std::string("\x08\x0f\x00", 3) + std::string("\x00\x09\x00\x00\x00\x03\x01\x84\x02", 9),
  };
}

void Feed(const std::string& input) { FuzzModbus(reinterpret_cast<const uint8_t*>(input.data()), input.size()); }

TEST(ModbusFuzzTest, SurvivesMutatedValidInputs) {
  fuzz_replay::Mutated(Seeds(), "{}[]\":,0123456789HRICDtruefalsnABCD-.e\x80\x83", 30'000, Feed);
}

TEST(ModbusFuzzTest, SurvivesRandomInputs) { fuzz_replay::Random("{}[]\":,01HRCtag", 20'000, Feed); }

}  // namespace
}  // namespace zhizao::connect::modbus
