// A column of integers kept in `Narrow` (2 bytes) while every value fits, in `Wide` otherwise.
//
// The raw tail's slots and mantissas are small for most series (a regular series' slots run
// 0..160; a PLC value's mantissa is a few thousand), and 100,000 series hold up to 160 of each
// at once: half the bytes are half the head. A value that does not fit widens the column; it
// narrows again, on request, once what it holds fits.
//
// Not thread-safe: owned by its RawTail.
#pragma once

#include <cstddef>
#include <limits>
#include <type_traits>
#include <vector>

namespace zhizao::storage {

template <typename Wide, typename Narrow>
class TwoWidthColumn {
  static_assert(std::is_integral_v<Wide> && std::is_integral_v<Narrow> && sizeof(Narrow) < sizeof(Wide) &&
                std::is_signed_v<Wide> == std::is_signed_v<Narrow>);

 public:
  size_t size() const { return wide_form_ ? wide_.size() : narrow_.size(); }
  bool empty() const { return size() == 0; }
  Wide operator[](size_t i) const { return wide_form_ ? wide_[i] : static_cast<Wide>(narrow_[i]); }
  Wide front() const { return (*this)[0]; }
  Wide back() const { return (*this)[size() - 1]; }
  size_t capacity_bytes() const { return narrow_.capacity() * sizeof(Narrow) + wide_.capacity() * sizeof(Wide); }

  void reserve(size_t n) { wide_form_ ? wide_.reserve(n) : narrow_.reserve(n); }
  // Whether push_back(v) would keep the column's form (a widening reallocates).
  bool fits_as_is(Wide v) const { return wide_form_ || Fits(v); }

  void push_back(Wide v) {
    if (!wide_form_ && Fits(v)) return narrow_.push_back(static_cast<Narrow>(v));
    Widen();
    wide_.push_back(v);
  }

  void insert(size_t i, Wide v) {
    const auto at = static_cast<std::ptrdiff_t>(i);
    if (!wide_form_ && Fits(v)) {
      narrow_.insert(narrow_.begin() + at, static_cast<Narrow>(v));
      return;
    }
    Widen();
    wide_.insert(wide_.begin() + at, v);
  }

  void set(size_t i, Wide v) {
    if (!wide_form_ && Fits(v)) {
      narrow_[i] = static_cast<Narrow>(v);
      return;
    }
    Widen();
    wide_[i] = v;
  }

  // Replaces every value v with f(v).
  template <typename F>
  void Transform(F f) {
    for (size_t i = 0; i < size(); ++i) set(i, f((*this)[i]));
  }

  void erase_prefix(size_t n) {
    const auto end = static_cast<std::ptrdiff_t>(n);
    wide_form_ ? (void)wide_.erase(wide_.begin(), wide_.begin() + end)
               : (void)narrow_.erase(narrow_.begin(), narrow_.begin() + end);
  }

  // Empties the column: narrow again, keeping its buffer, or with room for `capacity` values.
  void Clear(size_t capacity) {
    wide_form_ ? wide_.clear() : narrow_.clear();
    TryNarrow(capacity);
  }

  // Empties the column and frees its buffers; it starts narrow again.
  void Release() { *this = TwoWidthColumn(); }

  // Back to the narrow form if every value held fits, with room for `capacity` values.
  void TryNarrow(size_t capacity) {
    if (!wide_form_) return;
    for (Wide v : wide_) {
      if (!Fits(v)) return;
    }
    std::vector<Narrow> narrow;
    narrow.reserve(capacity);
    for (Wide v : wide_) narrow.push_back(static_cast<Narrow>(v));
    narrow_ = std::move(narrow);
    std::vector<Wide>().swap(wide_);
    wide_form_ = false;
  }

 private:
  static bool Fits(Wide v) {
    constexpr auto kMax = static_cast<Wide>(std::numeric_limits<Narrow>::max());
    if constexpr (std::is_signed_v<Narrow>) {
      return v >= static_cast<Wide>(std::numeric_limits<Narrow>::min()) && v <= kMax;
    } else {
      return v <= kMax;
    }
  }

  void Widen() {
    if (wide_form_) return;
    wide_.reserve(narrow_.capacity());
    for (Narrow v : narrow_) wide_.push_back(static_cast<Wide>(v));
    std::vector<Narrow>().swap(narrow_);
    wide_form_ = true;
  }

  bool wide_form_ = false;
  std::vector<Narrow> narrow_;
  std::vector<Wide> wide_;
};

}  // namespace zhizao::storage
