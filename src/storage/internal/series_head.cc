#include "storage/internal/series_head.h"

#include <algorithm>

#include "common/check.h"
#include "storage/internal/samples_util.h"

namespace zhizao::storage {
namespace {

const size_t kBlockSamples = ChunkBuilderOptions().block_samples;
// Raw samples kept after a block is encoded, so that a sample a little late (a batch that
// overtook another on a parallel connection) still lands in order in the open chunk instead of
// in an out-of-order chunk that every later read must merge.
const size_t kReorderSamples = 32;

// The open block fills to kBlockSamples + kReorderSamples; encoding takes its first
// kBlockSamples and keeps the rest (and the capacity). The raw buffer grows from a few samples,
// doubling up to that size, so that a series written a few times (100,000 series of 300 samples
// each, or a tag polled once a minute) holds ~20 bytes per sample it has rather than 3.2 KB.
constexpr size_t kFirstRawCapacity = 8;

void Grow(SeriesSamples& s, bool statuses) {
  const size_t n = std::min(std::max(kFirstRawCapacity, 2 * s.ts_ns.capacity()), kBlockSamples + kReorderSamples);
  s.ts_ns.reserve(n);
  if (statuses) s.status.reserve(n);
  if (s.type == DataType::kFloat64) s.f64.reserve(n);
  if (s.type == DataType::kInt64 || s.type == DataType::kBool) s.i64.reserve(n);
}

// Appends sample i of the raw buffer `raw`, whose statuses are left out while all are Good.
void AppendRaw(SeriesSamples& to, const SeriesSamples& raw, size_t i) {
  if (!raw.status.empty()) return AppendSample(to, raw, i);
  to.ts_ns.push_back(raw.ts_ns[i]);
  to.status.push_back(status_codes::kGood);
  switch (raw.type) {
    case DataType::kFloat64: to.f64.push_back(raw.f64[i]); break;
    case DataType::kInt64:
    case DataType::kBool: to.i64.push_back(raw.i64[i]); break;
    case DataType::kString: to.str.push_back(raw.str[i]); break;
  }
}

ChunkBuilderOptions BuilderOptions(const HeadLimits& limits) {
  return {.min_summary_samples = limits.chunk_summary_min_samples};
}

}  // namespace

SeriesHead::SeriesHead(TagId tag, DataType type, const HeadLimits& limits)
    : tag_(tag), type_(type), builder_(type, BuilderOptions(limits)) {
  open_.type = type;
}

void SeriesHead::SetLast(int64_t ts, const Value& value, std::string_view str, uint32_t status) {
  has_last_ = true;
  last_ts_ = ts;
  last_status_ = status;
  last_value_ = value;
  if (type_ == DataType::kString) last_str_.assign(str);
}

void SeriesHead::PushSample(SeriesSamples& s, int64_t ts, const Value& value, std::string_view str,
                            uint32_t status) {
  if (s.ts_ns.size() == s.ts_ns.capacity()) Grow(s, true);
  s.status.push_back(status);
  PushUnlabelled(s, ts, value, str);
}

void SeriesHead::PushUnlabelled(SeriesSamples& s, int64_t ts, const Value& value, std::string_view str) {
  if (s.ts_ns.size() == s.ts_ns.capacity()) Grow(s, !s.status.empty());
  s.ts_ns.push_back(ts);
  switch (s.type) {
    case DataType::kFloat64: s.f64.push_back(value.f64()); break;
    case DataType::kInt64: s.i64.push_back(value.i64()); break;
    case DataType::kBool: s.i64.push_back(value.boolean() ? 1 : 0); break;
    case DataType::kString: s.str.emplace_back(str); break;
  }
}

void SeriesHead::PushRaw(int64_t ts, const Value& value, std::string_view str, uint32_t status) {
  if (status == status_codes::kGood && open_.status.empty()) return PushUnlabelled(open_, ts, value, str);
  KeepRawStatuses();
  PushSample(open_, ts, value, str, status);
}

void SeriesHead::KeepRawStatuses() {
  if (!open_.status.empty() || open_.size() == 0) return;
  open_.status.reserve(open_.ts_ns.capacity());
  open_.status.assign(open_.size(), status_codes::kGood);
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
  } else if (CanReorder(ts, limits)) {
    InsertLate(ts, value, str, status);
  } else {
    AppendOutOfOrder(ts, value, str, status, seq, limits, sealed);
  }
}

