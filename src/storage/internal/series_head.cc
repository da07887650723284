#include "storage/internal/series_head.h"

#include "common/check.h"
#include "storage/internal/samples_util.h"

namespace zhizao::storage {
namespace {

const size_t kBlockSamples = ChunkBuilderOptions().block_samples;

// The open block fills to kBlockSamples and is cleared (keeping its capacity) when encoded.
void Reserve(SeriesSamples& s, size_t n) {
  s.ts_ns.reserve(n);
  s.status.reserve(n);
  if (s.type == DataType::kFloat64) s.f64.reserve(n);
  if (s.type == DataType::kInt64 || s.type == DataType::kBool) s.i64.reserve(n);
}

}  // namespace

SeriesHead::SeriesHead(TagId tag, DataType type) : tag_(tag), type_(type), builder_(type) { open_.type = type; }

void SeriesHead::SetLast(int64_t ts, const Value& value, std::string_view str, uint32_t status) {
  has_last_ = true;
  last_ts_ = ts;
  last_status_ = status;
  last_value_ = value;
  if (type_ == DataType::kString) last_str_.assign(str);
}

void SeriesHead::PushSample(SeriesSamples& s, int64_t ts, const Value& value, std::string_view str,
                            uint32_t status) {
  if (s.ts_ns.capacity() == 0) Reserve(s, kBlockSamples);
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

void SeriesHead::Append(int64_t ts, const Value& value, std::string_view str, uint32_t status, uint64_t seq,
                        const HeadLimits& limits, std::vector<StoredChunk>& sealed) {
  ZZ_CHECK(value.type() == type_, "the engine checks types before appending");
  if (!has_last_ || ts > last_ts_) {
    AppendInOrder(ts, value, str, status, seq, limits, sealed);
  } else {
    AppendOutOfOrder(ts, value, str, status, seq, limits, sealed);
  }
}

void SeriesHead::AppendInOrder(int64_t ts, const Value& value, std::string_view str, uint32_t status,
                               uint64_t seq, const HeadLimits& limits, std::vector<StoredChunk>& sealed) {
  if (chunk_started_ && ts - chunk_first_ts_ >= limits.chunk_max_span_ns) SealInOrder(sealed);
  if (!chunk_started_) {
    chunk_started_ = true;
    chunk_seq_ = seq;
    chunk_first_ts_ = ts;
  }
  PushSample(open_, ts, value, str, status);
  if (open_.size() >= kBlockSamples) EncodeOpenBlock();
  if (builder_.sample_count() + open_.size() >= limits.chunk_max_samples) SealInOrder(sealed);
  SetLast(ts, value, str, status);
}

void SeriesHead::AppendOutOfOrder(int64_t ts, const Value& value, std::string_view str, uint32_t status,
                                  uint64_t seq, const HeadLimits& limits, std::vector<StoredChunk>& sealed) {
  // The buffer must have been started after the latest in-order chunk (see the header).
  if (!ooo_.empty() && ooo_seq_ < chunk_seq_) SealOutOfOrder(sealed, limits);
  if (ooo_.empty()) ooo_seq_ = seq;
  ooo_[ts] = OooSample{status, value, std::string(str)};
  if (ts == last_ts_) SetLast(ts, value, str, status);
  if (ooo_.size() >= limits.chunk_max_samples) SealOutOfOrder(sealed, limits);
}

void SeriesHead::EncodeOpenBlock() {
  if (open_.size() == 0) return;
  builder_.Append(open_, 0, open_.size());
  open_.Clear();
}

void SeriesHead::SealInOrder(std::vector<StoredChunk>& sealed) {
  EncodeOpenBlock();
  if (builder_.sample_count() > 0) sealed.push_back({tag_, builder_.first_ts(), chunk_seq_, builder_.Finish()});
  chunk_started_ = false;
}

// Out-of-order samples may span any time: they are cut into chunks no longer than the span
// limit, so that a read's look-back stays bounded.
void SeriesHead::SealOutOfOrder(std::vector<StoredChunk>& sealed, const HeadLimits& limits) {
  SeriesSamples run;
  run.type = type_;
  ChunkBuilder builder(type_);
  auto flush_run = [&] {
    if (run.size() == 0) return;
    builder.Append(run, 0, run.size());
    sealed.push_back({tag_, run.ts_ns.front(), ooo_seq_, builder.Finish()});
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
    for (size_t i = 0; i < open_.size(); ++i) {
      int64_t ts = open_.ts_ns[i];
      if (ts >= from && ts <= to) AppendSample(in_order, open_, i);
    }
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
  size_t raw = open_.ts_ns.capacity() * 8 + open_.status.capacity() * 4 + open_.f64.capacity() * 8 +
               open_.i64.capacity() * 8;
  return sizeof(*this) + builder_.size_bytes() + raw + ooo_.size() * (sizeof(OooSample) + 48);
}

}  // namespace zhizao::storage
