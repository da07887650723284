#include "analytics/eval/nab/nab_scorer.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace zhizao::analytics::eval::nab {
namespace {

double Sigmoid(double x) { return 1 / (1 + std::exp(-x)); }
double ScaledSigmoid(double y) { return 2 * Sigmoid(-5 * y) - 1; }

// What a detection at one row is worth, before profile weights: a window index and its TP
// value in (0, 1], or no window (-1) and its FP factor in [-1, 0].
struct RowValue {
  long window = -1;
  double value = 0;
};

class RowValues {
 public:
  explicit RowValues(const NabLabels& labels) : labels_(labels) {}
  RowValue At(size_t i) {
    const auto& w = labels_.windows;
    while (next_ < w.size() && w[next_].last < i) ++next_;
    if (next_ < w.size() && w[next_].first <= i) {
      const double width = static_cast<double>(w[next_].last - w[next_].first + 1);
      const double y = -static_cast<double>(w[next_].last - i + 1) / width;
      return {static_cast<long>(next_), ScaledSigmoid(y) / ScaledSigmoid(-1)};
    }
    if (next_ == 0) return {-1, -1.0};
    const NabWindow& prev = w[next_ - 1];
    const double width = static_cast<double>(prev.last - prev.first + 1);
    return {-1, ScaledSigmoid(static_cast<double>(i - prev.last) / width)};
  }

 private:
  const NabLabels& labels_;
  size_t next_ = 0;
};

}  // namespace

const std::vector<NabProfile>& NabProfiles() {
  static const std::vector<NabProfile> kProfiles = {
      {"standard", 1, 0.11, 1}, {"reward_low_FP", 1, 0.22, 1}, {"reward_low_FN", 1, 0.11, 2}};
  return kProfiles;
}

size_t ProbationRows(size_t rows) { return std::min<size_t>(static_cast<size_t>(0.15 * static_cast<double>(rows)), 750); }

double Normalize(double raw, size_t windows, const NabProfile& p) {
  const double s_null = -static_cast<double>(windows) * p.a_fn;
  const double s_perfect = static_cast<double>(windows) * p.a_tp;
  return 100 * (raw - s_null) / (s_perfect - s_null);
}

double ScoreFile(const NabLabels& labels, const std::vector<bool>& detected, const NabProfile& p) {
  std::vector<double> best(labels.windows.size(), -1);
  double fp = 0;
  RowValues values(labels);
  for (size_t i = ProbationRows(labels.rows); i < labels.rows && i < detected.size(); ++i) {
    if (!detected[i]) continue;
    const RowValue v = values.At(i);
    if (v.window < 0) {
      fp += p.a_fp * v.value;
    } else {
      best[static_cast<size_t>(v.window)] = std::max(best[static_cast<size_t>(v.window)], v.value);
    }
  }
  double total = fp;
  for (double b : best) total += b < 0 ? -p.a_fn : p.a_tp * b;
  return total;
}

NabSweep SweepThreshold(const std::vector<NabLabels>& labels, const std::vector<std::vector<double>>& scores,
                        const NabProfile& p) {
  struct Row {
    double score;
    size_t window;  // global window index, or npos
    double value;
  };
  constexpr size_t kNone = std::numeric_limits<size_t>::max();
  std::vector<Row> rows;
  size_t windows = 0;
  for (size_t f = 0; f < labels.size(); ++f) {
    RowValues values(labels[f]);
    for (size_t i = ProbationRows(labels[f].rows); i < labels[f].rows; ++i) {
      const RowValue v = values.At(i);
      const double score = std::isnan(scores[f][i]) ? 0.0 : scores[f][i];  // NaN would break the sort
      rows.push_back({score, v.window < 0 ? kNone : windows + static_cast<size_t>(v.window), v.value});
    }
    windows += labels[f].windows.size();
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.score > b.score; });
  NabSweep best;
  best.s_null = -static_cast<double>(windows) * p.a_fn;
  best.s_perfect = static_cast<double>(windows) * p.a_tp;
  best.threshold = std::numeric_limits<double>::infinity();
  best.raw = best.s_null;
  std::vector<double> tp(windows, -1);
  double total = best.s_null;
  for (size_t i = 0; i < rows.size();) {
    const double threshold = rows[i].score;
    for (; i < rows.size() && rows[i].score == threshold; ++i) {
      const Row& r = rows[i];
      if (r.window == kNone) {
        total += p.a_fp * r.value;
      } else if (r.value > tp[r.window]) {
        total += tp[r.window] < 0 ? p.a_fn + p.a_tp * r.value : p.a_tp * (r.value - tp[r.window]);
        tp[r.window] = r.value;
      }
    }
    if (total > best.raw) {
      best.raw = total;
      best.threshold = threshold;
    }
  }
  best.normalized = Normalize(best.raw, windows, p);
  return best;
}

}  // namespace zhizao::analytics::eval::nab
