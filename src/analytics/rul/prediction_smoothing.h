// Averaging a unit's last few RUL predictions, each shifted by its age.
//
// A prediction made j cycles ago, p(t-j), said "p(t-j) cycles left then", i.e. p(t-j) - j now.
// Averaging count such estimates cuts the per-cycle noise of the regressor (tree ensembles jump
// between neighbouring leaves) without the lag a plain moving average would add on a falling
// RUL. Used by Model (TrainOptions::smooth) and by CrossValidate, so both score the same thing.
//
// Thread-safe (pure function).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace zhizao::analytics::rul {

// out[i] = mean over j in [0, count) with i - j >= 0 of values[i - j] - (cycles[i] - cycles[i - j]).
// Fewer than count earlier predictions: the ones that exist. count <= 1 returns values unchanged.
// REQUIRES: cycles.size() == values.size(), cycles increasing.
std::vector<double> ShiftedAverage(std::span<const int64_t> cycles, std::span<const double> values, int count);

}  // namespace zhizao::analytics::rul
