#include "storage/encoding/int_codec.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "storage/encoding/bits.h"

namespace zhizao::storage::encoding {
namespace {

enum Predictor : uint8_t { kNone = 0, kDelta = 1, kMean4 = 2 };
constexpr int kRiceEscape = 32;  // a quotient this large is written as 32 zeros + 64 raw bits
constexpr size_t kMaxValues = 1024;  // encoding::kMaxBlockSamples

int64_t Predict(Predictor p, const int64_t* h) {
  if (p == kDelta) return h[0];
  // Mean of the last four in wrapping arithmetic: exact unless the values are near the
  // int64 limits, where any prediction is as good as another for a lossless round trip.
  uint64_t sum = static_cast<uint64_t>(h[0]) + static_cast<uint64_t>(h[1]) + static_cast<uint64_t>(h[2]) +
                 static_cast<uint64_t>(h[3]);
  return static_cast<int64_t>(sum) >> 2;
}

void Push(int64_t* h, int64_t v) {
  h[3] = h[2], h[2] = h[1], h[1] = h[0], h[0] = v;
}

size_t VarintLen(uint64_t v) { return static_cast<size_t>(BitWidth(v | 1) + 6) / 7; }

struct Candidate {
  Predictor predictor = kNone;
  int64_t residuals[kMaxValues];
  size_t count = 0;
  bool rice = false;
  int k = 0;
  int64_t base = 0;
  int width = 0;
  size_t bytes = SIZE_MAX;
};

// Bits of the Rice codes of r[0..n) for parameters k0 - 1, k0 and k0 + 1 (k0 >= 1), an escape
// costing 32 + 64 bits. When no code escapes, as with nearly every block, one pass over a = u >>
// (k0 - 1) serves all three: the sum of floor(a / 2^j) is (sum of a - sum of a mod 2^j) / 2^j.
void RiceBits(const int64_t* r, size_t n, int k0, uint64_t max_u, size_t bits[3]) {
  const int k = k0 - 1;
  if ((max_u >> k) < kRiceEscape) {
    uint64_t a_sum = 0, odd = 0, mod4 = 0;
    for (size_t i = 0; i < n; ++i) {
      const uint64_t a = ZigZag(r[i]) >> k;
      a_sum += a, odd += a & 1, mod4 += a & 3;
    }
    bits[0] = a_sum + n, bits[1] = (a_sum - odd) / 2 + n, bits[2] = (a_sum - mod4) / 4 + n;
    return;
  }
  bits[0] = bits[1] = bits[2] = 0;
  for (size_t i = 0; i < n; ++i) {
    uint64_t u = ZigZag(r[i]);
    for (int j = 0; j < 3; ++j) {
      uint64_t q = u >> (k + j);
      bits[j] += q < kRiceEscape ? q + 1 : kRiceEscape + 64 - static_cast<uint64_t>(k + j);
    }
  }
}

// Sizes both coders for the residuals of `c` and keeps the smaller; `fixed` is the bytes
// of everything before the coder's own parameters.
void Size(Candidate* c, size_t fixed) {
  const int64_t* r = c->residuals;
  const size_t n = c->count;
  c->rice = false;
  if (n == 0) {
    c->base = 0, c->width = 0, c->bytes = fixed + 2;
    return;
  }
  int64_t lo = r[0], hi = r[0];
  for (size_t i = 0; i < n; ++i) lo = std::min(lo, r[i]), hi = std::max(hi, r[i]);
  c->base = lo;
  c->width = BitWidth(static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo));
  c->bytes = fixed + VarintLen(ZigZag(lo)) + 1 + (n * static_cast<size_t>(c->width) + 7) / 8;
  if (c->predictor == kNone) return;
  // The Rice parameter from the mean of the zigzag values. Zigzag grows with |r|, so the
  // extremes bound them; a sum that could overflow is taken in doubles.
  const uint64_t max_u = std::max(ZigZag(lo), ZigZag(hi));
  double sum = 0;
  if (max_u < (uint64_t{1} << 53)) {
    uint64_t exact = 0;
    for (size_t i = 0; i < n; ++i) exact += ZigZag(r[i]);
    sum = static_cast<double>(exact);
  } else {
    for (size_t i = 0; i < n; ++i) sum += static_cast<double>(ZigZag(r[i]));
  }
  const double mean = sum / static_cast<double>(n);
  const int k0 = mean < 2 ? 1 : std::min(62, static_cast<int>(std::log2(mean)));
  size_t bits[3];
  RiceBits(r, n, k0, max_u, bits);
  for (int j = 0; j < 3; ++j) {
    size_t bytes = fixed + 1 + (bits[j] + n * static_cast<size_t>(k0 - 1 + j) + 7) / 8;
    if (bytes < c->bytes) c->bytes = bytes, c->rice = true, c->k = k0 - 1 + j;
  }
}

void WriteResiduals(const Candidate& c, std::string* out) {
  if (!c.rice) {
    PutVarint(out, ZigZag(c.base));
    out->push_back(static_cast<char>(c.width));
    BitWriter bits(out);
    for (size_t i = 0; i < c.count; ++i) bits.Put(static_cast<uint64_t>(c.residuals[i]) - static_cast<uint64_t>(c.base), c.width);
    bits.Flush();
    return;
  }
  out->push_back(static_cast<char>(c.k));
  BitWriter bits(out);
  const uint64_t low_mask = c.k == 0 ? 0 : ~uint64_t{0} >> (64 - c.k);
  for (size_t i = 0; i < c.count; ++i) {
    uint64_t u = ZigZag(c.residuals[i]);
    uint64_t q = u >> c.k;
    if (q >= kRiceEscape) {
      bits.Put(0, kRiceEscape);
      bits.Put(u, 64);
      continue;
    }
    bits.Put(uint64_t{1} << q, static_cast<int>(q) + 1);
    bits.Put(u & low_mask, c.k);
  }
  bits.Flush();
}

Status ReadResiduals(std::string_view bytes, bool rice, size_t count, int64_t* r) {
  thread_local PaddedBitReader bits;
  ByteReader in(bytes);
  if (!rice) {
    uint64_t base = 0;
    uint8_t width = 0;
    if (!in.GetVarint(&base) || !in.GetByte(&width) || width > 64) return Status::Corruption("bad bit-packing header");
    if (in.remaining() != (count * width + 7) / 8) return Status::Corruption("bit-packed values do not fill their block");
    bits.Reset(std::string_view(in.position(), in.remaining()));
    const int64_t b = UnZigZag(base);
    const uint64_t mask = width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
    // The size check above bounds every read inside the stream.
    for (size_t i = 0; i < count; ++i) {
      r[i] = WrapAdd(b, static_cast<int64_t>(bits.Peek() & mask));
      bits.Skip(width);
    }
    return Status::Ok();
  }
  uint8_t k = 0;
  if (!in.GetByte(&k) || k > 63) return Status::Corruption("bad Rice parameter");
  bits.Reset(std::string_view(in.position(), in.remaining()));
  // The hot loop keeps the stream in locals so the compiler holds them in registers.
  const char* p = bits.data();
  const size_t size_bits = in.remaining() * 8;
  size_t pos = 0;
  auto peek = [p](size_t at) {
    uint64_t lo, hi;
    std::memcpy(&lo, p + (at >> 3), 8);
    std::memcpy(&hi, p + (at >> 3) + 8, 8);
    int shift = static_cast<int>(at & 7);
    return shift == 0 ? lo : (lo >> shift) | (hi << (64 - shift));
  };
  const uint64_t low_mask = k == 0 ? 0 : ~uint64_t{0} >> (64 - k);
  // Most codes are a few bits long: one 64-bit load serves several of them, and the loop
  // carried dependency is count-trailing-zeros and a shift, not a load per value. A code that
  // does not fit in what is left of the word, or an escape, takes the general step below.
  const int code_bits = 1 + k;
  size_t i = 0;
  while (i < count) {
    // pos <= size_bits here, so this load and the general step stay inside the padding.
    uint64_t w = peek(pos);
    int left = 64;
    while (i < count && w != 0) {
      const int q = std::countr_zero(w);
      const int len = q + code_bits;
      if (q >= kRiceEscape || len >= left) break;
      r[i++] = UnZigZag((static_cast<uint64_t>(q) << k) | ((w >> (q + 1)) & low_mask));
      w >>= len;
      left -= len;
      pos += static_cast<size_t>(len);
    }
    if (pos > size_bits) return Status::Corruption("Rice values overrun their block");
    if (i == count) break;
    uint64_t v = peek(pos);
    int q = v == 0 ? 64 : std::countr_zero(v);
    uint64_t u;
    if (q >= kRiceEscape) {
      u = peek(pos + kRiceEscape);
      pos += kRiceEscape + 64;
    } else if (q + 1 + k <= 64) {  // the common case: quotient and remainder in one word
      u = (static_cast<uint64_t>(q) << k) | ((v >> (q + 1)) & low_mask);
      pos += static_cast<size_t>(q + 1 + k);
    } else {
      u = (static_cast<uint64_t>(q) << k) | (peek(pos + static_cast<size_t>(q) + 1) & low_mask);
      pos += static_cast<size_t>(q + 1 + k);
    }
    // Each value reads at most 96 bits past pos, which the padding covers: check once per value.
    if (pos > size_bits) return Status::Corruption("Rice values overrun their block");
    r[i++] = UnZigZag(u);
  }
  if ((pos + 7) / 8 != in.remaining()) return Status::Corruption("Rice values do not fill their block");
  return Status::Ok();
}

// Adds the predictions back, in place; the history lives in registers for the loop.
void Unpredict(Predictor p, int64_t* v, size_t n, int64_t* last) {
  uint64_t h0 = static_cast<uint64_t>(last[0]), h1 = static_cast<uint64_t>(last[1]);
  uint64_t h2 = static_cast<uint64_t>(last[2]), h3 = static_cast<uint64_t>(last[3]);
  for (size_t i = 0; i < n; ++i) {
    uint64_t pred = p == kDelta ? h0 : static_cast<uint64_t>(static_cast<int64_t>(h0 + h1 + h2 + h3) >> 2);
    h3 = h2, h2 = h1, h1 = h0;
    h0 = static_cast<uint64_t>(v[i]) + pred;
    v[i] = static_cast<int64_t>(h0);
  }
  last[0] = static_cast<int64_t>(h0), last[1] = static_cast<int64_t>(h1);
  last[2] = static_cast<int64_t>(h2), last[3] = static_cast<int64_t>(h3);
}

}  // namespace

