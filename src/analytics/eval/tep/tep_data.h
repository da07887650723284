// Loading the Tennessee Eastman data of Braatz (../shared/data/tep/README.md).
//
// Thread-safe (no shared state). Errors: kNotFound for a missing file, kInvalidArgument for a
// file that is not a whitespace-separated numeric table of 52 columns (or 52 rows, for d00.dat).
#pragma once

#include <string>
#include <vector>

#include "analytics/multivariate/matrix.h"
#include "common/status.h"

namespace zhizao::analytics::eval::tep {

using multivariate::RowMatrix;

inline constexpr int kFaults = 21;
inline constexpr size_t kFaultStart = 160;  // test runs: the fault acts from sample 161 (index 160)

struct TepData {
  RowMatrix train_normal;            // d00.dat, transposed to 500 × 52
  std::vector<RowMatrix> test;       // d00_te … d21_te, 960 × 52 each (index = fault number)
  std::vector<RowMatrix> train_fault;  // d01 … d21 (index = fault number; [0] empty)
};

// Reads one file; transposes it when it has 52 rows and more columns (d00.dat).
Result<RowMatrix> LoadTepFile(const std::string& path);
Result<TepData> LoadTep(const std::string& dir);

// The 33 variables of Yin et al. 2012: XMEAS 1–22 and XMV 1–11 (columns 0–21 and 41–51).
RowMatrix SelectYinVariables(const RowMatrix& all);
std::vector<std::string> YinVariableNames();

// The faults averaged in the literature: 1–21 without 3, 9 and 15.
bool InMean(int fault);

}  // namespace zhizao::analytics::eval::tep
