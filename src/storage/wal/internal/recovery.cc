#include "storage/wal/internal/recovery.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <span>
#include <utility>
#include <vector>

#include "storage/wal/internal/record.h"

namespace zhizao::storage::wal_internal {
namespace {

std::string PathOf(const std::string& dir, uint64_t segment) { return dir + "/" + SegmentFileName(segment); }

std::string Where(const WalPosition& at) {
  return "segment " + SegmentFileName(at.segment) + " at offset " + std::to_string(at.offset);
}

// Replays one segment and returns its size. On damage, fills the damage fields of *report.
Result<uint64_t> ReplaySegment(WalFileSystem& fs, const std::string& dir, uint64_t segment,
                               const WalReplayFn& replay, WalRecoveryReport* report) {
  ZZ_ASSIGN_OR_RETURN(std::string data, fs.ReadFile(PathOf(dir, segment)));
  ++report->segments;
  RecordReader reader(data);
  std::string_view payload;
  while (reader.Next(&payload)) {
    WalPosition at{segment, reader.record_offset()};
    ZZ_RETURN_IF_ERROR(replay(at, payload).WithContext("cannot replay WAL record in " + Where(at)));
    ++report->records;
  }
  if (reader.end() != ScanEnd::kClean) {
    report->damage = {segment, reader.valid_end()};
    report->damage_reason = ScanEndName(reader.end());
    report->dropped_bytes = data.size() - reader.valid_end();
  }
  return data.size();
}

// Sets aside the `later` segments that hold bytes, so that no record after the damage is ever
// replayed, and removes the empty ones.
Status SetAside(WalFileSystem& fs, const std::string& dir, const std::vector<std::pair<uint64_t, uint64_t>>& later,
                WalRecoveryReport* report) {
  for (const auto& [segment, size] : later) {
    const std::string path = PathOf(dir, segment);
    if (size == 0) {
      ZZ_RETURN_IF_ERROR(fs.Remove(path));
      continue;
    }
    ZZ_RETURN_IF_ERROR(fs.Rename(path, path + ".corrupt"));
    report->dropped_bytes += size;
    report->set_aside.push_back(SegmentFileName(segment));
  }
  return fs.SyncDir(dir);
}

Status Repair(WalFileSystem& fs, const std::string& dir, WalRecoveryPolicy policy, std::span<const uint64_t> later,
              WalRecoveryReport* report) {
  std::vector<std::pair<uint64_t, uint64_t>> sizes;
  for (uint64_t segment : later) {
    ZZ_ASSIGN_OR_RETURN(std::string data, fs.ReadFile(PathOf(dir, segment)));
    sizes.emplace_back(segment, data.size());
    // Empty segments after the damage hold nothing to lose: it is still a tail.
    report->mid_log = report->mid_log || !data.empty();
  }
  const std::string what = report->damage_reason + " in " + Where(report->damage);
  if (report->mid_log && policy == WalRecoveryPolicy::kFailOnCorruption) {
    return Status::Corruption("cannot recover WAL in " + dir + ": " + what + ", " + std::to_string(later.size()) +
                              " later segment(s) follow");
  }
  ZZ_RETURN_IF_ERROR(fs.Truncate(PathOf(dir, report->damage.segment), report->damage.offset));
  ZZ_RETURN_IF_ERROR(SetAside(fs, dir, sizes, report));
  report->last_segment = report->damage.segment;
  if (report->mid_log) {
    spdlog::error("WAL {}: {}; replay stopped there, dropped {} bytes and set aside {} later segment(s) as *.corrupt",
                  dir, what, report->dropped_bytes, report->set_aside.size());
  } else {
    spdlog::warn("WAL {}: {} (torn tail); dropped {} bytes", dir, what, report->dropped_bytes);
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<uint64_t>> ListSegments(WalFileSystem& fs, const std::string& dir) {
  ZZ_ASSIGN_OR_RETURN(std::vector<std::string> names, fs.ListDir(dir));
  std::vector<uint64_t> segments;
  for (const std::string& name : names) {
    uint64_t segment = 0;
    if (ParseSegmentFileName(name, &segment)) segments.push_back(segment);
  }
  std::sort(segments.begin(), segments.end());
  return segments;
}

Result<WalRecoveryReport> Recover(WalFileSystem& fs, const std::string& dir, WalRecoveryPolicy policy,
                                  const WalReplayFn& replay) {
  ZZ_ASSIGN_OR_RETURN(std::vector<uint64_t> segments, ListSegments(fs, dir));
  WalRecoveryReport report;
  uint64_t prev_size = 0;
  for (size_t i = 0; i < segments.size(); ++i) {
    std::span<const uint64_t> rest = std::span<const uint64_t>(segments).subspan(i);
    if (i > 0 && segments[i] != segments[i - 1] + 1) {
      // A missing segment is a gap like a damaged record: what follows cannot be trusted in order.
      report.damage = {segments[i - 1], prev_size};
      report.damage_reason = "missing segment " + SegmentFileName(segments[i - 1] + 1);
      ZZ_RETURN_IF_ERROR(Repair(fs, dir, policy, rest, &report));
      return report;
    }
    ZZ_ASSIGN_OR_RETURN(prev_size, ReplaySegment(fs, dir, segments[i], replay, &report));
    report.last_segment = segments[i];
    if (!report.damage_reason.empty()) {
      ZZ_RETURN_IF_ERROR(Repair(fs, dir, policy, rest.subspan(1), &report));
      return report;
    }
  }
  return report;
}

}  // namespace zhizao::storage::wal_internal
