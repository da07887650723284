#include "analytics/spc/subgroup.h"

#include <gtest/gtest.h>

#include <limits>

namespace zhizao::analytics::spc {
namespace {

TEST(Subgrouping, ByKeyKeepsFirstAppearanceOrder) {
  const std::vector<Sample> s = {{1, 1.0, "B"}, {2, 2.0, "A"}, {3, 3.0, "B"}, {4, 4.0, "A"}, {5, 5.0, "C"}};
  auto g = SubgroupByKey(s);
  ASSERT_TRUE(g.ok());
  ASSERT_EQ(g->size(), 3u);
  EXPECT_EQ((*g)[0].label, "B");
  EXPECT_EQ((*g)[0].values, (std::vector<double>{1.0, 3.0}));
  EXPECT_EQ((*g)[1].values, (std::vector<double>{2.0, 4.0}));
  EXPECT_EQ((*g)[2].start_ts_ns, 5);
}

TEST(Subgrouping, ByTimeWindowSkipsEmptyWindowsAndSortsByTime) {
  const std::int64_t sec = 1'000'000'000;
  const std::vector<Sample> s = {{25 * sec, 3.0, ""}, {1 * sec, 1.0, ""}, {9 * sec, 2.0, ""}, {-1 * sec, 0.5, ""}};
  auto g = SubgroupByTimeWindow(s, 10 * sec);
  ASSERT_TRUE(g.ok());
  ASSERT_EQ(g->size(), 3u);  // [-10,0), [0,10), [20,30); [10,20) is empty
  EXPECT_EQ((*g)[0].start_ts_ns, -10 * sec);
  EXPECT_EQ((*g)[1].values, (std::vector<double>{1.0, 2.0}));
  EXPECT_EQ((*g)[2].label, std::to_string(20 * sec));
}

TEST(Subgrouping, RejectsBadInput) {
  const std::vector<Sample> nan = {{0, std::numeric_limits<double>::quiet_NaN(), "A"}};
  EXPECT_EQ(SubgroupByKey(nan).status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(SubgroupByKey({}).ok());
  const std::vector<Sample> one = {{0, 1.0, ""}};
  EXPECT_FALSE(SubgroupByTimeWindow(one, 0).ok());
}

}  // namespace
}  // namespace zhizao::analytics::spc
