// ChunkExtents: what the chunk store may hold of each series, learnt once, widened by writes.
#include "storage/internal/chunk_extents.h"

#include <gtest/gtest.h>

#include "storage/internal/chunk_store.h"

namespace zhizao::storage {
namespace {

TEST(ChunkExtentsTest, UnknownUntilLearntThenAnsweredFromMemory) {
  ChunkExtents extents;
  uint64_t generation = 0;
  EXPECT_FALSE(extents.MayHold(7, 0, 100, &generation).has_value());
  ASSERT_TRUE(extents.Learn(7, ChunkExtents::Extent{50, 80}, generation));
  EXPECT_EQ(extents.MayHold(7, 0, 49, &generation), false);
  EXPECT_EQ(extents.MayHold(7, 0, 50, &generation), true);
  EXPECT_EQ(extents.MayHold(7, 80, 200, &generation), true);
  EXPECT_EQ(extents.MayHold(7, 81, 200, &generation), false);
  EXPECT_FALSE(extents.MayHold(8, 0, 100, &generation).has_value()) << "another series is still unknown";
}

TEST(ChunkExtentsTest, WritesWidenWhatIsKnown) {
  ChunkExtents extents;
  uint64_t generation = 0;
  extents.MayHold(1, 0, 0, &generation);
  ASSERT_TRUE(extents.Learn(1, std::nullopt, generation));  // no chunk at all
  ASSERT_TRUE(extents.Learn(2, ChunkExtents::Extent{100, 100}, generation));
  EXPECT_EQ(extents.MayHold(1, INT64_MIN, INT64_MAX, &generation), false);
  std::vector<StoredChunk> written{{1, 500, 1, "x"}, {2, 10, 2, "y"}, {2, 900, 3, "z"}, {3, 0, 4, "w"}};
  extents.Written(written);
  EXPECT_EQ(extents.MayHold(1, 400, 600, &generation), true);
  EXPECT_EQ(extents.MayHold(1, 501, 600, &generation), false);
  EXPECT_EQ(extents.MayHold(2, 0, 10, &generation), true);
  EXPECT_EQ(extents.MayHold(2, 901, 1000, &generation), false);
  EXPECT_EQ(extents.MayHold(2, 500, 600, &generation), true) << "a bound: between first and last it may hold";
  EXPECT_FALSE(extents.MayHold(3, 0, 0, &generation).has_value()) << "a write does not make a series known";
}

TEST(ChunkExtentsTest, WhatWasLearntDuringAWriteIsNotKept) {
  ChunkExtents extents;
  uint64_t generation = 0;
  extents.MayHold(4, 0, 100, &generation);
  std::vector<StoredChunk> written{{4, 70, 1, "x"}};
  extents.Written(written);  // the seeks may or may not have seen this chunk
  EXPECT_FALSE(extents.Learn(4, std::nullopt, generation));
  EXPECT_FALSE(extents.MayHold(4, 0, 100, &generation).has_value());
}

TEST(ChunkExtentsTest, StrayHighIdsAreNotCached) {
  ChunkExtents extents;
  uint64_t generation = 0;
  EXPECT_EQ(extents.MayHold(TagId{1} << 25, 0, 1, &generation), true) << "not worth learning";
  EXPECT_FALSE(extents.Learn(TagId{1} << 25, std::nullopt, generation));
}

}  // namespace
}  // namespace zhizao::storage
