#include "analytics/detect/context_detector.h"

#include <algorithm>
#include <cmath>

namespace zhizao::analytics::detect {
namespace {
// Bins beyond the warm-up range are kept, up to this many widths away, then merged.
constexpr int32_t kOutsideBins = 64;
// A pattern new only in its longer contexts stays below the alarm level (0.5): on noisy data
// such patterns are common; a transition between two levels never seen before is not.
constexpr double kHigherOrderWeight = 0.3;
constexpr double kFineWeight = 0.45;

uint64_t Mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h *= 0xff51afd7ed558ccdULL;
  return h ^ (h >> 33);
}
}  // namespace

ContextDetector::ContextDetector(const ContextOptions& options) : opt_(options) {
  opt_.warmup = std::max(opt_.warmup, 2);
  opt_.levels = std::clamp(opt_.levels, 2, 1024);
  opt_.max_order = std::clamp(opt_.max_order, 1, kMaxOrder);
  opt_.resolutions = std::clamp(opt_.resolutions, 1, kMaxResolutions);
}

ContextDetector::Bins ContextDetector::Bin(double x) const {
  // One floor at the finest resolution; each coarser one halves it (an arithmetic shift is a
  // floor division by 2 for negative bins too).
  const int finest = opt_.resolutions - 1;
  const double per = static_cast<double>(1 << finest);
  const double lim = static_cast<double>(kOutsideBins + opt_.levels) * per;
  const auto fine = static_cast<int32_t>(std::clamp(std::floor((x - origin_) / width_ * per), -lim, lim));
  Bins bins{};
  for (int r = 0; r <= finest; ++r) bins[static_cast<size_t>(r)] = fine >> (finest - r);
  return bins;
}

void ContextDetector::FixBins() {
  const auto [lo, hi] = std::minmax_element(warm_.begin(), warm_.end());
  origin_ = *lo;
  const double span = *hi - *lo;
  // A constant warm-up gets bins of a relative width, so that later changes still register.
  const double floor = 1e-6 * std::max(1.0, std::fabs(*lo));
  width_ = std::max(span / opt_.levels * (1 + 1e-9), floor);
  ready_ = true;
  for (double v : warm_) Learn(Bin(v));
  warm_.clear();
  warm_.shrink_to_fit();
}

int ContextDetector::Novelty(int r, int32_t bin) {
  int novelty = 0;
  uint64_t ctx = Mix(0x5bd1e995u, static_cast<uint64_t>(r));
  const int orders = std::min(known_, opt_.max_order);
  for (int k = 1; k <= orders; ++k) {
    const int32_t prev = history_[static_cast<size_t>(k - 1)][static_cast<size_t>(r)];
    ctx = Mix(ctx, static_cast<uint64_t>(static_cast<uint32_t>(prev)));
    const uint64_t key = Mix(Mix(ctx, static_cast<uint64_t>(k)), static_cast<uint64_t>(static_cast<uint32_t>(bin)) + 1);
    uint8_t& seen = Slot(key);
    if (seen == 0) novelty += k == 1 ? 1 : 2;
    if (seen < 255) ++seen;
  }
  return novelty;
}

double ContextDetector::Learn(const Bins& bins) {
  const int orders = std::min(known_, opt_.max_order);
  double score = 0;
  for (int r = 0; r < opt_.resolutions; ++r) {
    const int novelty = Novelty(r, bins[static_cast<size_t>(r)]);
    if (novelty & 1) {
      score = std::max(score, r == 0 ? 1.0 : kFineWeight * (opt_.resolutions - r) / (opt_.resolutions - 1));
    } else if (orders > 1) {
      score = std::max(score, kHigherOrderWeight * (novelty / 2) / (orders - 1) / (r + 1));
    }
  }
  for (int i = kMaxOrder - 1; i > 0; --i) history_[static_cast<size_t>(i)] = history_[static_cast<size_t>(i - 1)];
  history_[0] = bins;
  known_ = std::min(known_ + 1, kMaxOrder);
  return score;
}

double ContextDetector::Update(double x) {
  if (!ready_) {
    warm_.push_back(x);
    if (static_cast<int>(warm_.size()) >= opt_.warmup) FixBins();
    return 0;
  }
  return Learn(Bin(x));
}

void ContextDetector::Save(StateWriter& w) const {
  w.U32(static_cast<uint32_t>(warm_.size()));
  for (double v : warm_) w.F64(v);
  w.U8(ready_ ? 1 : 0);
  w.F64(origin_);
  w.F64(width_);
  for (const Bins& bins : history_)
    for (int32_t b : bins) w.U32(static_cast<uint32_t>(b));
  w.U32(static_cast<uint32_t>(known_));
  w.Bytes(table_.data(), sizeof table_);
}

bool ContextDetector::Load(StateReader& r) {
  uint32_t warm = 0;
  if (!r.U32(warm) || warm >= static_cast<uint32_t>(opt_.warmup) || warm * sizeof(double) > r.remaining())
    return false;
  warm_.assign(warm, 0.0);
  for (double& v : warm_)
    if (!r.F64(v) || !std::isfinite(v)) return false;
  uint8_t ready = 0;
  if (!r.U8(ready) || ready > 1 || !r.F64(origin_) || !r.F64(width_)) return false;
  ready_ = ready == 1;
  if (!std::isfinite(origin_) || !(width_ > 0) || !std::isfinite(width_)) return false;
  for (Bins& bins : history_) {
    for (int32_t& b : bins) {
      uint32_t u = 0;
      if (!r.U32(u)) return false;
      b = static_cast<int32_t>(u);
    }
  }
  uint32_t known = 0;
  if (!r.U32(known) || known > static_cast<uint32_t>(kMaxOrder)) return false;
  known_ = static_cast<int>(known);
  return r.Bytes(table_.data(), sizeof table_) && (ready_ || warm_.size() < static_cast<size_t>(opt_.warmup));
}

}  // namespace zhizao::analytics::detect
