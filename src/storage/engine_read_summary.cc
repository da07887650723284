// Engine: reads that hand over whole chunks as their summaries (ReadSummarized).
//
// A chunk's summary stands for its samples only if the merge would keep every one of them:
// no other source (stored or pending chunk, head block, out-of-order buffer) may hold a
// timestamp in its range, or last-write-wins could replace one. Ranges are compared whole
// (a chunk's first to last sample), which is conservative: an overlapping chunk is decoded
// even when its samples happen not to collide.
#include <algorithm>

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
};

Status AddChunk(TagId tag, uint64_t seq, std::string bytes, std::vector<Part>& parts) {
  Result<ChunkHeader> header = ReadChunkHeader(bytes);
  if (!header.ok()) {
    return header.status().WithContext("tag " + std::to_string(tag) + ", chunk seq " + std::to_string(seq));
  }
  parts.push_back({header->first_ts, header->last_ts, seq, std::move(bytes), *header});
  return Status::Ok();
}

// Marks the chunks that no other part reaches into and that `take` accepts, and hands out
// their summaries. REQUIRES: parts sorted by first.
void TakeSummaries(std::vector<Part>& parts, DataType type, int64_t from, int64_t to, const SummaryFilter& take,
                   std::vector<SummarizedChunk>* summaries) {
  int64_t reached = INT64_MIN;  // the latest time any earlier part reaches
  for (size_t i = 0; i < parts.size(); ++i) {
    Part& p = parts[i];
    const bool alone = (i == 0 || p.first > reached) && (i + 1 == parts.size() || parts[i + 1].first > p.last);
    reached = std::max(reached, p.last);
    if (!alone || p.head != nullptr || !p.header.has_summary || p.header.type != type || p.first < from ||
        p.last > to) {
      continue;
    }
    if (!take(p.first, p.last, p.header.summary)) continue;
    p.summarized = true;
    summaries->push_back({p.first, p.last, p.header.summary});
  }
}

Status DecodePart(const Part& p, TagId tag, int64_t from, int64_t to, SeriesSamples* out) {
  if (p.head != nullptr) {
    ZZ_RETURN_IF_ERROR(CheckSampleType(*p.head, out->type, tag));
    MoveAllSamples(*out, std::move(*p.head));
    return Status::Ok();
  }
  return DecodeChunkRange(p.bytes, from, to, out)
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

Status DecodeRest(std::vector<Part>& parts, TagId tag, int64_t from, int64_t to, SeriesSamples* out) {
  if (InOrder(parts)) {
    Reserve(parts, out);
    for (const Part& p : parts) {
      if (!p.summarized) ZZ_RETURN_IF_ERROR(DecodePart(p, tag, from, to, out));
    }
    return Status::Ok();
  }
  std::vector<std::pair<uint64_t, SeriesSamples>> sources;
  for (const Part& p : parts) {
    if (p.summarized) continue;
    SeriesSamples samples;
    samples.type = out->type;
    ZZ_RETURN_IF_ERROR(DecodePart(p, tag, from, to, &samples));
    if (samples.size() > 0) sources.emplace_back(p.seq, std::move(samples));
  }
  MergeSources(sources, out);
  return Status::Ok();
}

}  // namespace

Status Engine::ReadSummarized(TagId tag, int64_t from_ns, int64_t to_ns, const SummaryFilter& take,
                              SeriesSamples* out, std::vector<SummarizedChunk>* summaries) const {
  if (from_ns > to_ns) return Status::Ok();
  const State& s = *state_;
  const int64_t look_back = ChunkLookBack(from_ns, s.options.chunk_max_span_ns);
  std::vector<std::pair<uint64_t, SeriesSamples>> head;
  std::vector<Part> parts;
  std::optional<DataType> type;
  {
    std::lock_guard lock(s.mu);
    if (const SeriesHead* h = s.FindHeadLocked(tag)) {
      type = h->type();
      h->Collect(from_ns, to_ns, head);
    }
    // Sealed chunks waiting for RocksDB are copied: the lock is not held while decoding.
    for (const StoredChunk& c : s.pending) {
      if (c.tag == tag && c.first_ts <= to_ns && c.first_ts >= look_back) {
        ZZ_RETURN_IF_ERROR(AddChunk(tag, c.seq, c.bytes, parts));
      }
    }
  }
  Status added;
  ZZ_RETURN_IF_ERROR(s.store->Scan(tag, look_back, to_ns, [&](int64_t, uint64_t seq, std::string_view bytes) {
    added = AddChunk(tag, seq, std::string(bytes), parts);
    return added.ok();
  }));
  ZZ_RETURN_IF_ERROR(added);
  for (auto& [seq, samples] : head) {
    parts.push_back({samples.ts_ns.front(), samples.ts_ns.back(), seq, {}, {}, &samples});
  }
  std::sort(parts.begin(), parts.end(),
            [](const Part& a, const Part& b) { return a.first != b.first ? a.first < b.first : a.seq < b.seq; });
  if (!type && !parts.empty()) type = parts.back().header.type;
  if (out->size() == 0 && type) out->type = *type;
  TakeSummaries(parts, out->type, from_ns, to_ns, take, summaries);
  return DecodeRest(parts, tag, from_ns, to_ns, out);
}

}  // namespace zhizao::storage