void EncodeInts(const int64_t* v, size_t n, uint8_t scale, IntHistory* history, std::string* out) {
  const bool cont = history->valid && history->scale == scale;
  // Per thread: three blocks of residuals are too big for the stack of every caller.
  thread_local Candidate candidates[3];
  int64_t h[4];
  Candidate* best = &candidates[0];
  best->predictor = kNone;
  best->count = n;
  std::copy(v, v + n, best->residuals);
  Size(best, 1);
  for (Predictor p : {kDelta, kMean4}) {
    Candidate* c = &candidates[p];
    c->predictor = p;
    c->count = 0;
    std::copy(history->last, history->last + 4, h);
    if (!cont) std::fill(h, h + 4, v[0]);
    for (size_t i = cont ? 0 : 1; i < n; ++i) {
      c->residuals[c->count++] = WrapSub(v[i], Predict(p, h));
      Push(h, v[i]);
    }
    Size(c, 1 + (cont ? 0 : VarintLen(ZigZag(v[0]))));
    if (c->bytes < best->bytes) best = c;
  }
  const bool carried = best->predictor != kNone && cont;
  out->push_back(static_cast<char>(best->predictor | (best->rice ? 4 : 0) | (carried ? 8 : 0) | (scale << 4)));
  if (best->predictor != kNone && !cont) PutVarint(out, ZigZag(v[0]));
  WriteResiduals(*best, out);
  // Mirrors DecodeInts: a block without a carried history restarts it from its first value.
  if (!carried) std::fill(history->last, history->last + 4, v[0]);
  for (size_t i = carried ? 0 : 1; i < n; ++i) Push(history->last, v[i]);
  history->scale = scale;
  history->valid = true;
}

