#include "common/metrics.h"

#include <gtest/gtest.h>

namespace zhizao {
namespace {

TEST(MetricsRegistryTest, RendersPrometheusTextFormat) {
  MetricsRegistry r;
  r.GetCounter("zz_requests_total", "Requests.", {{"code", "200"}}).Increment(3);
  r.GetGauge("zz_tags", "Tags.").Set(12);
  r.AddCallbackGauge("zz_queue_depth", "Depth.", [] { return 5.0; });
  Histogram& h = r.GetHistogram("zz_latency_seconds", "Latency.", {0.1, 1});
  h.Observe(0.05);
  h.Observe(0.5);
  h.Observe(5);
  std::string text = r.RenderPrometheus();
  EXPECT_NE(text.find("# TYPE zz_requests_total counter\nzz_requests_total{code=\"200\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("zz_tags 12\n"), std::string::npos);
  EXPECT_NE(text.find("zz_queue_depth 5\n"), std::string::npos);
  EXPECT_NE(text.find("zz_latency_seconds_bucket{le=\"0.10000000000000001\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("zz_latency_seconds_bucket{le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("zz_latency_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("zz_latency_seconds_count 3\n"), std::string::npos);
}

TEST(MetricsRegistryTest, SameNameAndLabelsIsSameMetric) {
  MetricsRegistry r;
  Counter& a = r.GetCounter("c", "h", {{"k", "v"}});
  Counter& b = r.GetCounter("c", "h", {{"k", "v"}});
  EXPECT_EQ(&a, &b);
  EXPECT_NE(&a, &r.GetCounter("c", "h", {{"k", "w"}}));
}

TEST(MetricsRegistryTest, EscapesLabelValues) {
  MetricsRegistry r;
  r.GetCounter("c", "h", {{"path", "a\"b\\c"}}).Increment();
  EXPECT_NE(r.RenderPrometheus().find(R"(c{path="a\"b\\c"} 1)"), std::string::npos);
}

}  // namespace
}  // namespace zhizao
