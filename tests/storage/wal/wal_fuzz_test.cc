// Runs the fuzzer's body on random and mutated inputs so that every compiler's CI covers it.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "storage/wal/batch_codec.h"
#include "storage/wal/internal/record.h"
#include "wal_fuzz_target.h"

namespace zhizao::storage {
namespace {

std::string Framed(std::string_view payload) {
  char header[wal_internal::kHeaderBytes];
  wal_internal::EncodeHeader(payload, header);
  return std::string(header, sizeof(header)) + std::string(payload);
}

// Valid inputs to mutate: batch payloads and segments of framed batches.
std::vector<std::string> Seeds() {
  Batch batch;
  batch.AddFloat64(5, 1'700'000'000'000'000'000, 3.25);
  batch.AddInt64(6, 1'700'000'000'000'000'100, -42, status_codes::kBadSensorFailure);
  batch.AddBool(6, 1'700'000'000'000'000'200, true);
  batch.AddString(1, 1'700'000'000'000'000'300, "alarm");
  std::string payload;
  EncodeBatch(batch, &payload);
  std::string empty;
  EncodeBatch(Batch{}, &empty);
  return {payload, Framed(payload), Framed(payload) + Framed(empty) + Framed(payload), empty};
}

std::string Mutate(std::string input, std::mt19937_64& rng) {
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits; ++e) {
    const size_t at = input.empty() ? 0 : rng() % input.size();
    switch (rng() % 5) {
      case 0:
        if (!input.empty()) input[at] = static_cast<char>(input[at] ^ (1 << (rng() % 8)));
        break;
      case 1:
        if (!input.empty()) input[at] = static_cast<char>(rng());
        break;
      case 2: input.insert(input.begin() + static_cast<std::ptrdiff_t>(at), static_cast<char>(rng())); break;
      case 3:
        if (!input.empty()) input.erase(at, 1 + rng() % 8);
        break;
      case 4: input.resize(at); break;
    }
  }
  return input;
}

void Feed(const std::string& input) {
  FuzzWalInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

TEST(WalFuzzTest, SurvivesMutatedValidInputs) {
  std::mt19937_64 rng(20261128);
  std::vector<std::string> seeds = Seeds();
  for (int i = 0; i < 20'000; ++i) Feed(Mutate(seeds[i % seeds.size()], rng));
}

TEST(WalFuzzTest, SurvivesRandomInputs) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20'000; ++i) {
    std::string input(rng() % 256, '\0');
    for (char& c : input) c = static_cast<char>(rng());
    if (i % 2 == 0 && !input.empty()) input[0] = 1;  // the batch format version, to get past it
    Feed(input);
  }
}

}  // namespace
}  // namespace zhizao::storage
