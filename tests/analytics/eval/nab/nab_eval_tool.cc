// Runs the NAB evaluation by hand (not a ctest): nab_eval_tool [DATA_DIR] [--per-file]
// Sensitivity and ablation runs: --warmup N (context warm-up), --rest-min M (rest after an
// alarm, minutes), --enabled MASK (DetectorBit set), and for the context detector --lik 0|1
// (likelihood stage), --scales N, --levels N, --res N, --order N, --table-bits N, --short N, --long N,
// --min-samples N, --alarm-p P. --dump prints the windows and the detections of every file at
// the standard profile's threshold (or at $NAB_DUMP_MIN when set), with the detector that fired.
// --digest prints a checksum of every Verdict of the monitor over the corpus (score, onset, fired,
// top, expected range, bit for bit): equal digests prove a change left the detectors' output
// identical (docs/analytics/nab.md).
// DATA_DIR defaults to $ZZ_SHARED_DATA/nab or <source>/../shared/data/nab.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "analytics/eval/nab/nab_eval.h"

namespace {
// --dump: per file, the windows and the rows detected at the standard profile's best threshold,
// with the detector that fired (a diagnostic, e.g. to see which windows are missed).
int Dump(const zhizao::analytics::eval::nab::NabEvalOptions& options) {
  namespace nab = zhizao::analytics::eval::nab;
  auto result = nab::EvaluateNab(options);
  auto files = nab::LoadNabCorpus(options.data_dir);
  if (!result.ok() || !files.ok()) return 1;
  const char* floor = std::getenv("NAB_DUMP_MIN");
  const double threshold = floor ? std::atof(floor) : result->sweeps[0].threshold;
  for (const auto& f : *files) {
    std::cout << f.name << " rows " << f.values.size() << " probation " << nab::ProbationRows(f.values.size())
              << "\n  windows:";
    for (const auto& w : f.windows) std::cout << " [" << w.first << "," << w.last << "]";
    std::cout << "\n  detections:";
    std::vector<uint32_t> top;
    const std::vector<double> scores = nab::NabRowScores(f, options, &top);
    for (size_t i = 0; i < scores.size(); ++i)
      if (scores[i] >= threshold) std::cout << " " << i << ":" << top[i] << ":" << scores[i];
    std::cout << "\n";
  }
  std::cout << "threshold " << threshold << "\n";
  return 0;
}

uint64_t Fnv(uint64_t h, const void* data, size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < size; ++i) h = (h ^ bytes[i]) * 0x100000001b3ULL;
  return h;
}

// --digest: FNV-1a over every field of every Verdict, file by file, in corpus order.
int Digest(const zhizao::analytics::eval::nab::NabEvalOptions& options) {
  namespace nab = zhizao::analytics::eval::nab;
  auto files = nab::LoadNabCorpus(options.data_dir);
  if (!files.ok()) {
    std::cout << "error: " << files.status().ToString() << "\n";
    return 1;
  }
  uint64_t h = 0xcbf29ce484222325ULL;
  size_t rows = 0;
  for (const auto& f : *files) {
    zhizao::analytics::detect::TagMonitor monitor(options.monitor);
    for (size_t i = 0; i < f.values.size(); ++i, ++rows) {
      const auto v = monitor.Update(f.ts_ns[i], f.values[i]);
      for (double d : {v.score, v.onset, v.expected_low, v.expected_high}) h = Fnv(h, &d, sizeof d);
      h = Fnv(h, &v.fired, sizeof v.fired);
      h = Fnv(h, &v.top, sizeof v.top);
    }
  }
  std::printf("digest %016llx over %zu rows\n", static_cast<unsigned long long>(h), rows);
  return 0;
}
}  // namespace

int main(int argc, char** argv) {
  zhizao::analytics::eval::nab::NabEvalOptions options;
  const char* env = std::getenv("ZZ_SHARED_DATA");
  options.data_dir = std::string(env ? env : ZZ_DEFAULT_SHARED_DATA) + "/nab";
  bool dump = false, digest = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--per-file") == 0) {
      options.per_file = true;
    } else if (std::strcmp(argv[i], "--warmup") == 0 && i + 1 < argc) {
      options.monitor.context.warmup = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--dump") == 0) {
      dump = true;
    } else if (std::strcmp(argv[i], "--digest") == 0) {
      digest = true;
    } else if (std::strcmp(argv[i], "--lik") == 0 && i + 1 < argc) {
      options.monitor.context.likelihood = std::atoi(argv[++i]) != 0;
    } else if (std::strcmp(argv[i], "--min-samples") == 0 && i + 1 < argc) {
      options.monitor.context.lik.min_samples = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--long") == 0 && i + 1 < argc) {
      options.monitor.context.lik.long_window = std::atof(argv[++i]);
    } else if (std::strcmp(argv[i], "--scales") == 0 && i + 1 < argc) {
      options.monitor.context.scales = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--short") == 0 && i + 1 < argc) {
      options.monitor.context.lik.short_window = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--alarm-p") == 0 && i + 1 < argc) {
      options.monitor.context.lik.alarm_p = std::atof(argv[++i]);
    } else if (std::strcmp(argv[i], "--levels") == 0 && i + 1 < argc) {
      options.monitor.context.levels = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--res") == 0 && i + 1 < argc) {
      options.monitor.context.resolutions = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--table-bits") == 0 && i + 1 < argc) {
      options.monitor.context.table_bits = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--order") == 0 && i + 1 < argc) {
      options.monitor.context.max_order = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--rest-min") == 0 && i + 1 < argc) {
      options.rest_ns = static_cast<int64_t>(std::atof(argv[++i]) * 60e9);
    } else if (std::strcmp(argv[i], "--enabled") == 0 && i + 1 < argc) {
      options.monitor.enabled = static_cast<uint32_t>(std::strtoul(argv[++i], nullptr, 0));
    } else {
      options.data_dir = argv[i];
    }
  }
  if (dump) return Dump(options);
  if (digest) return Digest(options);
  return zhizao::analytics::eval::nab::RunNabEval(options, std::cout);
}
