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
constexpr uint64_t kLevelSeed = 0x27d4eb2f165667c5ULL;  // hash seed of the order-0 (level) keys

// kInverse[c] = 1 / (1 + c) for the saturating counters (a table: no division per pair).
constexpr std::array<double, 256> kInverse = [] {
  std::array<double, 256> t{};
  for (size_t c = 0; c < t.size(); ++c) t[c] = 1.0 / (1.0 + static_cast<double>(c));
  return t;
}();

uint64_t Mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h *= 0xff51afd7ed558ccdULL;
  return h ^ (h >> 33);
}
}  // namespace

ContextDetector::ContextDetector(const ContextOptions& options) : opt_(options), likelihood_(options.lik) {
  opt_.warmup = std::max(opt_.warmup, 2);
  opt_.levels = std::clamp(opt_.levels, 2, 1024);
  opt_.max_order = std::clamp(opt_.max_order, 1, kMaxOrder);
  opt_.scales = std::clamp(opt_.scales, 0, kMaxScales);
  opt_.resolutions = std::clamp(opt_.resolutions, 1, kMaxResolutions);
  opt_.table_bits = std::clamp(opt_.table_bits, kMinTableBits, kMaxTableBits);
  table_mask_ = (size_t{1} << opt_.table_bits) - 1;
  scales_.resize(static_cast<size_t>(opt_.scales));
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
  table_.assign(table_size(), 0);
  const auto [lo, hi] = std::minmax_element(warm_.begin(), warm_.end());
  origin_ = *lo;
  const double span = *hi - *lo;
  // A constant warm-up gets bins of a relative width, so that later changes still register.
  const double floor = 1e-6 * std::max(1.0, std::fabs(*lo));
  width_ = std::max(span / opt_.levels * (1 + 1e-9), floor);
  ready_ = true;
  for (double v : warm_) Learn(v);
  warm_.clear();
  warm_.shrink_to_fit();
}

int ContextDetector::Novelty(const Memory& m, uint64_t seed, int r, int32_t bin, double& fresh) {
  int novelty = 0;
  uint64_t ctx = Mix(seed, static_cast<uint64_t>(r));
  const int orders = std::min(m.known, opt_.max_order);
  for (int k = 1; k <= orders; ++k) {
    const int32_t prev = m.history[static_cast<size_t>(k - 1)][static_cast<size_t>(r)];
    ctx = Mix(ctx, static_cast<uint64_t>(static_cast<uint32_t>(prev)));
    const uint64_t key = Mix(Mix(ctx, static_cast<uint64_t>(k)), static_cast<uint64_t>(static_cast<uint32_t>(bin)) + 1);
    uint8_t& seen = Slot(key);
    if (seen == 0) novelty += k == 1 ? 1 : 2;
    // A pair seen c times before is new with a chance of about 1 / (1 + c) (add-one estimate):
    // rare transitions count as partly new, not as known after a single visit.
    fresh += kInverse[seen];
    if (seen < 255) ++seen;
  }
  return novelty;
}

void ContextDetector::Push(Memory& m, const Bins& bins) {
  for (int i = kMaxOrder - 1; i > 0; --i) m.history[static_cast<size_t>(i)] = m.history[static_cast<size_t>(i - 1)];
  m.history[0] = bins;
  m.known = std::min(m.known + 1, kMaxOrder);
}

