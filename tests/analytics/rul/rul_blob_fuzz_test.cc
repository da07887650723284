// Runs the fuzz body on hand-picked inputs in every build (the fuzzer itself needs clang).
#include <gtest/gtest.h>

#include <string>

#include "analytics/rul/rul_model.h"
#include "rul_blob_fuzz_target.h"
#include "synthetic_fleet.h"

namespace zhizao::analytics::rul {
namespace {

void Fuzz(const std::string& bytes) { FuzzModelBlob(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()); }

TEST(RulBlobFuzzTest, SurvivesEmptyGarbageAndEveryPrefixOfARealPayload) {
  Fuzz("");
  Fuzz(std::string(64, '\xff'));
  auto model = Model::Train(testing::MakeFleet({.units = 3}), {.window = 5, .recent = 2, .baseline = 3, .ensemble = 1,
                                                               .rounds = 3});
  ASSERT_TRUE(model.ok());
  const std::string blob = *model->Save();
  Fuzz(blob);
  const std::string payload = blob.substr(20, blob.size() - 24);  // between header and checksum
  for (size_t n = 0; n <= payload.size(); n += 1 + n / 8) Fuzz(payload.substr(0, n));
  Fuzz(payload);
}

}  // namespace
}  // namespace zhizao::analytics::rul
