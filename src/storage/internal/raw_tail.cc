#include "storage/internal/raw_tail.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <numeric>

#include "common/check.h"

namespace zhizao::storage {
namespace {

constexpr uint64_t kMaxSlot = std::numeric_limits<uint32_t>::max();

// The tail grows from a few samples, doubling up to a block and the reorder margin of
// SeriesHead (160): 100,000 series of 300 samples, or a tag polled once a minute, hold what
// they have rather than a block's worth each.
constexpr size_t kFirstCapacity = 8;
constexpr size_t kMaxGrowth = 160;

}  // namespace

uint64_t RawTail::Bits(const Value& value) const {
  switch (type_) {
    case DataType::kFloat64: return std::bit_cast<uint64_t>(value.f64());
    case DataType::kInt64: return static_cast<uint64_t>(value.i64());
    case DataType::kBool: return value.boolean() ? 1 : 0;
    case DataType::kString: break;
  }
  return 0;
}

void RawTail::Reserve(size_t n) {
  if (wide_) {
    wide_ts_.reserve(n);
  } else {
    slots_.reserve(n);
  }
  if (!status_.empty()) status_.reserve(n);
  if (type_ == DataType::kString) {
    str_.reserve(n);
  } else {
    values_.reserve(n);
  }
}

void RawTail::GrowIfFull() {
  const size_t capacity = type_ == DataType::kString ? str_.capacity() : values_.capacity();
  if (size() < capacity) return;
  Reserve(capacity < kMaxGrowth ? std::min(std::max(kFirstCapacity, 2 * capacity), kMaxGrowth) : 2 * capacity);
}

void RawTail::Widen() {
  wide_ts_.clear();
  wide_ts_.reserve(std::max(slots_.capacity(), size()));
  for (size_t i = 0; i < size(); ++i) wide_ts_.push_back(ts(i));
  std::vector<uint32_t>().swap(slots_);
  wide_ = true;
}

void RawTail::Admit(int64_t ts) {
  if (wide_) return;
  if (size() == 0) {
    base_ = ts;
    unit_ = 0;
    return;
  }
  // Timestamps lie in the engine's accepted window (1970 to a day ahead): differences fit.
  if (ts >= base_ && unit_ != 0 && (ts - base_) % unit_ == 0) {  // on the grid: the common case
    if (static_cast<uint64_t>((ts - base_) / unit_) > kMaxSlot) Widen();
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
    return Widen();
  }
  for (uint32_t& slot : slots_) slot = static_cast<uint32_t>(slot * scale + lift);
  base_ -= shift;
  unit_ = unit;
}

void RawTail::PutTime(size_t i, int64_t ts) {
  if (wide_) {
    wide_ts_.insert(wide_ts_.begin() + static_cast<std::ptrdiff_t>(i), ts);
  } else {
    const uint32_t slot = unit_ == 0 ? 0 : static_cast<uint32_t>((ts - base_) / unit_);
    slots_.insert(slots_.begin() + static_cast<std::ptrdiff_t>(i), slot);
  }
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

void RawTail::PushBack(int64_t ts, const Value& value, std::string_view str, uint32_t status) {
  Place(size(), ts, value, str, status);
}

void RawTail::Insert(int64_t ts, const Value& value, std::string_view str, uint32_t status) {
  const size_t i = LowerBound(ts);
  if (i == size() || this->ts(i) != ts) return Place(i, ts, value, str, status);
  // A rewrite: the later write wins.
  if (status != status_codes::kGood && status_.empty()) status_.assign(size(), status_codes::kGood);
  if (!status_.empty()) status_[i] = status;
  if (type_ == DataType::kString) {
    str_[i].assign(str);
  } else {
    values_[i] = Bits(value);
  }
}

void RawTail::Place(size_t i, int64_t ts, const Value& value, std::string_view str, uint32_t status) {
  const auto at = static_cast<std::ptrdiff_t>(i);
  GrowIfFull();
  Admit(ts);
  PutTime(i, ts);
  const bool keep_statuses = !status_.empty() || status != status_codes::kGood;
  if (keep_statuses && status_.empty()) {
    status_.reserve(type_ == DataType::kString ? str_.capacity() : values_.capacity());
    status_.assign(size(), status_codes::kGood);  // the sample's time is placed, its value not yet
  }
  if (keep_statuses) status_.insert(status_.begin() + at, status);
  if (type_ == DataType::kString) {
    str_.emplace(str_.begin() + at, str);
  } else {
    values_.insert(values_.begin() + at, Bits(value));
  }
}

void RawTail::CopySample(size_t i, SeriesSamples* out) const {
  out->ts_ns.push_back(ts(i));
  out->status.push_back(status_.empty() ? status_codes::kGood : status_[i]);
  switch (type_) {
    case DataType::kFloat64: out->f64.push_back(std::bit_cast<double>(values_[i])); break;
    case DataType::kInt64:
    case DataType::kBool: out->i64.push_back(static_cast<int64_t>(values_[i])); break;
    case DataType::kString: out->str.push_back(str_[i]); break;
  }
}

void RawTail::CopyPrefix(size_t n, SeriesSamples* out) const {
  ZZ_CHECK(n <= size(), "a prefix of the tail");
  for (size_t i = 0; i < n; ++i) CopySample(i, out);
}

void RawTail::CopyRange(int64_t from, int64_t to, SeriesSamples* out) const {
  for (size_t i = LowerBound(from); i < size() && ts(i) <= to; ++i) CopySample(i, out);
}

void RawTail::DropPrefix(size_t n) {
  ZZ_CHECK(n <= size(), "a prefix of the tail");
  if (n == size()) {
    // Emptied: the next sample starts a fresh form (a series that went irregular may recover),
    // in the capacity kept.
    slots_.clear();
    wide_ts_.clear();
    wide_ = false;
    status_.clear();
    values_.clear();
    str_.clear();
    return;
  }
  auto erase = [n](auto& column) {
    if (!column.empty()) column.erase(column.begin(), column.begin() + static_cast<std::ptrdiff_t>(n));
  };
  erase(slots_);
  erase(wide_ts_);
  erase(status_);
  erase(values_);
  erase(str_);
  if (std::all_of(status_.begin(), status_.end(), [](uint32_t s) { return s == status_codes::kGood; })) {
    std::vector<uint32_t>().swap(status_);
  }
  TryNarrow();
}

void RawTail::TryNarrow() {
  if (wide_) {
    int64_t unit = 0;
    for (size_t i = 1; i < wide_ts_.size(); ++i) unit = std::gcd(unit, wide_ts_[i] - wide_ts_[0]);
    if (unit != 0 && static_cast<uint64_t>((wide_ts_.back() - wide_ts_[0]) / unit) > kMaxSlot) return;
    slots_.reserve(wide_ts_.capacity());
    for (int64_t t : wide_ts_) slots_.push_back(unit == 0 ? 0 : static_cast<uint32_t>((t - wide_ts_[0]) / unit));
    base_ = wide_ts_[0];
    unit_ = unit;
    std::vector<int64_t>().swap(wide_ts_);
    wide_ = false;
    return;
  }
  // Slot 0 moves to the front, so that the slots stay small as the tail moves on.
  const uint32_t first = slots_.front();
  if (first == 0) return;
  for (uint32_t& slot : slots_) slot -= first;
  base_ += static_cast<int64_t>(first) * unit_;
}

void RawTail::Release() {
  *this = RawTail(type_);
}

size_t RawTail::memory_bytes() const {
  return slots_.capacity() * sizeof(uint32_t) + wide_ts_.capacity() * sizeof(int64_t) +
         status_.capacity() * sizeof(uint32_t) + values_.capacity() * sizeof(uint64_t) +
         str_.capacity() * sizeof(std::string);
}

}  // namespace zhizao::storage
