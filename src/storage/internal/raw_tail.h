// The raw tail of a head's open chunk: samples not yet encoded into a block, in time order.
//
// Every series holds up to a block and a little more of them (160 samples), and a write of
// 100,000 series fills all their tails at once: their bytes per sample are the head's memory.
// So each column takes a narrow form while its values allow, and a wide one otherwise:
//   - timestamps: 16- or 32-bit multiples of a unit from a base (a series stamped on a regular
//     period takes 2 bytes a sample, one with millisecond or 100 ns ticks 4), else int64;
//   - numbers: 16- or 32-bit decimal mantissas under one exponent, m / 10^e, kept only where
//     that division gives back the very double written (PLC values with a few decimals take 2
//     bytes; integers and bools that fit too), else the 64-bit value;
//   - statuses: none while every sample is Good (most series, always).
// A column goes back to its narrow form once what remains allows. The buffers grow from 8
// samples, so that a series written a few times stays small.
//
// Not thread-safe: owned by its SeriesHead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/batch.h"
#include "storage/encoding/series_samples.h"
#include "storage/internal/two_width_column.h"

namespace zhizao::storage {

class RawTail {
 public:
  explicit RawTail(DataType type) : type_(type) {}

  size_t size() const { return wide_ts_ ? times_.size() : slots_.size(); }
  int64_t ts(size_t i) const { return wide_ts_ ? times_[i] : base_ + static_cast<int64_t>(slots_[i]) * unit_; }
  // REQUIRES: size() > 0.
  int64_t front_ts() const { return ts(0); }
  int64_t back_ts() const { return ts(size() - 1); }

  // Appends a sample. REQUIRES: size() == 0 or ts > back_ts(); value.type() is the tail's type.
  void PushBack(int64_t ts, const Value& value, std::string_view str, uint32_t status);
  // PushBack's common case, in few branches: a Good double on the next tick that the columns
  // hold in the form and buffers they have. False, with nothing changed, for anything else.
  // What it appends allocates nothing, so memory_bytes() stays as it was.
  bool TryPushNextTick(int64_t ts, const Value& value, uint32_t status);
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
  // Puts a sample whose timestamp is not held at index i.
  void Place(size_t i, int64_t ts, const Value& value, std::string_view str, uint32_t status);
  void GrowIfFull();
  void Reserve(size_t n);

  // Timestamps. AdmitTime makes `ts` representable, changing base or unit, or widening.
  void AdmitTime(int64_t ts);
  // Whether ts is the slot after the newest, in the narrow form: appended with no division.
  bool IsNextTick(int64_t ts) const;
  void WidenTimes();
  void TryNarrowTimes();
  size_t LowerBound(int64_t ts) const;

  // Numbers. MantissaOf gives the value's mantissa at the tail's exponent, raising the exponent
  // (and rescaling every mantissa) when the value needs more digits; nullopt when a 32-bit
  // mantissa cannot hold it exactly.
  std::optional<int32_t> MantissaOf(const Value& value);
  void SetNumber(size_t i, const Value& value, bool insert);
  void WidenNumbers();
  void TryNarrowNumbers();
  uint64_t NumberBits(size_t i) const;  // a double's bits, an int64, a bool as 0/1
  uint64_t Bits(const Value& value) const;

  void CopySample(size_t i, SeriesSamples* out) const;

  DataType type_;
  size_t capacity_ = 0;  // samples every column has room for
  // Timestamps: slots_ (base_ + slot * unit_), or times_ when wide_ts_.
  bool wide_ts_ = false;
  int64_t base_ = 0;  // the timestamp of slot 0
  int64_t unit_ = 0;  // ns per slot; 0 while one timestamp is held
  TwoWidthColumn<uint32_t, uint16_t> slots_;
  std::vector<int64_t> times_;
  // Numbers: mantissas_ (m / 10^exponent_ for doubles, m for integers), or wide_ when wide_numbers_.
  bool wide_numbers_ = false;
  int exponent_ = 0;
  TwoWidthColumn<int32_t, int16_t> mantissas_;
  std::vector<uint64_t> wide_;
  std::vector<std::string> str_;  // kString
  std::vector<uint32_t> status_;  // empty while every sample is Good
};

}  // namespace zhizao::storage
