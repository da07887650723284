#include "storage/encoding/block.h"

#include <algorithm>
#include <string>

namespace zhizao::storage::encoding {
namespace {

enum TsMode : uint8_t { kTsContinue = 0, kTsRegular = 1, kTsIrregular = 2 };
enum StatusMode : uint8_t { kAllGood = 0, kConstant = 1, kRuns = 2 };
enum ValueCodec : uint8_t { kIntBlock = 0, kXor = 1, kStrings = 2 };

uint64_t Delta(int64_t later, int64_t earlier) { return static_cast<uint64_t>(later) - static_cast<uint64_t>(earlier); }

uint8_t EncodeTimestamps(const int64_t* ts, size_t n, BlockChainState* st, std::string* out) {
  const uint64_t period = n > 1 ? Delta(ts[1], ts[0]) : static_cast<uint64_t>(st->period);
  bool regular = true;
  for (size_t i = 2; i < n && regular; ++i) regular = Delta(ts[i], ts[i - 1]) == period;
  const int64_t offset = WrapSub(ts[0], WrapAdd(st->last_ts, st->period));
  const uint64_t last_delta = n > 1 ? Delta(ts[n - 1], ts[n - 2]) : period;
  TsMode mode = !regular ? kTsIrregular : (offset == 0 && st->period != 0 && period == static_cast<uint64_t>(st->period)) ? kTsContinue : kTsRegular;
  if (mode != kTsContinue) PutVarint(out, ZigZag(offset));
  if (mode == kTsRegular) PutVarint(out, period);
  if (mode == kTsIrregular) {
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t i = 1; i < n; ++i) lo = std::min(lo, Delta(ts[i], ts[i - 1])), hi = std::max(hi, Delta(ts[i], ts[i - 1]));
    const int width = BitWidth(hi - lo);
    PutVarint(out, lo);
    out->push_back(static_cast<char>(width));
    BitWriter bits(out);
    for (size_t i = 1; i < n; ++i) bits.Put(Delta(ts[i], ts[i - 1]) - lo, width);
    bits.Flush();
  }
  st->last_ts = ts[n - 1];
  st->period = static_cast<int64_t>(last_delta);
  st->first_block = false;
  return mode;
}

uint8_t EncodeStatuses(const uint32_t* s, size_t n, std::string* out) {
  if (std::all_of(s, s + n, [&](uint32_t x) { return x == s[0]; })) {
    if (s[0] == 0) return kAllGood;
    PutVarint(out, s[0]);
    return kConstant;
  }
  std::string runs;
  size_t count = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && s[j] == s[i]) ++j;
    PutVarint(&runs, s[i]);
    PutVarint(&runs, j - i - 1);
    ++count;
    i = j;
  }
  PutVarint(out, count);
  out->append(runs);
  return kRuns;
}

uint8_t EncodeValues(DataType type, const SeriesSamples& s, size_t begin, size_t n, BlockChainState* st,
                     std::string* out) {
  if (type == DataType::kString) {
    for (size_t i = begin; i < begin + n; ++i) {
      PutVarint(out, s.str[i].size());
      out->append(s.str[i]);
    }
    return kStrings;
  }
  if (type != DataType::kFloat64) {
    EncodeInts(s.i64.data() + begin, n, 0, &st->history, out);
    return kIntBlock;
  }
  int64_t m[kMaxBlockSamples];
  DecimalScale scale;
  if (!ToDecimal(s.f64.data() + begin, n, st->decimal, &scale, m)) {
    EncodeXor(s.f64.data() + begin, n, out);
    return kXor;
  }
  st->decimal = scale;
  EncodeInts(m, n, scale.Code(), &st->history, out);
  return kIntBlock;
}

