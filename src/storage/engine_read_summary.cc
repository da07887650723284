// Engine: reads that hand over whole chunks as their summaries (ReadSummarized), and stored
// chunks' runs of 1-minute buckets as their rollups (ReadRollups).
//
// A chunk's summary stands for its samples only if the merge would keep every one of them:
// no other source (stored or pending chunk, head block, out-of-order buffer) may hold a
// timestamp in its range, or last-write-wins could replace one. Ranges are compared whole
// (a chunk's first to last sample), which is conservative: an overlapping chunk is decoded
// even when its samples happen not to collide.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <tuple>

#include "storage/internal/engine_state.h"
#include "storage/internal/merge.h"
#include "storage/internal/samples_util.h"

namespace zhizao::storage {
namespace {

// One source of a read: a sealed chunk (bytes and parsed header) or a source of the head.
struct Part {
  int64_t first = 0;  // the time range: a chunk's whole range, a head source's samples in range
  int64_t last = 0;
  uint64_t seq = 0;
  std::string bytes;
  ChunkHeader header;
  SeriesSamples* head = nullptr;  // set for a head source
  bool summarized = false;
  int64_t key_first = 0;    // the first_ts of its key, for a chunk of the store
  std::string rollup;       // its rollup record, if it has one and the read wants rollups
  int64_t rolled_from = 1;  // the times its taken buckets cover; none when rolled_from > rolled_to
  int64_t rolled_to = 0;
};

// The type of the newest chunk seen (greatest first_ts, then seq), which a read with no head
// reports even when no chunk reaches its range.
struct NewestType {
  int64_t first = INT64_MIN;
  uint64_t seq = 0;
  std::optional<DataType> type;

