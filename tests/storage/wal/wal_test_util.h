// Helpers shared by the WAL tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fault_fs.h"
#include "storage/wal/internal/record.h"
#include "storage/wal/wal.h"

namespace zhizao::storage {

inline constexpr char kDir[] = "/db/wal";

inline std::string SegmentPath(uint64_t segment) {
  return std::string(kDir) + "/" + wal_internal::SegmentFileName(segment);
}

// Distinct payloads of varied length.
inline std::string Payload(int i) { return "record " + std::to_string(i) + std::string(i % 37, 'x'); }

inline WalOptions TestOptions(FaultFs* fs) {
  WalOptions options;
  options.dir = kDir;
  options.fs = fs;
  options.background_sync = false;
  return options;
}

// What a replay handed over.
struct Replayed {
  std::vector<std::string> payloads;
  std::vector<WalPosition> positions;

  WalReplayFn Fn() {
    return [this](WalPosition at, std::string_view payload) {
      positions.push_back(at);
      payloads.emplace_back(payload);
      return Status::Ok();
    };
  }
};

// Opens the WAL in `options`, expecting success, and returns what it replayed.
inline std::unique_ptr<Wal> OpenOrDie(const WalOptions& options, Replayed* replayed) {
  auto wal = Wal::Open(options, replayed->Fn());
  EXPECT_TRUE(wal.ok()) << wal.status().ToString();
  return wal.ok() ? std::move(wal).value() : nullptr;
}

}  // namespace zhizao::storage
