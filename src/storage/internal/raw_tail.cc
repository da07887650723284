#include "storage/internal/raw_tail.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>

#include "common/check.h"

namespace zhizao::storage {
namespace {

constexpr uint64_t kMaxSlot = std::numeric_limits<uint32_t>::max();
constexpr int64_t kMaxMantissa = std::numeric_limits<int32_t>::max();

// m / 10^e for e up to 9: both exact doubles, so the division is correctly rounded, and a
// mantissa scaled up with its exponent (m * 10^k / 10^(e+k)) decodes to the very same double.
constexpr int kMaxExponent = 9;
constexpr double kPow10[kMaxExponent + 1] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
constexpr int64_t kPow10Int[kMaxExponent + 1] = {1,       10,       100,       1000,       10000,
                                                 100000,  1000000,  10000000,  100000000,  1000000000};

// The tail grows from a few samples, doubling up to a block and the reorder margin of
// SeriesHead (160): 100,000 series of 300 samples, or a tag polled once a minute, hold what
// they have rather than a block's worth each.
constexpr size_t kFirstCapacity = 8;
constexpr size_t kMaxGrowth = 160;

// The mantissa of v at exponent e, when it gives v back bit for bit. Rounded half away from zero
// by truncation (no libm call); the division decides. NaN, infinities and -0 never pass.
std::optional<int32_t> DecimalMantissa(double v, int e) {
  const double scaled = v * kPow10[e];
  if (!(std::fabs(scaled) <= static_cast<double>(kMaxMantissa))) return std::nullopt;
  const auto m = static_cast<double>(static_cast<int64_t>(scaled + (scaled < 0 ? -0.5 : 0.5)));
  if (std::bit_cast<uint64_t>(m / kPow10[e]) != std::bit_cast<uint64_t>(v)) return std::nullopt;
  return static_cast<int32_t>(m);
}

}  // namespace

// --- samples -------------------------------------------------------------------------------

void RawTail::Reserve(size_t n) {
  capacity_ = n;
  if (wide_ts_) {
    times_.reserve(n);
  } else {
    slots_.reserve(n);
  }
  if (type_ == DataType::kString) {
    str_.reserve(n);
  } else if (wide_numbers_) {
    wide_.reserve(n);
  } else {
    mantissas_.reserve(n);
  }
  if (!status_.empty()) status_.reserve(n);
}

void RawTail::GrowIfFull() {
  if (size() < capacity_) return;
  Reserve(capacity_ < kMaxGrowth ? std::min(std::max(kFirstCapacity, 2 * capacity_), kMaxGrowth) : 2 * capacity_);
}

bool RawTail::TryPushNextTick(int64_t ts, const Value& value, uint32_t status) {
  if (type_ != DataType::kFloat64 || status != status_codes::kGood || !status_.empty() || wide_numbers_ ||
      size() >= capacity_ || !IsNextTick(ts)) {
    return false;
  }
  const std::optional<int32_t> m = DecimalMantissa(value.f64(), exponent_);
  const uint32_t slot = slots_.back() + 1;
  if (!m || !mantissas_.fits_as_is(*m) || !slots_.fits_as_is(slot)) return false;
  mantissas_.push_back(*m);
  slots_.push_back(slot);
  return true;
}

void RawTail::PushBack(int64_t ts, const Value& value, std::string_view str, uint32_t status) {
  if (!TryPushNextTick(ts, value, status)) Place(size(), ts, value, str, status);
}

void RawTail::Insert(int64_t ts, const Value& value, std::string_view str, uint32_t status) {
  const size_t i = LowerBound(ts);
  if (i == size() || this->ts(i) != ts) return Place(i, ts, value, str, status);
  // A rewrite: the later write wins.
  if (status != status_codes::kGood && status_.empty()) {
    status_.reserve(capacity_);
    status_.assign(size(), status_codes::kGood);
  }
  if (!status_.empty()) status_[i] = status;
  if (type_ == DataType::kString) {
    str_[i].assign(str);
  } else {
    SetNumber(i, value, /*insert=*/false);
  }
}

void RawTail::Place(size_t i, int64_t ts, const Value& value, std::string_view str, uint32_t status) {
  GrowIfFull();
  const auto at = static_cast<std::ptrdiff_t>(i);
  // The columns take the sample one by one; size() counts timestamps, which go last.
  if (status != status_codes::kGood || !status_.empty()) {
    if (status_.empty()) {
      status_.reserve(capacity_);
      status_.assign(size(), status_codes::kGood);
    }
    status_.insert(status_.begin() + at, status);
  }
  if (type_ == DataType::kString) {
    str_.emplace(str_.begin() + at, str);
  } else {
    SetNumber(i, value, /*insert=*/true);
  }
  // The next tick of a regular series, the common case, costs no division.
  if (i == size() && IsNextTick(ts)) {
    slots_.push_back(slots_.back() + 1);
    return;
  }
  AdmitTime(ts);
  if (wide_ts_) {
    times_.insert(times_.begin() + at, ts);
  } else {
    slots_.insert(i, unit_ == 0 ? 0 : static_cast<uint32_t>((ts - base_) / unit_));
  }
}

void RawTail::CopySample(size_t i, SeriesSamples* out) const {
  out->ts_ns.push_back(ts(i));
  out->status.push_back(status_.empty() ? status_codes::kGood : status_[i]);
  switch (type_) {
    case DataType::kFloat64: out->f64.push_back(std::bit_cast<double>(NumberBits(i))); break;
    case DataType::kInt64:
    case DataType::kBool: out->i64.push_back(static_cast<int64_t>(NumberBits(i))); break;
    case DataType::kString: out->str.push_back(str_[i]); break;
  }
}

void RawTail::CopyPrefix(size_t n, SeriesSamples* out) const {
  ZZ_CHECK(n <= size(), "a prefix of the tail");
  if (type_ != DataType::kFloat64 || wide_ts_ || wide_numbers_ || !status_.empty()) {
    for (size_t i = 0; i < n; ++i) CopySample(i, out);
    return;
  }
  // A block on its way to the encoder, in the common form: column by column.
  for (size_t i = 0; i < n; ++i) out->ts_ns.push_back(base_ + static_cast<int64_t>(slots_[i]) * unit_);
  out->status.insert(out->status.end(), n, status_codes::kGood);
  const double scale = kPow10[exponent_];
  for (size_t i = 0; i < n; ++i) out->f64.push_back(static_cast<double>(mantissas_[i]) / scale);
}

void RawTail::CopyRange(int64_t from, int64_t to, SeriesSamples* out) const {
  for (size_t i = LowerBound(from); i < size() && ts(i) <= to; ++i) CopySample(i, out);
}

void RawTail::DropPrefix(size_t n) {
  ZZ_CHECK(n <= size(), "a prefix of the tail");
  if (n == size()) {
    // Emptied. A wide column starts narrow again (a series that went irregular may recover).
    if (wide_ts_ || wide_numbers_) return Release();
    slots_.Clear(capacity_);
    mantissas_.Clear(capacity_);
    str_.clear();
    std::vector<uint32_t>().swap(status_);
    return;
  }
  auto erase = [n](auto& column) {
    if (!column.empty()) column.erase(column.begin(), column.begin() + static_cast<std::ptrdiff_t>(n));
  };
  if (!slots_.empty()) slots_.erase_prefix(n);
  erase(times_);
  if (!mantissas_.empty()) mantissas_.erase_prefix(n);
  erase(wide_);
  erase(str_);
  erase(status_);
  if (std::all_of(status_.begin(), status_.end(), [](uint32_t s) { return s == status_codes::kGood; })) {
    std::vector<uint32_t>().swap(status_);
  }
  TryNarrowTimes();
  if (wide_numbers_) TryNarrowNumbers();
  mantissas_.TryNarrow(capacity_);
}

void RawTail::Release() { *this = RawTail(type_); }

size_t RawTail::memory_bytes() const {
  return slots_.capacity_bytes() + times_.capacity() * sizeof(int64_t) + mantissas_.capacity_bytes() +
         wide_.capacity() * sizeof(uint64_t) +
         str_.capacity() * sizeof(std::string) + status_.capacity() * sizeof(uint32_t);
}

// --- timestamps ----------------------------------------------------------------------------

void RawTail::AdmitTime(int64_t ts) {
  if (wide_ts_) return;
  if (size() == 0) {
    base_ = ts;
    unit_ = 0;
    return;
  }
  // Timestamps lie in the engine's accepted window (1970 to a day ahead): differences fit.
  if (ts >= base_ && unit_ != 0 && (ts - base_) % unit_ == 0) {  // on the grid: the common case
    if (static_cast<uint64_t>((ts - base_) / unit_) > kMaxSlot) WidenTimes();
    return;
  }
  const int64_t shift = ts < base_ ? base_ - ts : 0;  // slots move up by this much if ts is the new base
  const int64_t offset = ts < base_ ? 0 : ts - base_;
  const int64_t unit = std::gcd(std::gcd(unit_, shift), offset);
  if (unit == 0) return;  // ts is the one timestamp held: slot 0
  // New unit and base: every slot becomes slot * (unit_ / unit) + shift / unit, if that fits.
  const uint64_t scale = unit_ == 0 ? 1 : static_cast<uint64_t>(unit_ / unit);
  const uint64_t lift = static_cast<uint64_t>(shift / unit);
  const uint64_t top = std::max<uint64_t>(static_cast<uint64_t>(offset / unit), lift);
  const uint64_t highest = slots_.back();  // slots are in time order
  if (top > kMaxSlot || (highest != 0 && (scale > kMaxSlot / highest || highest * scale > kMaxSlot - lift))) {
    return WidenTimes();
  }
  slots_.Transform([&](uint32_t slot) { return static_cast<uint32_t>(slot * scale + lift); });
  base_ -= shift;
  unit_ = unit;
}

bool RawTail::IsNextTick(int64_t ts) const {
  return !wide_ts_ && size() > 0 && unit_ != 0 && slots_.back() < kMaxSlot &&
         base_ + (static_cast<int64_t>(slots_.back()) + 1) * unit_ == ts;
}

void RawTail::WidenTimes() {
  times_.reserve(capacity_);
  for (size_t i = 0; i < size(); ++i) times_.push_back(ts(i));
  slots_.Release();
  wide_ts_ = true;
}

void RawTail::TryNarrowTimes() {
  if (wide_ts_) {
    int64_t unit = 0;
    for (size_t i = 1; i < times_.size(); ++i) unit = std::gcd(unit, times_[i] - times_[0]);
    if (unit != 0 && static_cast<uint64_t>((times_.back() - times_[0]) / unit) > kMaxSlot) return;
    slots_.reserve(capacity_);
    for (int64_t t : times_) slots_.push_back(unit == 0 ? 0 : static_cast<uint32_t>((t - times_[0]) / unit));
    base_ = times_[0];
    unit_ = unit;
    std::vector<int64_t>().swap(times_);
    wide_ts_ = false;
    return;
  }
  // Slot 0 moves to the front, so that the slots stay small as the tail moves on.
  const uint32_t first = slots_.front();
  if (first != 0) {
    slots_.Transform([first](uint32_t slot) { return slot - first; });
    base_ += static_cast<int64_t>(first) * unit_;
  }
  slots_.TryNarrow(capacity_);
}

size_t RawTail::LowerBound(int64_t ts) const {
  size_t lo = 0, hi = size();
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (this->ts(mid) < ts) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

// --- numbers -------------------------------------------------------------------------------

uint64_t RawTail::Bits(const Value& value) const {
  switch (type_) {
    case DataType::kFloat64: return std::bit_cast<uint64_t>(value.f64());
    case DataType::kInt64: return static_cast<uint64_t>(value.i64());
    case DataType::kBool: return value.boolean() ? 1 : 0;
    case DataType::kString: break;
  }
  return 0;
}

uint64_t RawTail::NumberBits(size_t i) const {
  if (wide_numbers_) return wide_[i];
  if (type_ == DataType::kFloat64) return std::bit_cast<uint64_t>(static_cast<double>(mantissas_[i]) / kPow10[exponent_]);
  return static_cast<uint64_t>(static_cast<int64_t>(mantissas_[i]));
}

std::optional<int32_t> RawTail::MantissaOf(const Value& value) {
  if (type_ != DataType::kFloat64) {
    const auto v = static_cast<int64_t>(Bits(value));
    if (v < -kMaxMantissa || v > kMaxMantissa) return std::nullopt;
    return static_cast<int32_t>(v);
  }
  const double v = value.f64();
  if (!std::isfinite(v) || (v == 0 && std::signbit(v))) return std::nullopt;  // -0 would come back as +0
  for (int e = exponent_; e <= kMaxExponent; ++e) {
    if (!(std::fabs(v * kPow10[e]) <= static_cast<double>(kMaxMantissa))) return std::nullopt;  // more digits: larger still
    const std::optional<int32_t> m = DecimalMantissa(v, e);
    if (!m) continue;
    if (e > exponent_) {
      const int64_t factor = kPow10Int[e - exponent_];
      for (size_t i = 0; i < mantissas_.size(); ++i) {
        if (std::abs(static_cast<int64_t>(mantissas_[i])) * factor > kMaxMantissa) return std::nullopt;
      }
      mantissas_.Transform([factor](int32_t held) { return static_cast<int32_t>(held * factor); });
      exponent_ = e;
    }
    return m;
  }
  return std::nullopt;
}

void RawTail::SetNumber(size_t i, const Value& value, bool insert) {
  const auto at = static_cast<std::ptrdiff_t>(i);
  if (!wide_numbers_) {
    if (std::optional<int32_t> m = MantissaOf(value)) {
      if (insert && i == mantissas_.size()) {
        mantissas_.push_back(*m);
      } else if (insert) {
        mantissas_.insert(i, *m);
      } else {
        mantissas_.set(i, *m);
      }
      return;
    }
    WidenNumbers();
  }
  if (insert) {
    wide_.insert(wide_.begin() + at, Bits(value));
  } else {
    wide_[i] = Bits(value);
  }
}

void RawTail::WidenNumbers() {
  wide_.reserve(capacity_);
  for (size_t i = 0; i < mantissas_.size(); ++i) wide_.push_back(NumberBits(i));
  mantissas_.Release();
  wide_numbers_ = true;
}

void RawTail::TryNarrowNumbers() {
  std::vector<uint64_t> wide = std::move(wide_);
  wide_.clear();
  wide_numbers_ = false;
  exponent_ = 0;
  mantissas_.reserve(capacity_);
  for (uint64_t bits : wide) {
    const Value value = type_ == DataType::kFloat64 ? Value::Float64(std::bit_cast<double>(bits))
                        : type_ == DataType::kBool  ? Value::Bool(bits != 0)
                                                    : Value::Int64(static_cast<int64_t>(bits));
    std::optional<int32_t> m = MantissaOf(value);
    if (!m) {
      mantissas_.Release();
      wide_ = std::move(wide);
      wide_numbers_ = true;
      return;
    }
    mantissas_.push_back(*m);
  }
}

}  // namespace zhizao::storage
