// Engine: the read path.
#include "storage/internal/engine_state.h"
#include "storage/internal/merge.h"
#include "storage/internal/samples_util.h"

namespace zhizao::storage {
namespace {

using Sources = std::vector<std::pair<uint64_t, SeriesSamples>>;

// The earliest first_ts of a chunk that may hold samples at `from`.
int64_t LookBack(int64_t from, int64_t span) { return from < INT64_MIN + span ? INT64_MIN : from - span; }

Status DecodeInto(std::string_view chunk, uint64_t seq, DataType type, int64_t from, int64_t to, Sources& out) {
  SeriesSamples samples;
  samples.type = type;
  ZZ_RETURN_IF_ERROR(DecodeChunkRange(chunk, from, to, &samples));
  if (samples.size() > 0) out.emplace_back(seq, std::move(samples));
  return Status::Ok();
}

}  // namespace

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
      if (c.tag == tag && c.first_ts <= to_ns && c.first_ts >= LookBack(from_ns, s.options.chunk_max_span_ns)) {
        pending.push_back(c);
      }
    }
  }
  Status scanned = s.store->Scan(tag, LookBack(from_ns, s.options.chunk_max_span_ns), to_ns,
                                 [&](int64_t, uint64_t seq, std::string_view bytes) {
                                   Result<ChunkHeader> header = ReadChunkHeader(bytes);
                                   if (header.ok()) type = header->type;
                                   pending.push_back({tag, 0, seq, std::string(bytes)});
                                   return true;
                                 });
  ZZ_RETURN_IF_ERROR(scanned);
  for (const StoredChunk& c : pending) {
    ZZ_RETURN_IF_ERROR(DecodeInto(c.bytes, c.seq, type, from_ns, to_ns, sources)
                           .WithContext("tag " + std::to_string(tag) + ", chunk seq " + std::to_string(c.seq)));
  }
  if (out->size() == 0) out->type = type;
  for (auto& [seq, samples] : sources) {
    if (samples.type != out->type) {
      return Status::InvalidArgument("tag " + std::to_string(tag) + " holds " +
                                     std::string(DataTypeName(samples.type)) + " samples, not " +
                                     std::string(DataTypeName(out->type)));
    }
  }
  MergeSources(sources, out);
  return Status::Ok();
}

Status Engine::DeleteBefore(TagId tag, int64_t cutoff_ns) {
  // A chunk starting before cutoff - span ends before the cutoff.
  return state_->store->DeleteBefore(tag, LookBack(cutoff_ns, state_->options.chunk_max_span_ns));
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
  // Remember the answer in the head, so that the chunk store is asked once per series.
  std::lock_guard lock(s.mu);
  SeriesHead* head = s.FindHeadLocked(tag);
  if (head == nullptr) return stored;
  if (stored) {
    head->OfferStoredLast(stored->ts_ns, stored->value, stored->str, stored->status);
  } else {
    head->MarkStoredLastChecked();
  }
  return head->has_last() ? head_last(*head) : stored;
}

Result<std::optional<LastSample>> Engine::StoredLast(TagId tag) const {
  ZZ_ASSIGN_OR_RETURN(std::optional<StoredChunk> newest, state_->store->Last(tag));
  if (!newest) return std::optional<LastSample>();
  SeriesSamples samples;
  ZZ_RETURN_IF_ERROR(Read(tag, newest->first_ts, INT64_MAX, &samples));
  if (samples.size() == 0) return std::optional<LastSample>();
  size_t i = samples.size() - 1;
  LastSample last{samples.ts_ns[i], samples.status[i], ValueAt(samples, i), ""};
  if (samples.type == DataType::kString) last.str = samples.str[i];
  return std::optional<LastSample>(std::move(last));
}

}  // namespace zhizao::storage