// A late sample may join the open chunk when it is newer than everything encoded so far (or,
// before the first block is encoded, when the chunk's span allows), so the chunk stays in time
// order; and when it is newer than every out-of-order sample taken since the chunk started,
// because those went to chunks of higher sequence that would win its timestamp at read time.
bool SeriesHead::CanReorder(int64_t ts, const HeadLimits& limits) const {
  if (!chunk_started_ || open_.size() == 0 || ts <= ooo_max_ts_since_chunk_) return false;
  if (ts >= open_.ts_ns.front()) return true;
  return builder_.sample_count() == 0 && last_ts_ - ts < limits.chunk_max_span_ns;
}

void SeriesHead::InsertLate(int64_t ts, const Value& value, std::string_view str, uint32_t status) {
  chunk_first_ts_ = std::min(chunk_first_ts_, ts);
  auto at = std::lower_bound(open_.ts_ns.begin(), open_.ts_ns.end(), ts);
  auto i = static_cast<size_t>(at - open_.ts_ns.begin());
  if (status != status_codes::kGood) KeepRawStatuses();
  if (at == open_.ts_ns.end() || *at != ts) {
    open_.ts_ns.insert(at, ts);
    if (!open_.status.empty()) open_.status.insert(open_.status.begin() + static_cast<std::ptrdiff_t>(i), status);
    auto pos = static_cast<std::ptrdiff_t>(i);
    switch (type_) {
      case DataType::kFloat64: open_.f64.insert(open_.f64.begin() + pos, value.f64()); break;
      case DataType::kInt64: open_.i64.insert(open_.i64.begin() + pos, value.i64()); break;
      case DataType::kBool: open_.i64.insert(open_.i64.begin() + pos, value.boolean() ? 1 : 0); break;
      case DataType::kString: open_.str.emplace(open_.str.begin() + pos, str); break;
    }
    return;
  }
  // A rewrite of a timestamp in the open chunk: the later write replaces the earlier in place.
  if (!open_.status.empty()) open_.status[i] = status;
  switch (type_) {
    case DataType::kFloat64: open_.f64[i] = value.f64(); break;
    case DataType::kInt64: open_.i64[i] = value.i64(); break;
    case DataType::kBool: open_.i64[i] = value.boolean() ? 1 : 0; break;
    case DataType::kString: open_.str[i].assign(str); break;
  }
  if (ts == last_ts_) SetLast(ts, value, str, status);
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
  PushRaw(ts, value, str, status);
  if (open_.size() >= kBlockSamples + kReorderSamples) EncodeBlock(kBlockSamples);
  if (builder_.sample_count() + open_.size() >= limits.chunk_max_samples) SealInOrder(sealed);
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
  // The builder reads a status per sample: Good ones are made for it, then dropped again.
  const bool all_good = open_.status.empty();
  if (all_good) open_.status.assign(open_.size(), status_codes::kGood);
  builder_.Append(open_, 0, n);
  if (all_good) std::vector<uint32_t>().swap(open_.status);
  if (n == open_.size()) {
    open_.Clear();
    return;
  }
  auto erase = [n](auto& column) {
    if (!column.empty()) column.erase(column.begin(), column.begin() + static_cast<std::ptrdiff_t>(n));
  };
  erase(open_.ts_ns);
  erase(open_.status);
  erase(open_.f64);
  erase(open_.i64);
  erase(open_.str);
  if (std::all_of(open_.status.begin(), open_.status.end(), [](uint32_t st) { return st == status_codes::kGood; })) {
    std::vector<uint32_t>().swap(open_.status);
  }
}

void SeriesHead::SealInOrder(std::vector<StoredChunk>& sealed) {
  EncodeBlock(open_.size());
  if (builder_.sample_count() > 0) sealed.push_back({tag_, builder_.first_ts(), chunk_seq_, builder_.Finish()});
  chunk_started_ = false;
  // A sealed head may stay idle for long (every head is sealed at a checkpoint): it keeps no
  // buffer. One that goes on grows it again, a few allocations per chunk.
  open_ = SeriesSamples();
  open_.type = type_;
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
    for (size_t i = 0; i < open_.size(); ++i) {
      int64_t ts = open_.ts_ns[i];
      if (ts < from || ts > to) continue;
      AppendRaw(in_order, open_, i);
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
