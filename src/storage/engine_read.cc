// Engine: the read path.
#include "storage/internal/engine_state.h"
#include "storage/internal/merge.h"
#include "storage/internal/samples_util.h"

namespace zhizao::storage {
namespace {

using Sources = std::vector<std::pair<uint64_t, SeriesSamples>>;

Status DecodeInto(std::string_view chunk, uint64_t seq, DataType type, int64_t from, int64_t to, Sources& out) {
  SeriesSamples samples;
  samples.type = type;
  ZZ_RETURN_IF_ERROR(DecodeChunkRange(chunk, from, to, &samples));
  if (samples.size() > 0) out.emplace_back(seq, std::move(samples));
  return Status::Ok();
}

// Appends `samples` to `out` if they all follow its last sample in time; false otherwise.
bool AppendInOrder(const SeriesSamples& samples, SeriesSamples* out) {
  if (samples.size() == 0) return true;
  if (out->size() > 0 && samples.ts_ns.front() <= out->ts_ns.back()) return false;
  if (out->size() == 0) out->type = samples.type;
  if (samples.type != out->type) return false;  // the general path reports it
  SeriesSamples copy = samples;
  MoveAllSamples(*out, std::move(copy));
  return true;
}

}  // namespace

// The common case: the chunk store's chunks, the pending ones and the head's sources follow each
// other in time without overlap, so there is nothing to resolve by sequence and each chunk is
// decoded straight into `out`, in the order the store yields them. False (with `out` as it was)
// as soon as something overlaps; the caller then merges by sequence.
Result<bool> Engine::ReadInOrder(TagId tag, int64_t from_ns, int64_t to_ns, std::vector<StoredChunk>& pending,
                                 const std::vector<std::pair<uint64_t, SeriesSamples>>& head,
                                 SeriesSamples* out) const {
  const State& s = *state_;
  size_t initial = out->size();
  bool in_order = true;
  Status decoded;
  auto take = [&](std::string_view bytes) {
    // A chunk that ends before the range (the look-back finds those) adds no sample, as its
    // header tells without decoding it; only the output's type follows it, as decoding would.
    if (Result<ChunkHeader> h = ReadChunkHeader(bytes); h.ok() && h->last_ts < from_ns) {
      if (out->size() == 0) out->type = h->type;
      if (out->type == h->type) return true;
    }
    size_t before = out->size();
    int64_t last = before > 0 ? out->ts_ns.back() : INT64_MIN;
    decoded = DecodeChunkRange(bytes, from_ns, to_ns, out);
    in_order = decoded.ok() && (out->size() == before || before == initial || out->ts_ns[before] > last);
    return in_order;
  };
  ZZ_RETURN_IF_ERROR(s.store->Scan(tag, ChunkLookBack(from_ns, s.options.chunk_max_span_ns), to_ns,
                                   [&](int64_t, uint64_t, std::string_view bytes) { return take(bytes); }));
  std::sort(pending.begin(), pending.end(), [](const StoredChunk& a, const StoredChunk& b) {
    return a.first_ts != b.first_ts ? a.first_ts < b.first_ts : a.seq < b.seq;
  });
  for (size_t i = 0; in_order && i < pending.size(); ++i) take(pending[i].bytes);
  for (size_t i = 0; in_order && i < head.size(); ++i) in_order = AppendInOrder(head[i].second, out);
  if (!in_order) {
    out->ts_ns.resize(initial);
    out->status.resize(initial);
    out->f64.resize(std::min(out->f64.size(), initial));
    out->i64.resize(std::min(out->i64.size(), initial));
    out->str.resize(std::min(out->str.size(), initial));
  }
  if (!decoded.ok() && decoded.code() == StatusCode::kCorruption) {
    return decoded.WithContext("tag " + std::to_string(tag));
  }
  return in_order;
}

Status Engine::Read(TagId tag, int64_t from_ns, int64_t to_ns, SeriesSamples* out) const {
  if (from_ns > to_ns) return Status::Ok();
  const State& s = *state_;
  Sources sources;
  std::vector<StoredChunk> pending;
  DataType type = out->type;
  {
    std::lock_guard lock(s.mu);
    if (const SeriesHead* head = s.FindHeadLocked(tag)) {
      type = head->type();
      head->Collect(from_ns, to_ns, sources);
    }
    // Sealed chunks waiting for RocksDB are copied: the lock is not held while decoding.
    for (const StoredChunk& c : s.pending) {
      if (c.tag == tag && c.first_ts <= to_ns && c.first_ts >= ChunkLookBack(from_ns, s.options.chunk_max_span_ns)) {
        pending.push_back(c);
      }
    }
  }
  ZZ_ASSIGN_OR_RETURN(bool done, ReadInOrder(tag, from_ns, to_ns, pending, sources, out));
  if (done) return Status::Ok();
  Status decoded;
  Status scanned = s.store->Scan(tag, ChunkLookBack(from_ns, s.options.chunk_max_span_ns), to_ns,
                                 [&](int64_t, uint64_t seq, std::string_view bytes) {
                                   Result<ChunkHeader> header = ReadChunkHeader(bytes);
                                   if (header.ok()) type = header->type;
                                   decoded = DecodeInto(bytes, seq, type, from_ns, to_ns, sources)
                                                 .WithContext("tag " + std::to_string(tag) + ", chunk seq " +
                                                              std::to_string(seq));
                                   return decoded.ok();
                                 });
  ZZ_RETURN_IF_ERROR(scanned);
  ZZ_RETURN_IF_ERROR(decoded);
  for (const StoredChunk& c : pending) {
    ZZ_RETURN_IF_ERROR(DecodeInto(c.bytes, c.seq, type, from_ns, to_ns, sources)
                           .WithContext("tag " + std::to_string(tag) + ", chunk seq " + std::to_string(c.seq)));
  }
  if (out->size() == 0) out->type = type;
  for (auto& [seq, samples] : sources) ZZ_RETURN_IF_ERROR(CheckSampleType(samples, out->type, tag));
  MergeSources(sources, out);
  return Status::Ok();
}

Status Engine::DeleteBefore(TagId tag, int64_t cutoff_ns) {
  // A chunk starting before cutoff - span ends before the cutoff.
  return state_->store->DeleteBefore(tag, ChunkLookBack(cutoff_ns, state_->options.chunk_max_span_ns));
}

Result<std::optional<LastSample>> Engine::Last(TagId tag) const {
  const State& s = *state_;
  auto head_last = [](const SeriesHead& head) {
    return std::optional<LastSample>(LastSample{head.last_ts(), head.last_status(), head.last_value(), head.last_str()});
  };
  {
    std::lock_guard lock(s.mu);
    const SeriesHead* head = s.FindHeadLocked(tag);
    if (head != nullptr && head->has_last() && head->stored_last_checked()) return head_last(*head);
  }
  ZZ_ASSIGN_OR_RETURN(std::optional<LastSample> stored, StoredLast(tag));
  // Remember the answer in the head, so that the chunk store is asked once per series; after a
  // restart the series has no head until it is written, so it gets one now.
  std::lock_guard lock(s.mu);
  SeriesHead* head = s.FindHeadLocked(tag);
  if (head == nullptr && !stored) return stored;
  if (head == nullptr) head = &state_->AddHeadLocked(tag, stored->value.type());
  if (stored) {
    head->OfferStoredLast(stored->ts_ns, stored->value, stored->str, stored->status);
  } else {
    head->MarkStoredLastChecked();
  }
  return head->has_last() ? head_last(*head) : stored;
}

// The chunk store's newest sample time is in the chunk that starts last, or in one starting up to
// a chunk's span before it that ends later (out-of-order samples merged in): their headers say,
// without decoding. Only the samples at the newest time of all (stored, pending, head) are read:
// reading from the last stored chunk's start onwards would decode everything written since the
// last checkpoint (16 MiB of chunks: seconds for a tag backfilled over a year).
Result<std::optional<LastSample>> Engine::StoredLast(TagId tag) const {
  const State& s = *state_;
  ZZ_ASSIGN_OR_RETURN(std::optional<StoredChunk> newest, s.store->Last(tag));
  if (!newest) return std::optional<LastSample>();
  int64_t last_ts = INT64_MIN;
  Status header_status;
  ZZ_RETURN_IF_ERROR(s.store->Scan(tag, ChunkLookBack(newest->first_ts, s.options.chunk_max_span_ns), INT64_MAX,
                                   [&](int64_t, uint64_t, std::string_view bytes) {
                                     Result<ChunkHeader> header = ReadChunkHeader(bytes);
                                     header_status = header.status();
                                     if (header.ok()) last_ts = std::max(last_ts, header->last_ts);
                                     return header.ok();
                                   }));
  ZZ_RETURN_IF_ERROR(header_status.WithContext("tag " + std::to_string(tag)));
  {
    std::lock_guard lock(s.mu);
    const SeriesHead* head = s.FindHeadLocked(tag);
    if (head != nullptr && head->has_last()) last_ts = std::max(last_ts, head->last_ts());
  }
  SeriesSamples samples;
  ZZ_RETURN_IF_ERROR(Read(tag, last_ts, last_ts, &samples));
  if (samples.size() == 0) return std::optional<LastSample>();
  size_t i = samples.size() - 1;
  LastSample last{samples.ts_ns[i], samples.status[i], ValueAt(samples, i), ""};
  if (samples.type == DataType::kString) last.str = samples.str[i];
  return std::optional<LastSample>(std::move(last));
}

}  // namespace zhizao::storage