ContextDetector::Step ContextDetector::Learn(double x) {
  const Bins bins = Bin(x);
  const int orders = std::min(fast_.known, opt_.max_order);
  Step step;
  // Order 0 at the coarsest resolution: has this level ever been visited (HTM's "spatial
  // anomaly": a value beyond everything seen so far)?
  uint8_t& level = Slot(Mix(kLevelSeed, static_cast<uint64_t>(static_cast<uint32_t>(bins[0]))));
  step.new_level = level == 0;
  if (level < 255) ++level;
  double fresh = 0;
  for (int r = 0; r < opt_.resolutions; ++r) {
    const int novelty = Novelty(fast_, 0x5bd1e995u, r, bins[static_cast<size_t>(r)], fresh);
    if (novelty & 1) {
      step.rule = std::max(step.rule, r == 0 ? 1.0 : kFineWeight * (opt_.resolutions - r) / (opt_.resolutions - 1));
    } else if (orders > 1) {
      step.rule = std::max(step.rule, kHigherOrderWeight * (novelty / 2) / (orders - 1) / (r + 1));
    }
  }
  Push(fast_, bins);
  step.raw = orders > 0 ? fresh / (orders * opt_.resolutions) : 0.0;
  // Coarser time scales (Haar-like block means of 2, 4, ... samples): each block's bins are a
  // context sequence of its own; its novelty holds until the next block of that scale ends.
  double sum = step.raw;
  for (int s = 0; s < opt_.scales; ++s) {
    Scale& sc = scales_[static_cast<size_t>(s)];
    sc.sum += x;
    if (++sc.count >= (2 << s)) {
      const Bins sb = Bin(sc.sum / sc.count);
      sc.sum = 0;
      sc.count = 0;
      const int so = std::min(sc.memory.known, opt_.max_order);
      double sf = 0;
      for (int r = 0; r < opt_.resolutions; ++r)
        Novelty(sc.memory, 0x2545f491u + static_cast<uint64_t>(s), r, sb[static_cast<size_t>(r)], sf);
      Push(sc.memory, sb);
      sc.raw = so > 0 ? sf / (so * opt_.resolutions) : 0.0;
    }
    sum += sc.raw;
  }
  step.raw = sum / (1 + opt_.scales);
  return step;
}

double ContextDetector::Update(double x) {
  if (!ready_) {
    // Room for exactly the warm-up, not the 512 doubles that growth by doubling leaves for 300.
    if (warm_.size() == warm_.capacity()) warm_.reserve(static_cast<size_t>(opt_.warmup));
    warm_.push_back(x);
    if (static_cast<int>(warm_.size()) >= opt_.warmup) FixBins();
    return 0;
  }
  const Step step = Learn(x);
  if (!opt_.likelihood) return step.rule;
  const double unusual = likelihood_.Update(step.raw);
  return step.new_level ? 1.0 : unusual;
}

void ContextDetector::Save(StateWriter& w) const {
  w.U32(static_cast<uint32_t>(warm_.size()));
  for (double v : warm_) w.F64(v);
  w.U8(ready_ ? 1 : 0);
  w.F64(origin_);
  w.F64(width_);
  SaveMemory(w, fast_);
  if (table_.empty()) {
    w.Zeros(table_size());  // a table not allocated yet is all zeros
  } else {
    w.Bytes(table_.data(), table_.size());
  }
  likelihood_.Save(w);
  for (int s = 0; s < opt_.scales; ++s) {
    const Scale& sc = scales_[static_cast<size_t>(s)];
    SaveMemory(w, sc.memory);
    w.F64(sc.sum);
    w.U32(static_cast<uint32_t>(sc.count));
    w.F64(sc.raw);
  }
}

void ContextDetector::SaveMemory(StateWriter& w, const Memory& m) {
  for (const Bins& bins : m.history)
    for (int32_t b : bins) w.U32(static_cast<uint32_t>(b));
  w.U32(static_cast<uint32_t>(m.known));
}

bool ContextDetector::LoadMemory(StateReader& r, Memory& m) {
  for (Bins& bins : m.history) {
    for (int32_t& b : bins) {
      uint32_t u = 0;
      if (!r.U32(u)) return false;
      b = static_cast<int32_t>(u);
    }
  }
  uint32_t known = 0;
  if (!r.U32(known) || known > static_cast<uint32_t>(kMaxOrder)) return false;
  m.known = static_cast<int>(known);
  return true;
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
  if (!LoadMemory(r, fast_)) return false;
  // Before the warm-up ends the table is unused (FixBins starts it from zeros): not allocated.
  if (ready_) {
    table_.assign(table_size(), 0);
    if (!r.Bytes(table_.data(), table_.size())) return false;
  } else {
    table_.clear();
    if (!r.Skip(table_size())) return false;
  }
  if (!likelihood_.Load(r)) return false;
  if (!ready_ && warm_.size() >= static_cast<size_t>(opt_.warmup)) return false;
  for (int s = 0; s < opt_.scales; ++s) {
    Scale& sc = scales_[static_cast<size_t>(s)];
    uint32_t count = 0;
    if (!LoadMemory(r, sc.memory) || !r.F64(sc.sum) || !r.U32(count) || !r.F64(sc.raw)) return false;
    // A block in progress holds fewer than its 2^(s+1) samples; values are clamped to +-1e100.
    if (count >= (2u << s) || !std::isfinite(sc.sum) || !(sc.raw >= 0 && sc.raw <= 1)) return false;
    sc.count = static_cast<int>(count);
  }
  return true;
}

}  // namespace zhizao::analytics::detect