Status DecodeTimestamps(ByteReader* in, TsMode mode, size_t n, BlockChainState* st, int64_t* ts) {
  if (mode > kTsIrregular) return Status::Corruption("bad timestamp mode");
  uint64_t offset = 0, period = static_cast<uint64_t>(st->period);
  if (mode == kTsContinue && st->period <= 0) return Status::Corruption("timestamps continue a period that is not set");
  if (mode != kTsContinue && !in->GetVarint(&offset)) return Status::Corruption("truncated timestamp offset");
  ts[0] = WrapAdd(WrapAdd(st->last_ts, st->period), UnZigZag(offset));
  if (mode == kTsRegular && !in->GetVarint(&period)) return Status::Corruption("truncated timestamp period");
  if (mode == kTsIrregular) {
    uint64_t lo = 0;
    uint8_t width = 0;
    if (!in->GetVarint(&lo) || !in->GetByte(&width) || width > 64) return Status::Corruption("bad timestamp deltas header");
    std::string_view packed;
    if (!in->GetBytes(((n - 1) * width + 7) / 8, &packed)) return Status::Corruption("truncated timestamp deltas");
    BitReader bits(packed);
    for (size_t i = 1; i < n; ++i) ts[i] = WrapAdd(ts[i - 1], static_cast<int64_t>(lo + bits.Get(width)));
    period = n > 1 ? Delta(ts[n - 1], ts[n - 2]) : period;
  } else {
    for (size_t i = 1; i < n; ++i) ts[i] = WrapAdd(ts[i - 1], static_cast<int64_t>(period));
  }
  // Strictly increasing, as signed values: a delta that wrapped past INT64_MAX shows here.
  if (st->first_block ? ts[0] != st->last_ts : ts[0] <= st->last_ts) return Status::Corruption("timestamps out of order");
  for (size_t i = 1; i < n; ++i) {
    if (ts[i] <= ts[i - 1]) return Status::Corruption("timestamps out of order");
  }
  st->last_ts = ts[n - 1];
  st->period = static_cast<int64_t>(period);
  st->first_block = false;
  return Status::Ok();
}

Status DecodeStatuses(ByteReader* in, StatusMode mode, size_t n, uint32_t* s) {
  uint64_t v = 0, runs = 1;
  if (mode == kAllGood) return std::fill(s, s + n, 0), Status::Ok();
  if (mode == kConstant) {
    if (!in->GetVarint(&v) || v > UINT32_MAX) return Status::Corruption("bad constant status");
    return std::fill(s, s + n, static_cast<uint32_t>(v)), Status::Ok();
  }
  if (mode != kRuns || !in->GetVarint(&runs) || runs > n) return Status::Corruption("bad status runs");
  size_t at = 0;
  for (uint64_t r = 0; r < runs; ++r) {
    uint64_t len = 0;
    if (!in->GetVarint(&v) || v > UINT32_MAX || !in->GetVarint(&len) || len >= n - at) {
      return Status::Corruption("bad status run");
    }
    std::fill(s + at, s + at + len + 1, static_cast<uint32_t>(v));
    at += len + 1;
  }
  return at == n ? Status::Ok() : Status::Corruption("status runs do not cover the block");
}

// Decodes the value section, all of `bytes`, into the scratch column of `type`.
Status DecodeValues(DataType type, ValueCodec codec, std::string_view bytes, size_t n, BlockChainState* st,
                    int64_t* ints, double* floats, std::string* strs) {
  if (type == DataType::kString) {
    if (codec != kStrings) return Status::Corruption("bad value codec for strings");
    ByteReader in(bytes);
    for (size_t i = 0; i < n; ++i) {
      uint64_t len = 0;
      std::string_view v;
      if (!in.GetVarint(&len) || len > in.remaining() || !in.GetBytes(len, &v)) return Status::Corruption("truncated string");
      strs[i].assign(v);
    }
    return in.remaining() == 0 ? Status::Ok() : Status::Corruption("bytes after the last string");
  }
  if (type == DataType::kFloat64 && codec == kXor) return DecodeXor(bytes, n, floats);
  if (codec != kIntBlock) return Status::Corruption("bad value codec");
  uint8_t code = 0;
  ZZ_RETURN_IF_ERROR(DecodeInts(bytes, n, &st->history, &code, ints));
  if (type != DataType::kFloat64) {
    if (code != 0) return Status::Corruption("integer block with a decimal scale");
    if (type == DataType::kBool && std::any_of(ints, ints + n, [](int64_t v) { return v != 0 && v != 1; })) {
      return Status::Corruption("bool value other than 0 and 1");
    }
    return Status::Ok();
  }
  DecimalScale scale;
  if (!DecimalScale::FromCode(code, &scale)) return Status::Corruption("bad decimal scale");
  st->decimal = scale;
  FromDecimal(ints, n, scale, floats);
  return Status::Ok();
}

struct Scratch {
  int64_t ts[kMaxBlockSamples];
  uint32_t status[kMaxBlockSamples];
  int64_t ints[kMaxBlockSamples];
  double floats[kMaxBlockSamples];
  std::string strs[kMaxBlockSamples];
};

