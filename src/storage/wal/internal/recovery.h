// Replay and repair of a WAL directory at open. Rules: docs/formats/wal.md, "Recovery".
// Internal to storage/wal. Not thread-safe: runs before the Wal exists.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "storage/wal/wal.h"
#include "storage/wal/wal_file.h"

namespace zhizao::storage::wal_internal {

// The segment numbers present in `dir`, ascending. Other files are ignored.
Result<std::vector<uint64_t>> ListSegments(WalFileSystem& fs, const std::string& dir);

// Hands every intact record of `dir` to `replay` in order, stopping at the first damage.
// The damaged segment is cut at its last intact record; later segments are set aside as
// NAME.corrupt, unless `policy` is kFailOnCorruption and the damage is not the tail of the
// last segment, which returns Corruption and changes nothing.
Result<WalRecoveryReport> Recover(WalFileSystem& fs, const std::string& dir, WalRecoveryPolicy policy,
                                  const WalReplayFn& replay);

}  // namespace zhizao::storage::wal_internal
