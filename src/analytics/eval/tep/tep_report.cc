// RunTepEval: the printed report of `zhizao eval tep`.
#include <cstdio>
#include <string>

#include "analytics/eval/tep/tep_eval.h"

namespace zhizao::analytics::eval::tep {
namespace {

// Yin et al. 2012, Table (faults 1–15) as given in ../shared/data/tep/README.md.
constexpr double kYinPublished[16] = {0, 99.88, 98.75, 12.88, 100, 33.63, 100, 100, 98.0,
                                      8.38, 60.5, 78.88, 99.13, 95.38, 100, 14.13};
constexpr double kYinPublishedFar = 6.13;

std::string Fixed(double v, int digits = 3) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

void Header(std::ostream& out) {
  out << "| detector |";
  for (int f = 1; f <= kFaults; ++f) out << ' ' << f << " |";
  out << " mean (18) | FAR |\n|---|";
  for (int f = 0; f <= kFaults + 1; ++f) out << "---|";
  out << '\n';
}

void Row(std::ostream& out, const DetectorRates& r) {
  out << "| " << r.name << " |";
  for (int f = 1; f <= kFaults; ++f) out << ' ' << Fixed(r.fdr[static_cast<size_t>(f)]) << " |";
  out << ' ' << Fixed(r.mean_fdr) << " | " << Fixed(r.far) << " |\n";
}

void Published(std::ostream& out) {
  out << "| PCA T2 or SPE (Yin 2012, published) |";
  for (int f = 1; f <= kFaults; ++f) out << ' ' << (f <= 15 ? Fixed(kYinPublished[f], 2) : std::string("")) << " |";
  out << " 81.3 | " << Fixed(kYinPublishedFar, 2) << " |\n";
}

}  // namespace

int RunTepEval(const TepEvalOptions& options, std::ostream& out) {
  auto data = LoadTep(options.data_dir);
  if (!data.ok()) {
    out << "error: " << data.status().ToString() << '\n';
    return 1;
  }
  auto results = EvaluateTep(*data, DefaultDetectors());
  if (!results.ok()) {
    out << "error: " << results.status().ToString() << '\n';
    return 1;
  }
  out << "## Tennessee Eastman: FDR % per fault (samples 161-960 of dXX_te), trained on d00.dat\n\n"
      << "### Yin et al. 2012 (PCA k=9, 33 variables, 99 % limits)\n\n";
  Header(out);
  Published(out);
  Row(out, results->yin_reproduced);
  out << "\n### At the literature's ROC point (49 of 800 d00_te samples alarm, FAR 6.125 %)\n\n";
  Header(out);
  for (const DetectorRates& r : results->at_roc_point) Row(out, r);
  out << "\n### Deployable: threshold from d00.dat alone (5-fold blocked cross-validation, 99 %)\n\n";
  Header(out);
  for (const DetectorRates& r : results->deployable) Row(out, r);
  out << "\n### Theoretical 99 % limits (for reference)\n\n";
  Header(out);
  for (const DetectorRates& r : results->theoretical) Row(out, r);
  return 0;
}

}  // namespace zhizao::analytics::eval::tep
