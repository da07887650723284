#include "analytics/registry/rul_cycles.h"

#include <algorithm>
#include <cmath>

#include "analytics/registry/history_reader.h"

namespace zhizao::analytics::registry {

int64_t CycleOf(int64_t origin_ns, int64_t cycle_ns, int64_t ts_ns) {
  const int64_t d = ts_ns - origin_ns;
  return d >= 0 ? d / cycle_ns : -((-d + cycle_ns - 1) / cycle_ns);
}

Result<std::vector<rul::Row>> ReadCycles(const query::SampleSource& history, std::span<const TagId> tags,
                                         const CycleRange& range, int64_t unit) {
  if (range.cycle_ns <= 0) return Status::InvalidArgument("the cycle length must be positive");
  std::vector<rul::Row> rows;
  // Whole cycles only: the first starting at or after from, the last ending at or before to.
  const int64_t first = CycleOf(range.origin_ns, range.cycle_ns, range.from_ns - 1) + 1;
  const int64_t end = CycleOf(range.origin_ns, range.cycle_ns, range.to_ns);  // exclusive
  if (first >= end) return rows;
  const size_t cols = tags.size();
  std::vector<double> sum(cols, 0);
  std::vector<int64_t> count(cols, 0);
  int64_t current = first;
  auto flush = [&] {
    bool complete = true;
    for (int64_t c : count) complete = complete && c > 0;
    if (complete) {
      rul::Row row{.unit = unit, .cycle = current, .settings = {}, .sensors = std::vector<double>(cols)};
      for (size_t i = 0; i < cols; ++i) row.sensors[i] = sum[i] / static_cast<double>(count[i]);
      rows.push_back(std::move(row));
    }
    std::fill(sum.begin(), sum.end(), 0.0);
    std::fill(count.begin(), count.end(), 0);
  };
  ZZ_RETURN_IF_ERROR(VisitHistory(history, tags, CycleStart(range.origin_ns, range.cycle_ns, first),
                                  CycleStart(range.origin_ns, range.cycle_ns, end),
                                  [&](size_t column, int64_t ts_ns, double value) {
                                    if (!std::isfinite(value)) return;  // a mean of it would poison the row
                                    const int64_t k = CycleOf(range.origin_ns, range.cycle_ns, ts_ns);
                                    if (k != current) {
                                      flush();
                                      current = k;
                                    }
                                    sum[column] += value;
                                    ++count[column];
                                  }));
  flush();
  return rows;
}

}  // namespace zhizao::analytics::registry
