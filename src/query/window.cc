#include "query/window.h"

#include <string>

namespace zhizao::query {
namespace {

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t PositiveMod(int64_t a, int64_t b) { return a - FloorDiv(a, b) * b; }

}  // namespace

Status WindowSpec::Validate() const {
  if (width_ns <= 0 || width_ns > kMaxAbsTimestampNs) {
    return Status::InvalidArgument("window width must be between 1 ns and 2^62 - 1 ns, not " +
                                   std::to_string(width_ns) + " ns");
  }
  return Status::Ok();
}

int64_t WindowSpec::IndexOf(int64_t ts_ns) const {
  return FloorDiv(ts_ns - PositiveMod(offset_ns, width_ns), width_ns);
}

int64_t WindowSpec::StartOf(int64_t index) const { return index * width_ns + PositiveMod(offset_ns, width_ns); }

void WindowState::Merge(const WindowState& other) {
  samples += other.samples;
  non_good += other.non_good;
  bad += other.bad;
  if (other.count == 0) return;
  if (count == 0) {
    const int64_t keep_samples = samples, keep_non_good = non_good, keep_bad = bad;
    *this = other;
    samples = keep_samples;
    non_good = keep_non_good;
    bad = keep_bad;
    return;
  }
  const double n_a = static_cast<double>(count), n_b = static_cast<double>(other.count);
  const double delta = other.mean() - mean();
  m2 += other.m2 + delta * delta * n_a * n_b / (n_a + n_b);
  sum += other.sum;
  count += other.count;
  if (other.min < min) {
    min = other.min;
    min_ts = other.min_ts;
  }
  if (other.max > max) {
    max = other.max;
    max_ts = other.max_ts;
  }
  if (other.first_ts < first_ts) {
    first = other.first;
    first_ts = other.first_ts;
    first_str = other.first_str;
  }
  if (other.last_ts >= last_ts) {
    last = other.last;
    last_ts = other.last_ts;
    last_str = other.last_str;
  }
}

}  // namespace zhizao::query
