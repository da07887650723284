#include "storage/internal/series_head.h"

#include <algorithm>

#include "common/check.h"

namespace zhizao::storage {
namespace {

const size_t kBlockSamples = ChunkBuilderOptions().block_samples;
// Raw samples kept after a block is encoded, so that a sample a little late (a batch that
// overtook another on a parallel connection) still lands in order in the open chunk instead of
// in an out-of-order chunk that every later read must merge. The tail fills to kBlockSamples +
// kReorderSamples; encoding takes its first kBlockSamples and keeps the rest.
const size_t kReorderSamples = 32;

ChunkBuilderOptions BuilderOptions(const HeadLimits& limits) {
  return {.min_summary_samples = limits.chunk_summary_min_samples};
}

}  // namespace

SeriesHead::SeriesHead(TagId tag, DataType type, const HeadLimits& limits)
    : tag_(tag), type_(type), tail_(type), builder_(type, BuilderOptions(limits)) {}

void SeriesHead::SetLast(int64_t ts, const Value& value, std::string_view str, uint32_t status) {
  has_last_ = true;
  last_ts_ = ts;
  last_status_ = status;
  last_value_ = value;
  if (type_ == DataType::kString) last_str_.assign(str);
}

void SeriesHead::PushSample(SeriesSamples& s, int64_t ts, const Value& value, std::string_view str,
                            uint32_t status) {
  s.ts_ns.push_back(ts);
  s.status.push_back(status);
  switch (s.type) {
    case DataType::kFloat64: s.f64.push_back(value.f64()); break;
    case DataType::kInt64: s.i64.push_back(value.i64()); break;
    case DataType::kBool: s.i64.push_back(value.boolean() ? 1 : 0); break;
    case DataType::kString: s.str.emplace_back(str); break;
  }
}

void SeriesHead::OfferStoredLast(int64_t ts, const Value& value, std::string_view str, uint32_t status) {
  stored_last_checked_ = true;
  if (!has_last_ || ts > last_ts_) SetLast(ts, value, str, status);
}

int64_t SeriesHead::Append(int64_t ts, const Value& value, std::string_view str, uint32_t status, uint64_t seq,
                           const HeadLimits& limits, std::vector<StoredChunk>& sealed) {
  ZZ_CHECK(value.type() == type_, "the engine checks types before appending");
  if (TryAppendToTail(ts, value, status, limits)) return 0;
  const auto before = static_cast<int64_t>(memory_bytes());
  if (!has_last_ || ts > last_ts_) {
    AppendInOrder(ts, value, str, status, seq, limits, sealed);
  } else if (CanReorder(ts, limits)) {
    InsertLate(ts, value, str, status);
  } else {
    AppendOutOfOrder(ts, value, str, status, seq, limits, sealed);
  }
  return static_cast<int64_t>(memory_bytes()) - before;
}

// AppendInOrder when it has nothing to do but push to the tail: the next tick of the open chunk,
// no block to encode and no seal due.
bool SeriesHead::TryAppendToTail(int64_t ts, const Value& value, uint32_t status, const HeadLimits& limits) {
  if (!has_last_ || ts <= last_ts_ || !chunk_started_ || ts - chunk_first_ts_ >= limits.chunk_max_span_ns) return false;
  const size_t held = tail_.size() + 1;
  if (held >= kBlockSamples + kReorderSamples || builder_.sample_count() + held >= limits.chunk_max_samples) return false;
  if (!tail_.TryPushNextTick(ts, value, status)) return false;
  SetLast(ts, value, {}, status);
  return true;
}

// A late sample may join the open chunk when it is newer than everything encoded so far (or,
// before the first block is encoded, when the chunk's span allows), so the chunk stays in time
// order; and when it is newer than every out-of-order sample taken since the chunk started,
// because those went to chunks of higher sequence that would win its timestamp at read time.
bool SeriesHead::CanReorder(int64_t ts, const HeadLimits& limits) const {
  if (!chunk_started_ || tail_.size() == 0 || ts <= ooo_max_ts_since_chunk_) return false;
  if (ts >= tail_.front_ts()) return true;
  return builder_.sample_count() == 0 && last_ts_ - ts < limits.chunk_max_span_ns;
}

void SeriesHead::InsertLate(int64_t ts, const Value& value, std::string_view str, uint32_t status) {
  chunk_first_ts_ = std::min(chunk_first_ts_, ts);
  tail_.Insert(ts, value, str, status);
  if (ts == last_ts_) SetLast(ts, value, str, status);  // a rewrite of the newest sample
}

void SeriesHead::AppendInOrder(int64_t ts, const Value& value, std::string_view str, uint32_t status,
                               uint64_t seq, const HeadLimits& limits, std::vector<StoredChunk>& sealed) {
  if (chunk_started_ && ts - chunk_first_ts_ >= limits.chunk_max_span_ns) SealInOrder(sealed);
  if (!chunk_started_) {
    chunk_started_ = true;
    ooo_max_ts_since_chunk_ = INT64_MIN;
    chunk_seq_ = seq;
    chunk_first_ts_ = ts;
  }
  tail_.PushBack(ts, value, str, status);
  if (tail_.size() >= kBlockSamples + kReorderSamples) EncodeBlock(kBlockSamples);
  if (builder_.sample_count() + tail_.size() >= limits.chunk_max_samples) SealInOrder(sealed);
  SetLast(ts, value, str, status);
}

void SeriesHead::AppendOutOfOrder(int64_t ts, const Value& value, std::string_view str, uint32_t status,
                                  uint64_t seq, const HeadLimits& limits, std::vector<StoredChunk>& sealed) {
  // The buffer must have been started after the latest in-order chunk (see the header).
  if (!ooo_.empty() && ooo_seq_ < chunk_seq_) SealOutOfOrder(sealed, limits);
  if (ooo_.empty()) ooo_seq_ = seq;
  ooo_max_ts_since_chunk_ = std::max(ooo_max_ts_since_chunk_, ts);
  ooo_[ts] = OooSample{status, value, std::string(str)};
  if (ts == last_ts_) SetLast(ts, value, str, status);
  if (ooo_.size() >= limits.chunk_max_samples) SealOutOfOrder(sealed, limits);
}

void SeriesHead::EncodeBlock(size_t n) {
  if (n == 0) return;
  // The builder reads columns with a status per sample: the block is copied out for it (one
  // buffer per thread, reused: every head's append runs under the engine's head lock).
  thread_local SeriesSamples block;
  block.Clear();
  block.type = type_;
  tail_.CopyPrefix(n, &block);
  builder_.Append(block, 0, n);
  tail_.DropPrefix(n);
}

void SeriesHead::SealInOrder(std::vector<StoredChunk>& sealed) {
  EncodeBlock(tail_.size());
  if (builder_.sample_count() > 0) sealed.push_back({tag_, builder_.first_ts(), chunk_seq_, builder_.Finish()});
  chunk_started_ = false;
  // A sealed head may stay idle for long (every head is sealed at a checkpoint): it keeps no
  // buffer. One that goes on grows it again, a few allocations per chunk.
  tail_.Release();
}

// Out-of-order samples may span any time: they are cut into chunks no longer than the span
// limit, so that a read's look-back stays bounded.
void SeriesHead::SealOutOfOrder(std::vector<StoredChunk>& sealed, const HeadLimits& limits) {
  SeriesSamples run;
  run.type = type_;
  ChunkBuilder builder(type_, BuilderOptions(limits));
  auto flush_run = [&] {
    if (run.size() == 0) return;
    builder.Append(run, 0, run.size());
    sealed.push_back({tag_, run.ts_ns.front(), ooo_seq_, builder.Finish(), /*may_overlap=*/true});
    run.Clear();
  };
  for (const auto& [ts, sample] : ooo_) {
    if (run.size() > 0 && ts - run.ts_ns.front() >= limits.chunk_max_span_ns) flush_run();
    PushSample(run, ts, sample.value, sample.str, sample.status);
  }
  flush_run();
  ooo_.clear();
}

void SeriesHead::SealAll(const HeadLimits& limits, std::vector<StoredChunk>& sealed) {
  SealInOrder(sealed);
  if (!ooo_.empty()) SealOutOfOrder(sealed, limits);
}

void SeriesHead::Collect(int64_t from, int64_t to, std::vector<std::pair<uint64_t, SeriesSamples>>& out) const {
  if (chunk_started_) {
    SeriesSamples in_order;
    in_order.type = type_;
    if (builder_.sample_count() > 0 && builder_.last_ts() >= from && builder_.first_ts() <= to) {
      ZZ_CHECK(builder_.DecodeRange(from, to, &in_order).ok(), "the head's own blocks decode");
    }
    tail_.CopyRange(from, to, &in_order);
    if (in_order.size() > 0) out.emplace_back(chunk_seq_, std::move(in_order));
  }
  if (ooo_.empty()) return;
  SeriesSamples late;
  late.type = type_;
  for (auto it = ooo_.lower_bound(from); it != ooo_.end() && it->first <= to; ++it) {
    PushSample(late, it->first, it->second.value, it->second.str, it->second.status);
  }
  if (late.size() > 0) out.emplace_back(ooo_seq_, std::move(late));
}

size_t SeriesHead::memory_bytes() const {
  return sizeof(*this) + builder_.size_bytes() + tail_.memory_bytes() + ooo_.size() * (sizeof(OooSample) + 48);
}

}  // namespace zhizao::storage
