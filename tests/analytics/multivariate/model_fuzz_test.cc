// Runs the Load fuzzer's body on mutated valid blobs and random bytes in every build.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analytics/multivariate/model.h"
#include "common/crc32c.h"
#include "fuzz_replay.h"
#include "model_fuzz_target.h"
#include "test_data.h"

namespace zhizao::analytics::multivariate {
namespace {

void Feed(const std::string& input) { FuzzModelLoad(reinterpret_cast<const uint8_t*>(input.data()), input.size()); }

// Re-seals a mutated blob with a valid checksum, so that mutations reach the payload decoder.
std::string Reseal(std::string blob) {
  if (blob.size() < 20) return blob;
  const uint32_t crc = crc32c::Value(std::string_view(blob).substr(0, blob.size() - 4));
  for (int i = 0; i < 4; ++i) blob[blob.size() - 4 + static_cast<size_t>(i)] = static_cast<char>((crc >> (8 * i)) & 0xff);
  return blob;
}

std::vector<std::string> Seeds() {
  std::vector<std::string> seeds;
  for (Method m : {Method::kPca, Method::kDynamicPca, Method::kCva, Method::kKernelRegression}) {
    auto model = Model::Train(testing::LatentProcess(120, 3, 0.5, 5), testing::Names(3),
                              {.method = m, .lags = 1, .memory_rows = 12});
    EXPECT_TRUE(model.ok()) << model.status().ToString();
    if (model.ok()) seeds.push_back(model->Save());
  }
  return seeds;
}

TEST(ModelFuzzTest, SurvivesMutatedBlobs) {
  const std::vector<std::string> seeds = Seeds();
  fuzz_replay::Mutated(seeds, std::string("\x00\x01\x02\xff\x7f\xf0ZZMV", 10), 3'000, Feed);
  fuzz_replay::Mutated(seeds, std::string("\x00\x01\x02\xff\x7f\xf0", 6), 3'000,
                       [](const std::string& s) { Feed(Reseal(s)); });
}

TEST(ModelFuzzTest, SurvivesRandomBytes) { fuzz_replay::Random("ZZMV\x01", 5'000, Feed); }

}  // namespace
}  // namespace zhizao::analytics::multivariate