  void Offer(const ChunkHeader& h, uint64_t seq_of) {
    if (type && (h.first_ts < first || (h.first_ts == first && seq_of < seq))) return;
    first = h.first_ts, seq = seq_of, type = h.type;
  }
};

// Adds a chunk that reaches `from`; one that ends before it (the look-back finds those) holds
// nothing the read wants, cannot overlap a chunk that lies in the range, and is not copied,
// let alone decoded.
Status AddChunk(TagId tag, uint64_t seq, std::string_view bytes, int64_t from, NewestType& newest,
                std::vector<Part>& parts, int64_t key_first = 0) {
  Result<ChunkHeader> header = ReadChunkHeader(bytes);
  if (!header.ok()) {
    return header.status().WithContext("tag " + std::to_string(tag) + ", chunk seq " + std::to_string(seq));
  }
  newest.Offer(*header, seq);
  if (header->last_ts < from) return Status::Ok();
  parts.push_back({header->first_ts, header->last_ts, seq, std::string(bytes), *header});
  parts.back().key_first = key_first;
  return Status::Ok();
}

// Which parts no other part reaches into. REQUIRES: parts sorted by first.
std::vector<bool> Alone(const std::vector<Part>& parts) {
  std::vector<bool> alone(parts.size());
  int64_t reached = INT64_MIN;  // the latest time any earlier part reaches
  for (size_t i = 0; i < parts.size(); ++i) {
    const Part& p = parts[i];
    alone[i] = (i == 0 || p.first > reached) && (i + 1 == parts.size() || parts[i + 1].first > p.last);
    reached = std::max(reached, p.last);
  }
  return alone;
}

// Gives the parts from `begin` on, the store's chunks in key order, their rollup records.
Status AttachRollups(const ChunkStore& store, TagId tag, int64_t to, std::vector<Part>& parts, size_t begin) {
  if (begin == parts.size()) return Status::Ok();
  size_t k = begin;
  return store.ScanRollups(tag, parts[begin].key_first, to, [&](int64_t first, uint64_t seq, std::string_view bytes) {
    while (k < parts.size() && std::tie(parts[k].key_first, parts[k].seq) < std::tie(first, seq)) ++k;
    if (k < parts.size() && parts[k].key_first == first && parts[k].seq == seq) parts[k].rollup = bytes;
    return k < parts.size();
  });
}

// The last time of the bucket starting at `start`.
int64_t BucketLast(int64_t start) {
  return start > INT64_MAX - kRollupBucketNs ? INT64_MAX : start + kRollupBucketNs - 1;
}

// Takes the run of buckets of a lone stored chunk whose samples all lie in [from, to], if
// `take` accepts it. A rollup that fails its checks is reported and leaves the chunk to decode.
void TakeBuckets(Part& p, TagId tag, int64_t from, int64_t to, const RollupFilter& take,
                 std::vector<RollupBucket>& all, std::vector<RollupBucket>* buckets) {
  Status decoded = encoding::DecodeRollup(p.rollup, p.header.count, p.first, p.last, &all);
  if (!decoded.ok()) {
    spdlog::warn("storage: tag {}, chunk seq {}: {}; reading its samples instead", tag, p.seq, decoded.ToString());
    return;
  }
  auto inside = [&](const RollupBucket& b) {
    return (b.start_ns >= from || p.first >= from) && (BucketLast(b.start_ns) <= to || p.last <= to);
  };
  const auto lo = std::find_if(all.begin(), all.end(), inside);
  const auto hi = std::find_if_not(lo, all.end(), inside);
  if (lo == hi || !take(std::span<const RollupBucket>(&*lo, static_cast<size_t>(hi - lo)))) return;
  p.rolled_from = lo->start_ns;
  p.rolled_to = BucketLast((hi - 1)->start_ns);
  buckets->insert(buckets->end(), lo, hi);
}

// Marks the chunks that no other part reaches into and that `take` accepts, and hands out
// their summaries. REQUIRES: parts sorted by first.
void TakeSummaries(std::vector<Part>& parts, const std::vector<bool>& alone, DataType type, int64_t from, int64_t to,
                   const SummaryFilter& take, std::vector<SummarizedChunk>* summaries) {
  for (size_t i = 0; i < parts.size(); ++i) {
    Part& p = parts[i];
    if (!alone[i] || p.head != nullptr || !p.header.has_summary || p.header.type != type || p.first < from ||
        p.last > to) {
      continue;
    }
    if (!take(p.first, p.last, p.header.summary)) continue;
    p.summarized = true;
    summaries->push_back({p.first, p.last, p.header.summary});
  }
}

// Hands out the rollup buckets of the lone stored chunks not summarized. REQUIRES: as
// TakeSummaries, which ran before.
void TakeRollups(std::vector<Part>& parts, const std::vector<bool>& alone, TagId tag, DataType type, int64_t from,
                 int64_t to, const RollupFilter& take, std::vector<RollupBucket>* buckets) {
  std::vector<RollupBucket> all;
  for (size_t i = 0; i < parts.size(); ++i) {
    Part& p = parts[i];
    if (alone[i] && !p.summarized && !p.rollup.empty() && p.header.type == type) {
      TakeBuckets(p, tag, from, to, take, all, buckets);
    }
  }
}

// Decodes the samples of a chunk in [from, to] outside the buckets taken from its rollup.
Status DecodeAroundBuckets(const Part& p, int64_t from, int64_t to, SeriesSamples* out) {
  if (from < p.rolled_from && p.first < p.rolled_from) {
    ZZ_RETURN_IF_ERROR(DecodeChunkRange(p.bytes, from, std::min(to, p.rolled_from - 1), out));
  }
  if (p.rolled_to < to && p.last > p.rolled_to) {
    ZZ_RETURN_IF_ERROR(DecodeChunkRange(p.bytes, std::max(from, p.rolled_to + 1), to, out));
  }
  return Status::Ok();
}

Status DecodePart(const Part& p, TagId tag, int64_t from, int64_t to, SeriesSamples* out) {
  if (p.head != nullptr) {
    ZZ_RETURN_IF_ERROR(CheckSampleType(*p.head, out->type, tag));
    MoveAllSamples(*out, std::move(*p.head));
    return Status::Ok();
  }
  const bool rolled = p.rolled_from <= p.rolled_to;
  return (rolled ? DecodeAroundBuckets(p, from, to, out) : DecodeChunkRange(p.bytes, from, to, out))
      .WithContext("tag " + std::to_string(tag) + ", chunk seq " + std::to_string(p.seq));
}

// The parts left to decode, in time order, without overlap: each decodes straight into `out`.
bool InOrder(const std::vector<Part>& parts) {
  int64_t reached = INT64_MIN;
  bool any = false;
  for (const Part& p : parts) {
    if (p.summarized) continue;
    if (any && p.first <= reached) return false;
    reached = p.last;
    any = true;
  }
  return true;
}

// Reserves room for every sample the parts left to decode may add (whole chunks: at most two
// more than the range holds), so that the columns grow once instead of doubling.
void Reserve(const std::vector<Part>& parts, SeriesSamples* out) {
  size_t n = out->size();
  for (const Part& p : parts) {
    if (!p.summarized) n += p.head != nullptr ? p.head->size() : p.header.count;
  }
  if (n <= out->ts_ns.capacity()) return;
  out->ts_ns.reserve(n);
  out->status.reserve(n);
  if (out->type == DataType::kFloat64) out->f64.reserve(n);
  if (out->type == DataType::kInt64 || out->type == DataType::kBool) out->i64.reserve(n);
}

// Appends samples [begin, end) of `from` to `to`. REQUIRES: same type.
void AppendRun(SeriesSamples& to, const SeriesSamples& from, size_t begin, size_t end) {
  const auto b = static_cast<std::ptrdiff_t>(begin), e = static_cast<std::ptrdiff_t>(end);
  to.ts_ns.insert(to.ts_ns.end(), from.ts_ns.begin() + b, from.ts_ns.begin() + e);
  to.status.insert(to.status.end(), from.status.begin() + b, from.status.begin() + e);
  switch (from.type) {
    case DataType::kFloat64: to.f64.insert(to.f64.end(), from.f64.begin() + b, from.f64.begin() + e); break;
    case DataType::kInt64:
    case DataType::kBool: to.i64.insert(to.i64.end(), from.i64.begin() + b, from.i64.begin() + e); break;
    case DataType::kString: to.str.insert(to.str.end(), from.str.begin() + b, from.str.begin() + e); break;
  }
}

// Merges sources that overlap in time into `out`, keeping at each timestamp the sample of the
// highest sequence (as MergeSources does), by walking them side by side and copying runs: a
// cluster holds a few sources (a chunk and the late batch's chunk beside it) that take turns
// in long runs, where sorting every sample's reference, as MergeSources must for any number
// of sources, costs several times more.
void MergeCluster(std::vector<std::pair<uint64_t, SeriesSamples>>& sources, SeriesSamples* out) {
  constexpr size_t kMaxWalked = 8;
  if (sources.size() > kMaxWalked) {
    MergeSources(sources, out);
    return;
  }
  std::stable_sort(sources.begin(), sources.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  const size_t n = sources.size();
  std::vector<size_t> at(n, 0);
  auto next = [&](size_t k) { return at[k] < sources[k].second.size() ? sources[k].second.ts_ns[at[k]] : INT64_MAX; };
  while (true) {
    // The earliest next sample; at one time the later source (higher sequence) wins.
    size_t best = n;
    int64_t t = INT64_MAX;
    for (size_t k = 0; k < n; ++k) {
      if (at[k] < sources[k].second.size() && next(k) <= t) best = k, t = next(k);
    }
    if (best == n) return;
    int64_t limit = INT64_MAX;  // the next time another source holds a sample at
    for (size_t k = 0; k < n; ++k) {
      if (k == best) continue;
      if (next(k) == t) ++at[k];  // overwritten by `best`
      limit = std::min(limit, next(k));
    }
    const std::vector<int64_t>& ts = sources[best].second.ts_ns;
    const auto end = static_cast<size_t>(
        std::lower_bound(ts.begin() + static_cast<std::ptrdiff_t>(at[best]) + 1, ts.end(), limit) - ts.begin());
    AppendRun(*out, sources[best].second, at[best], end);
    at[best] = end;
  }
}

// Decodes the parts left after summaries into `out`. Overlaps are local: the parts form
// clusters that overlap among themselves and follow each other in time, so a lone part
// decodes straight into `out` and only a cluster is merged by sequence. REQUIRES: parts sorted
// by first; a summarized part overlaps no other (TakeSummaries).
Status DecodeRest(std::vector<Part>& parts, TagId tag, int64_t from, int64_t to, SeriesSamples* out) {
  Reserve(parts, out);
  if (InOrder(parts)) {
    for (const Part& p : parts) {
      if (!p.summarized) ZZ_RETURN_IF_ERROR(DecodePart(p, tag, from, to, out));
    }
    return Status::Ok();
  }
  std::vector<std::pair<uint64_t, SeriesSamples>> sources;
  for (size_t i = 0; i < parts.size();) {
    if (parts[i].summarized) {
      ++i;
      continue;
    }
    size_t end = i + 1;
    int64_t reached = parts[i].last;
    while (end < parts.size() && !parts[end].summarized && parts[end].first <= reached) {
      reached = std::max(reached, parts[end].last);
      ++end;
    }
    if (end == i + 1) {
      ZZ_RETURN_IF_ERROR(DecodePart(parts[i], tag, from, to, out));
      i = end;
      continue;
    }
    sources.clear();
    for (; i < end; ++i) {
      SeriesSamples samples;
      samples.type = out->type;
      ZZ_RETURN_IF_ERROR(DecodePart(parts[i], tag, from, to, &samples));
      if (samples.size() > 0) sources.emplace_back(parts[i].seq, std::move(samples));
    }
    MergeCluster(sources, out);
  }
  return Status::Ok();
}

}  // namespace

Status Engine::ReadSummarized(TagId tag, int64_t from_ns, int64_t to_ns, const SummaryFilter& take,
                              SeriesSamples* out, std::vector<SummarizedChunk>* summaries) const {
  return ReadCondensed(tag, from_ns, to_ns, take, nullptr, out, summaries, nullptr);
}

Status Engine::ReadRollups(TagId tag, int64_t from_ns, int64_t to_ns, const SummaryFilter& take,
                           const RollupFilter& take_buckets, SeriesSamples* out,
                           std::vector<SummarizedChunk>* summaries, std::vector<RollupBucket>* buckets) const {
  return ReadCondensed(tag, from_ns, to_ns, take, &take_buckets, out, summaries, buckets);
}

Status Engine::ReadCondensed(TagId tag, int64_t from_ns, int64_t to_ns, const SummaryFilter& take,
                             const RollupFilter* take_buckets, SeriesSamples* out,
                             std::vector<SummarizedChunk>* summaries, std::vector<RollupBucket>* buckets) const {
  if (from_ns > to_ns) return Status::Ok();
  const State& s = *state_;
  const int64_t look_back = ChunkLookBack(from_ns, s.options.chunk_max_span_ns);
  std::vector<std::pair<uint64_t, SeriesSamples>> head;
  std::vector<Part> parts;
  std::optional<DataType> type;
  NewestType newest;
  {
    std::lock_guard lock(s.mu);
    if (const SeriesHead* h = s.FindHeadLocked(tag)) {
      type = h->type();
      h->Collect(from_ns, to_ns, head);
    }
    // Sealed chunks waiting for RocksDB are copied: the lock is not held while decoding.
    for (const StoredChunk& c : s.pending) {
      if (c.tag == tag && c.first_ts <= to_ns && c.first_ts >= look_back) {
        ZZ_RETURN_IF_ERROR(AddChunk(tag, c.seq, c.bytes, from_ns, newest, parts));
      }
    }
  }
  Status added;
  const size_t stored_begin = parts.size();
  ZZ_RETURN_IF_ERROR(s.store->Scan(tag, look_back, to_ns, [&](int64_t first_ts, uint64_t seq, std::string_view bytes) {
    added = AddChunk(tag, seq, bytes, from_ns, newest, parts, first_ts);
    return added.ok();
  }));
  ZZ_RETURN_IF_ERROR(added);
  if (take_buckets != nullptr) ZZ_RETURN_IF_ERROR(AttachRollups(*s.store, tag, to_ns, parts, stored_begin));
  for (auto& [seq, samples] : head) {
    parts.push_back({samples.ts_ns.front(), samples.ts_ns.back(), seq, {}, {}, &samples});
  }
  std::sort(parts.begin(), parts.end(),
            [](const Part& a, const Part& b) { return a.first != b.first ? a.first < b.first : a.seq < b.seq; });
  if (!type) type = newest.type;
  if (out->size() == 0 && type) out->type = *type;
  const std::vector<bool> alone = Alone(parts);
  TakeSummaries(parts, alone, out->type, from_ns, to_ns, take, summaries);
  if (take_buckets != nullptr) TakeRollups(parts, alone, tag, out->type, from_ns, to_ns, *take_buckets, buckets);
  return DecodeRest(parts, tag, from_ns, to_ns, out);
}

}  // namespace zhizao::storage
