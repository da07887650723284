#include "analytics/detect/dspot.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace zhizao::analytics::detect {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr uint32_t kRefresh = 256;
}  // namespace

Dspot::Dspot(const DspotOptions& options) : opt_(options) {
  opt_.depth = std::clamp(opt_.depth, 1, kMaxDepth);
  opt_.calibration = std::max(opt_.calibration, 16);
  window_.assign(static_cast<size_t>(opt_.depth), 0.0);
}

void Dspot::PushNormal(double x) {
  sum_ += x - (filled_ == opt_.depth ? window_[static_cast<size_t>(head_)] : 0.0);
  window_[static_cast<size_t>(head_)] = x;
  head_ = (head_ + 1) % opt_.depth;
  filled_ = std::min(filled_ + 1, opt_.depth);
  if (head_ == 0) {  // re-add exactly once per wrap so that rounding does not accumulate
    sum_ = 0;
    for (int i = 0; i < filled_; ++i) sum_ += window_[static_cast<size_t>(i)];
  }
}

void Dspot::RefreshBounds() {
  bound_up_ = up_.Bound(peaks_up_, n_, opt_.risk);
  bound_down_ = down_.Bound(peaks_down_, n_, opt_.risk);
  since_refresh_ = 0;
}

void Dspot::Calibrate() {
  std::vector<double> sorted = pending_;
  std::sort(sorted.begin(), sorted.end());
  const auto n = sorted.size();
  const auto hi = std::min(n - 1, static_cast<size_t>(opt_.level * static_cast<double>(n)));
  const auto lo = n - 1 - hi;
  up_.t = sorted[hi];
  down_.t = -sorted[lo];
  for (double r : pending_) {
    if (r > up_.t) {
      up_.tail.AddExcess(r - up_.t);
      ++peaks_up_;
    }
    if (-r > down_.t) {
      down_.tail.AddExcess(-r - down_.t);
      ++peaks_down_;
    }
  }
  n_ = static_cast<double>(n);
  pending_.clear();
  pending_.shrink_to_fit();
  calibrated_ = true;
  RefreshBounds();
}

double Dspot::Side::Bound(double peaks, double n, double risk) const {
  if (peaks <= 0) return t;
  const double p = std::min(1.0, risk * n / peaks);
  return t + tail.Quantile(p);
}

double Dspot::Side::Score(double r, double peaks, double n, double risk) const {
  if (r <= t || peaks <= 0) return r > t ? 1.0 : 0.0;
  const double p = peaks / n * tail.Survival(r - t);
  if (p <= 0) return 1.0;
  return std::clamp(0.5 * std::log(p) / std::log(risk), 0.0, 1.0);
}

double Dspot::ScoreSide(Side& side, double& peaks, double r) {
  if (r <= side.t) return 0;
  const double score = side.Score(r, peaks, n_, opt_.risk);
  if (score < 0.5) {
    side.tail.AddExcess(r - side.t);
    ++peaks;
    since_refresh_ = kRefresh;  // the fit changed
  }
  return score;
}

double Dspot::Update(double x) {
  if (filled_ < opt_.depth) {
    PushNormal(x);
    return 0;
  }
  const double r = x - Mean();
  if (!calibrated_) {
    // Room for exactly the calibration residuals (growth by doubling could leave up to twice).
    if (pending_.size() == pending_.capacity()) pending_.reserve(static_cast<size_t>(opt_.calibration));
    pending_.push_back(r);
    PushNormal(x);
    if (static_cast<int>(pending_.size()) >= opt_.calibration) Calibrate();
    return 0;
  }
  const double score = std::max(ScoreSide(up_, peaks_up_, r), ScoreSide(down_, peaks_down_, -r));
  // An alarm does not move the drift average (Siffer et al.), unless alarms persist for a whole
  // window: then the level has shifted, and the new level becomes the reference.
  run_ = score < 0.5 ? 0 : run_ + 1;
  if (score < 0.5 || run_ >= static_cast<uint32_t>(opt_.depth)) {
    PushNormal(x);
    n_ += 1;
  }
  if (++since_refresh_ >= kRefresh) RefreshBounds();
  return score;
}

double Dspot::upper_bound() const {
  return calibrated_ ? Mean() + bound_up_ : kNaN;
}

double Dspot::lower_bound() const {
  return calibrated_ ? Mean() - bound_down_ : kNaN;
}

void Dspot::Save(StateWriter& w) const {
  // The format keeps kMaxDepth slots whatever the depth; those past it are always 0.
  for (int i = 0; i < kMaxDepth; ++i) w.F64(i < opt_.depth ? window_[static_cast<size_t>(i)] : 0.0);
  w.U32(static_cast<uint32_t>(filled_));
  w.U32(static_cast<uint32_t>(head_));
  w.U32(static_cast<uint32_t>(pending_.size()));
  for (double r : pending_) w.F64(r);
  w.U8(calibrated_ ? 1 : 0);
  for (const Side* s : {&up_, &down_}) {
    w.F64(s->t);
    s->tail.Save(w);
  }
  w.F64(n_);
  w.F64(peaks_up_);
  w.F64(peaks_down_);
  w.U32(run_);
  w.F64(sum_);
  w.F64(bound_up_);
  w.F64(bound_down_);
  w.U32(since_refresh_);
}

bool Dspot::Load(StateReader& r) {
  for (int i = 0; i < kMaxDepth; ++i) {
    double v = 0;
    if (!r.F64(v) || !std::isfinite(v)) return false;
    if (i < opt_.depth) window_[static_cast<size_t>(i)] = v;  // slots past the depth are never read
  }
  uint32_t filled = 0, head = 0, pending = 0;
  if (!r.U32(filled) || !r.U32(head) || !r.U32(pending)) return false;
  const auto depth = static_cast<uint32_t>(opt_.depth);
  if (filled > depth || head >= depth || pending > static_cast<uint32_t>(opt_.calibration)) return false;
  if (pending * sizeof(double) > r.remaining()) return false;
  filled_ = static_cast<int>(filled);
  head_ = static_cast<int>(head);
  pending_.assign(pending, 0.0);
  for (double& v : pending_)
    if (!r.F64(v)) return false;
  uint8_t cal = 0;
  if (!r.U8(cal) || cal > 1) return false;
  calibrated_ = cal == 1;
  for (Side* s : {&up_, &down_})
    if (!r.F64(s->t) || !std::isfinite(s->t) || !s->tail.Load(r)) return false;
  return r.F64(n_) && r.F64(peaks_up_) && r.F64(peaks_down_) && r.U32(run_) && r.F64(sum_) && r.F64(bound_up_) &&
         r.F64(bound_down_) && r.U32(since_refresh_) && std::isfinite(sum_) && n_ >= 0 && peaks_up_ >= 0 && peaks_down_ >= 0;
}

}  // namespace zhizao::analytics::detect