void AppendRange(DataType type, const Scratch& s, size_t n, int64_t from, int64_t to, SeriesSamples* out) {
  size_t lo = static_cast<size_t>(std::lower_bound(s.ts, s.ts + n, from) - s.ts);
  size_t hi = static_cast<size_t>(std::upper_bound(s.ts, s.ts + n, to) - s.ts);
  if (lo >= hi) return;
  out->ts_ns.insert(out->ts_ns.end(), s.ts + lo, s.ts + hi);
  out->status.insert(out->status.end(), s.status + lo, s.status + hi);
  if (type == DataType::kFloat64) out->f64.insert(out->f64.end(), s.floats + lo, s.floats + hi);
  if (type == DataType::kInt64 || type == DataType::kBool) out->i64.insert(out->i64.end(), s.ints + lo, s.ints + hi);
  if (type == DataType::kString) out->str.insert(out->str.end(), s.strs + lo, s.strs + hi);
}

Status DecodeBody(DataType type, std::string_view body, BlockChainState* st, int64_t from, int64_t to,
                  SeriesSamples* out, int64_t* first_ts, int64_t* last_ts) {
  // Per thread, so that a read allocates nothing per block and the stack stays small.
  thread_local Scratch scratch;
  ByteReader in(body);
  uint64_t n_minus_1 = 0;
  uint8_t flags = 0;
  if (!in.GetVarint(&n_minus_1) || n_minus_1 >= kMaxBlockSamples || !in.GetByte(&flags) || (flags & 0x80) != 0) {
    return Status::Corruption("bad block head");
  }
  const size_t n = n_minus_1 + 1;
  ZZ_RETURN_IF_ERROR(DecodeTimestamps(&in, static_cast<TsMode>(flags & 3), n, st, scratch.ts));
  *first_ts = scratch.ts[0];
  *last_ts = scratch.ts[n - 1];
  const bool wanted = *first_ts <= to && *last_ts >= from;
  ZZ_RETURN_IF_ERROR(DecodeStatuses(&in, static_cast<StatusMode>((flags >> 2) & 3), n, scratch.status));
  const auto codec = static_cast<ValueCodec>(flags >> 4);
  // Only integer blocks carry state to the next block; others are skipped when unwanted.
  if (!wanted && codec != kIntBlock) return Status::Ok();
  ZZ_RETURN_IF_ERROR(DecodeValues(type, codec, std::string_view(in.position(), in.remaining()), n, st,
                                  scratch.ints, scratch.floats, scratch.strs));
  if (wanted) AppendRange(type, scratch, n, from, to, out);
  return Status::Ok();
}

}  // namespace

Status DecodeBlock(DataType type, const char* chunk_start, ByteReader* in, BlockChainState* state, int64_t from,
                   int64_t to, SeriesSamples* out, int64_t* block_first_ts, int64_t* block_last_ts) {
  const size_t offset = static_cast<size_t>(in->position() - chunk_start);
  uint64_t len = 0;
  std::string_view body;
  if (!in->GetVarint(&len) || len > in->remaining() || !in->GetBytes(len, &body)) {
    return Status::Corruption("truncated block at offset " + std::to_string(offset));
  }
  Status s = DecodeBody(type, body, state, from, to, out, block_first_ts, block_last_ts);
  if (!s.ok()) return Status::Corruption("block at offset " + std::to_string(offset) + ": " + s.message());
  return Status::Ok();
}

void EncodeBlock(DataType type, const SeriesSamples& samples, size_t begin, size_t end, BlockChainState* state,
                 std::string* out) {
  const size_t n = end - begin;
  // Per thread: the body is built first because its length prefixes it.
  thread_local std::string body;
  body.clear();
  PutVarint(&body, n - 1);
  const size_t flags_at = body.size();
  body.push_back(0);
  uint8_t flags = EncodeTimestamps(samples.ts_ns.data() + begin, n, state, &body);
  flags |= static_cast<uint8_t>(EncodeStatuses(samples.status.data() + begin, n, &body) << 2);
  flags |= static_cast<uint8_t>(EncodeValues(type, samples, begin, n, state, &body) << 4);
  body[flags_at] = static_cast<char>(flags);
  PutVarint(out, body.size());
  out->append(body);
}

}  // namespace zhizao::storage::encoding
