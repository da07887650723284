// Runs the fleet-blob fuzz body on hand-picked inputs in every build (the fuzzer needs clang).
#include <gtest/gtest.h>

#include <string>

#include "analytics/registry/rul_fleet_blob.h"
#include "rul_fleet_blob_fuzz_target.h"

namespace zhizao::analytics::registry {
namespace {

void Fuzz(const std::string& bytes) { FuzzRulFleetBlob(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()); }

TEST(RulFleetBlobFuzzTest, SurvivesEmptyGarbageEveryPrefixAndHugeCounts) {
  Fuzz("");
  Fuzz(std::string(64, '\xff'));
  const std::string blob = EncodeRulFleetBlob({.tags_per_asset = 3, .run_start_ns = {1, 2, 3}, .model = "m"});
  for (size_t n = 0; n <= blob.size(); ++n) Fuzz(blob.substr(0, n));
  std::string huge = blob;
  huge[16] = '\xff';  // the asset count's low byte
  huge[19] = '\x7f';
  Fuzz(huge);
}

}  // namespace
}  // namespace zhizao::analytics::registry
