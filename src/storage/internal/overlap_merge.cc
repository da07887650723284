#include "storage/internal/overlap_merge.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>

#include "storage/internal/engine_state.h"
#include "storage/internal/merge.h"

namespace zhizao::storage {
namespace {

// A cluster of more chunks is left as it is: it is decoded and merged under the engine's lock,
// so its size bounds how long a checkpoint holds up appends (a re-import over weeks of stored
// history chains every chunk into one cluster). Reads resolve it all the same.
constexpr size_t kMaxClusterChunks = 64;

// One chunk of a series as the merge sees it: where it lies in time, and where it lives.
struct Member {
  int64_t first_ts = 0;
  int64_t last_ts = 0;
  uint64_t seq = 0;
  int pending_index = -1;  // in `pending`; -1 for a stored chunk
  std::string stored_bytes;
};

// A cluster is a run of members, sorted by first_ts, each overlapping the run before it.
struct Cluster {
  size_t begin = 0;
  size_t end = 0;
  int64_t last_ts = 0;
  bool has_pending = false;
};

std::vector<Cluster> Clusters(const std::vector<Member>& members) {
  std::vector<Cluster> clusters;
  for (size_t i = 0; i < members.size(); ++i) {
    const Member& m = members[i];
    if (clusters.empty() || m.first_ts > clusters.back().last_ts) {
      clusters.push_back({i, i, m.last_ts, false});
    }
    Cluster& c = clusters.back();
    c.end = i + 1;
    c.last_ts = std::max(c.last_ts, m.last_ts);
    c.has_pending |= m.pending_index >= 0;
  }
  return clusters;
}

// The members of one series: its pending chunks, and every stored chunk that a cluster holding
// a pending chunk reaches. Stored chunks are looked up until the clusters stop growing, since
// one stored chunk may bring in another that overlaps it.
class SeriesMerge {
 public:
  SeriesMerge(TagId tag, const ChunkStore& store, const HeadLimits& limits)
      : tag_(tag), store_(store), limits_(limits) {}

  // False when a pending chunk's header cannot be read (nothing of the series is merged).
  bool AddPending(const StoredChunk& c, int index) {
    Result<ChunkHeader> h = ReadChunkHeader(c.bytes);
    if (!h.ok()) return false;
    members_.push_back({c.first_ts, h->last_ts, c.seq, index, {}});
    return true;
  }

  // Looks up, cluster by cluster, the stored chunks that each cluster holding a pending chunk
  // reaches, until no cluster grows: one stored chunk may bring in another that overlaps it.
  // Only each cluster's own range is read, so a late sample from last month reads last month's
  // chunks, not everything since.
  Status FindStored() {
    std::vector<std::pair<int64_t, int64_t>> scanned;  // first_ts ranges already read
    auto covered = [&](int64_t from, int64_t to) {
      return std::any_of(scanned.begin(), scanned.end(), [&](const auto& r) { return r.first <= from && to <= r.second; });
    };
    for (bool grew = true; grew;) {
      grew = false;
      SortMembers();
      for (const Cluster& c : Clusters(members_)) {
        // Stored chunks that may overlap the cluster start no earlier than one span before it.
        const int64_t from = ChunkLookBack(members_[c.begin].first_ts, limits_.chunk_max_span_ns);
        if (!c.has_pending || covered(from, c.last_ts)) continue;
        ZZ_RETURN_IF_ERROR(Scan(from, c.last_ts));
        scanned.emplace_back(from, c.last_ts);
        grew = true;
        break;  // members changed: cluster again
      }
    }
    return Status::Ok();
  }

  // Rewrites each cluster that holds a pending chunk and at least one other chunk.
  void Merge(std::vector<StoredChunk>& pending, std::vector<bool>& drop, std::vector<StoredChunk>& merged,
             std::vector<ChunkId>& replaced, OverlapMergeStats& stats) {
    for (const Cluster& c : Clusters(members_)) {
      if (!c.has_pending || c.end - c.begin < 2 || c.end - c.begin > kMaxClusterChunks || Damaged(c)) continue;
      std::vector<std::pair<uint64_t, SeriesSamples>> sources;
      uint64_t seq = 0;
      for (size_t i = c.begin; i < c.end; ++i) {
        const Member& m = members_[i];
        std::string_view bytes = m.pending_index >= 0 ? std::string_view(pending[m.pending_index].bytes) : m.stored_bytes;
        SeriesSamples samples;
        if (Status decoded = DecodeChunk(bytes, &samples); !decoded.ok()) {
          spdlog::warn("storage: overlapping chunks of tag {} left unmerged: {}", tag_, decoded.message());
          sources.clear();
          break;
        }
        seq = std::max(seq, m.seq);
        sources.emplace_back(m.seq, std::move(samples));
      }
      if (sources.empty() || !SameType(sources)) continue;
      SeriesSamples all;
      all.type = sources.front().second.type;
      MergeSources(sources, &all);
      for (size_t i = c.begin; i < c.end; ++i) {
        const Member& m = members_[i];
        if (m.pending_index >= 0) {
          drop[m.pending_index] = true;
        } else {
          replaced.push_back({tag_, m.first_ts, m.seq});
        }
      }
      size_t before = merged.size();
      Encode(all, seq, merged);
      ++stats.clusters;
      stats.chunks_replaced += c.end - c.begin;
      stats.chunks_written += merged.size() - before;
    }
  }