Status DecodeInts(std::string_view bytes, size_t n, IntHistory* history, uint8_t* scale, int64_t* out) {
  ByteReader in(bytes);
  uint8_t head = 0;
  if (n == 0 || n > kMaxValues || !in.GetByte(&head)) return Status::Corruption("empty integer block");
  const auto predictor = static_cast<Predictor>(head & 3);
  const bool rice = (head & 4) != 0, cont = (head & 8) != 0;
  *scale = static_cast<uint8_t>(head >> 4);
  if (predictor > kMean4 || (predictor == kNone && (cont || rice))) return Status::Corruption("bad integer block head");
  if (cont && !(history->valid && history->scale == *scale)) {
    return Status::Corruption("integer block continues a history it does not have");
  }
  if (predictor == kNone) {
    ZZ_RETURN_IF_ERROR(ReadResiduals(std::string_view(in.position(), in.remaining()), false, n, out));
    std::fill(history->last, history->last + 4, out[0]);
    for (size_t i = 1; i < n; ++i) Push(history->last, out[i]);
  } else {
    size_t start = 0;
    if (!cont) {
      uint64_t first = 0;
      if (!in.GetVarint(&first)) return Status::Corruption("truncated first value");
      out[0] = UnZigZag(first);
      std::fill(history->last, history->last + 4, out[0]);
      start = 1;
    }
    ZZ_RETURN_IF_ERROR(ReadResiduals(std::string_view(in.position(), in.remaining()), rice, n - start, out + start));
    Unpredict(predictor, out + start, n - start, history->last);
  }
  history->scale = *scale;
  history->valid = true;
  return Status::Ok();
}

}  // namespace zhizao::storage::encoding
