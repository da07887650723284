#include "analytics/registry/history_reader.h"

#include <algorithm>
#include <vector>

namespace zhizao::analytics::registry {
namespace {

constexpr int64_t kSliceNs = int64_t{3600} * 1'000'000'000;

struct Point {
  int64_t ts_ns;
  size_t column;
  double value;
};

void AppendGood(const storage::SeriesSamples& s, size_t column, std::vector<Point>& out) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s.status[i] != status_codes::kGood) continue;  // as live scoring: bad quality is the connector's news
    switch (s.type) {
      case DataType::kFloat64: out.push_back({s.ts_ns[i], column, s.f64[i]}); break;
      case DataType::kInt64:
      case DataType::kBool: out.push_back({s.ts_ns[i], column, static_cast<double>(s.i64[i])}); break;
      case DataType::kString: return;
    }
  }
}

}  // namespace

Status VisitHistory(const query::SampleSource& source, std::span<const TagId> tags, int64_t from_ns, int64_t to_ns,
                    const SampleVisitor& visit) {
  std::vector<Point> points;
  storage::SeriesSamples samples;
  for (int64_t slice = from_ns; slice < to_ns;) {
    // Unsigned: the distance between two int64 timestamps may not fit an int64.
    const bool last = static_cast<uint64_t>(to_ns) - static_cast<uint64_t>(slice) <= uint64_t{kSliceNs};
    const int64_t slice_end = last ? to_ns - 1 : slice + kSliceNs - 1;
    points.clear();
    for (size_t column = 0; column < tags.size(); ++column) {
      samples.Clear();
      ZZ_RETURN_IF_ERROR(source.Read(tags[column], slice, slice_end, &samples));
      AppendGood(samples, column, points);
    }
    std::stable_sort(points.begin(), points.end(), [](const Point& a, const Point& b) { return a.ts_ns < b.ts_ns; });
    for (const Point& p : points) visit(p.column, p.ts_ns, p.value);
    if (last) break;
    slice = slice_end + 1;
  }
  return Status::Ok();
}

}  // namespace zhizao::analytics::registry