 private:
  bool Damaged(const Cluster& c) const {
    for (const auto& [first_ts, why] : damaged_) {
      if (first_ts >= ChunkLookBack(members_[c.begin].first_ts, limits_.chunk_max_span_ns) && first_ts <= c.last_ts) {
        spdlog::warn("storage: overlapping chunks of tag {} left unmerged: a chunk beside them is damaged: {}", tag_,
                     why);
        return true;
      }
    }
    return false;
  }

  bool SameType(const std::vector<std::pair<uint64_t, SeriesSamples>>& sources) const {
    for (const auto& [seq, samples] : sources) {
      if (samples.type != sources.front().second.type) {
        spdlog::warn("storage: overlapping chunks of tag {} left unmerged: they hold different types", tag_);
        return false;
      }
    }
    return true;
  }

  // Cuts `all` into chunks as a head would: at most chunk_max_samples, spanning less than
  // chunk_max_span_ns.
  void Encode(const SeriesSamples& all, uint64_t seq, std::vector<StoredChunk>& out) const {
    ChunkBuilder builder(all.type, {.min_summary_samples = limits_.chunk_summary_min_samples});
    size_t begin = 0;
    while (begin < all.size()) {
      size_t end = begin + 1;
      while (end < all.size() && end - begin < limits_.chunk_max_samples &&
             all.ts_ns[end] - all.ts_ns[begin] < limits_.chunk_max_span_ns) {
        ++end;
      }
      builder.Append(all, begin, end);
      // Marked as possibly overlapping: should the write fail, the next checkpoint merges them
      // again with the stored chunks they were to replace.
      out.push_back({tag_, all.ts_ns[begin], seq, builder.Finish(), /*may_overlap=*/true});
      begin = end;
    }
  }

  void SortMembers() {
    std::sort(members_.begin(), members_.end(), [](const Member& a, const Member& b) {
      return a.first_ts != b.first_ts ? a.first_ts < b.first_ts : a.seq < b.seq;
    });
  }

  Status Scan(int64_t from, int64_t to) {
    return store_.Scan(tag_, from, to, [&](int64_t first_ts, uint64_t seq, std::string_view bytes) {
      if (!seen_.insert({first_ts, seq}).second) return true;
      Result<ChunkHeader> h = ReadChunkHeader(bytes);
      if (!h.ok()) {
        damaged_.push_back({first_ts, h.status().message()});
        return true;
      }
      members_.push_back({first_ts, h->last_ts, seq, -1, std::string(bytes)});
      return true;
    });
  }

  TagId tag_;
  const ChunkStore& store_;
  const HeadLimits& limits_;
  std::vector<Member> members_;
  std::set<std::pair<int64_t, uint64_t>> seen_;               // stored chunks already taken
  std::vector<std::pair<int64_t, std::string>> damaged_;      // stored chunks whose header failed
};

}  // namespace

OverlapMergeStats MergeOverlaps(const ChunkStore& store, const HeadLimits& limits, std::vector<StoredChunk>& pending,
                                std::vector<ChunkId>& replaced) {
  OverlapMergeStats stats;
  std::map<TagId, std::vector<int>> by_tag;  // series with an out-of-order chunk -> their pending chunks
  for (const StoredChunk& c : pending) {
    if (c.may_overlap) by_tag[c.tag];
  }
  if (by_tag.empty()) return stats;
  for (size_t i = 0; i < pending.size(); ++i) {
    auto it = by_tag.find(pending[i].tag);
    if (it != by_tag.end()) it->second.push_back(static_cast<int>(i));
  }
  std::vector<bool> drop(pending.size(), false);
  std::vector<StoredChunk> merged;
  for (const auto& [tag, indices] : by_tag) {
    SeriesMerge series(tag, store, limits);
    bool readable = std::all_of(indices.begin(), indices.end(), [&](int i) { return series.AddPending(pending[i], i); });
    if (!readable) continue;
    // The merge only saves reads work: a store that cannot be read here leaves the series as
    // it is (reads will report the damage) rather than fail the checkpoint, which would stop
    // every write, again at each restart.
    if (Status found = series.FindStored(); !found.ok()) {
      spdlog::warn("storage: overlapping chunks of tag {} left unmerged: {}", tag, found.message());
      continue;
    }
    series.Merge(pending, drop, merged, replaced, stats);
  }
  size_t kept = 0;
  for (size_t i = 0; i < pending.size(); ++i) {
    if (drop[i]) continue;
    if (kept != i) pending[kept] = std::move(pending[i]);  // a self-move would empty the chunk
    ++kept;
  }
  pending.resize(kept);
  for (StoredChunk& c : merged) pending.push_back(std::move(c));
  return stats;
}

}  // namespace zhizao::storage
