// The raw tail of a head's open chunk: samples not yet encoded into a block, in time order.
//
// Every series holds up to a block and a little more of them (160 samples), and a write of
// 100,000 series fills all their tails at once: their bytes per sample are the head's memory.
// So timestamps are kept as 32-bit multiples of a unit from a base while they fit — a series
// stamped on a regular period, or with millisecond or 100 ns ticks of a clock, takes 4 bytes a
// sample, not 8 — and as int64 otherwise; statuses only once one is not Good (most never are);
// and the buffers grow from 8 samples, so that a series written a few times stays small.
//
// Not thread-safe: owned by its SeriesHead.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/batch.h"
#include "storage/encoding/series_samples.h"

namespace zhizao::storage {

class RawTail {
 public:
  explicit RawTail(DataType type) : type_(type) {}

  size_t size() const { return values_.size() + str_.size(); }
  int64_t ts(size_t i) const { return wide_ ? wide_ts_[i] : base_ + static_cast<int64_t>(slots_[i]) * unit_; }
  // REQUIRES: size() > 0.
  int64_t front_ts() const { return ts(0); }
  int64_t back_ts() const { return ts(size() - 1); }

  // Appends a sample. REQUIRES: size() == 0 or ts > back_ts(); value.type() is the tail's type.
  void PushBack(int64_t ts, const Value& value, std::string_view str, uint32_t status);
  // Puts a sample in time order: a timestamp held already takes the new value and status.
  void Insert(int64_t ts, const Value& value, std::string_view str, uint32_t status);

  // Appends samples [0, n) to `out`, with a status each. REQUIRES: n <= size(); out->type is the tail's type.
  void CopyPrefix(size_t n, SeriesSamples* out) const;
  // Appends the samples with from <= ts <= to to `out`, with a status each.
  void CopyRange(int64_t from, int64_t to, SeriesSamples* out) const;
  // Removes samples [0, n). REQUIRES: n <= size().
  void DropPrefix(size_t n);
  // Removes every sample and frees the buffers.
  void Release();

  size_t memory_bytes() const;

 private:
  // Makes `ts` representable by the current timestamps' form, changing base or unit, or going
  // to int64 when a 32-bit multiple cannot hold it.
  void Admit(int64_t ts);
  void Widen();
  // After samples left: back to 32-bit multiples if what remains allows.
  void TryNarrow();
  void Reserve(size_t n);
  void GrowIfFull();
  void PutTime(size_t i, int64_t ts);  // REQUIRES: Admit(ts) was called
  // Puts a sample whose timestamp is not held at index i.
  void Place(size_t i, int64_t ts, const Value& value, std::string_view str, uint32_t status);
  size_t LowerBound(int64_t ts) const;
  void CopySample(size_t i, SeriesSamples* out) const;
  uint64_t Bits(const Value& value) const;

  DataType type_;
  bool wide_ = false;     // timestamps in wide_ts_, not as slots
  int64_t base_ = 0;      // the timestamp of slot 0
  int64_t unit_ = 0;      // ns per slot; 0 while one timestamp is held
  std::vector<uint32_t> slots_;
  std::vector<int64_t> wide_ts_;
  std::vector<uint32_t> status_;  // empty while every sample is Good
  std::vector<uint64_t> values_;  // numeric types: a double's bits, an int64, a bool as 0/1
  std::vector<std::string> str_;  // kString
};

}  // namespace zhizao::storage
