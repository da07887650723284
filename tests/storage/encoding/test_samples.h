// Builders of SeriesSamples and round-trip helpers for the encoding tests.
#pragma once

#include <gtest/gtest.h>

#include <bit>
#include <string>
#include <vector>

#include "storage/encoding/chunk.h"

namespace zhizao::storage {

inline SeriesSamples Floats(std::vector<int64_t> ts, std::vector<double> v, std::vector<uint32_t> status = {}) {
  SeriesSamples s;
  s.type = DataType::kFloat64;
  s.ts_ns = std::move(ts);
  s.f64 = std::move(v);
  s.status = status.empty() ? std::vector<uint32_t>(s.ts_ns.size(), 0) : std::move(status);
  return s;
}

inline SeriesSamples Ints(DataType type, std::vector<int64_t> ts, std::vector<int64_t> v) {
  SeriesSamples s;
  s.type = type;
  s.ts_ns = std::move(ts);
  s.i64 = std::move(v);
  s.status.assign(s.ts_ns.size(), 0);
  return s;
}

inline std::vector<int64_t> Regular(size_t n, int64_t start = 1'700'000'000'000'000'000, int64_t period = 1'000'000'000) {
  std::vector<int64_t> ts(n);
  for (size_t i = 0; i < n; ++i) ts[i] = start + static_cast<int64_t>(i) * period;
  return ts;
}

inline std::string Encode(const SeriesSamples& s, ChunkBuilderOptions options = {}) {
  ChunkBuilder b(s.type, options);
  b.Append(s, 0, s.size());
  return b.Finish();
}

// Bit-exact equality of every column the type uses (NaN payloads and -0.0 included).
inline void ExpectSameSamples(const SeriesSamples& want, const SeriesSamples& got) {
  ASSERT_EQ(want.type, got.type);
  ASSERT_EQ(want.size(), got.size());
  EXPECT_EQ(want.ts_ns, got.ts_ns);
  EXPECT_EQ(want.status, got.status);
  if (want.type == DataType::kFloat64) {
    ASSERT_EQ(got.f64.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
      ASSERT_EQ(std::bit_cast<uint64_t>(want.f64[i]), std::bit_cast<uint64_t>(got.f64[i])) << "at " << i << ": " << want.f64[i];
    }
  } else if (want.type == DataType::kString) {
    EXPECT_EQ(want.str, got.str);
  } else {
    EXPECT_EQ(want.i64, got.i64);
  }
}

inline void ExpectRoundTrip(const SeriesSamples& s, ChunkBuilderOptions options = {}) {
  std::string chunk = Encode(s, options);
  SeriesSamples out;
  Status st = DecodeChunk(chunk, &out);
  ASSERT_TRUE(st.ok()) << st.ToString();
  ExpectSameSamples(s, out);
}

}  // namespace zhizao::storage
