// TagMonitor::Save / Load: the framing of docs/analytics/detectors.md ("State format").
#include <cstring>

#include "analytics/detect/tag_monitor.h"
#include "common/crc32c.h"

namespace zhizao::analytics::detect {
namespace {
constexpr char kMagic[4] = {'Z', 'Z', 'T', 'M'};
constexpr size_t kHeader = 4 + 4 + 8 + 8;  // magic, version, options fingerprint, payload size
constexpr size_t kTrailer = 4;              // CRC-32C of everything before it
// The context table of every state saved before its size became an option (2^14 bytes); fixed
// here even if the default changes, since it says what those states hold.
constexpr int kTableBitsBeforeTheOption = 14;

uint64_t Fnv(uint64_t h, double v) {
  uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  for (int i = 0; i < 8; ++i) h = (h ^ ((bits >> (8 * i)) & 0xff)) * 0x100000001b3ULL;
  return h;
}
}  // namespace

uint64_t TagMonitor::OptionsFingerprint() const {
  const auto& o = opt_;
  uint64_t h = 0xcbf29ce484222325ULL;
  for (double v : {double(o.context.warmup), double(o.context.levels), double(o.context.max_order),
                   double(o.context.resolutions), double(o.context.scales), double(o.context.likelihood),
                   double(o.context.lik.short_window),
                   o.context.lik.long_window, double(o.context.lik.min_samples), o.context.lik.alarm_p,
                   o.context.lik.min_variance,
                   double(o.dspot.depth), double(o.dspot.calibration), o.dspot.level, o.dspot.risk, o.cusum.k,
                   o.cusum.h, o.cusum.alpha, double(o.cusum.warmup), o.cusum.mute_factor, o.faults.low, o.faults.high,
                   o.faults.max_rate_per_s, double(o.faults.stuck_min_run), o.faults.stuck_factor,
                   o.faults.dropout_factor, o.faults.spike_sigmas, o.faults.roc_factor, double(o.faults.warmup),
                   double(o.rest), double(o.enabled)})
    h = Fnv(h, v);
  // Hashed only when it differs from the size every state had before the option existed, so
  // those states still load; a state saved with another table size is refused, never misread.
  if (o.context.table_bits != kTableBitsBeforeTheOption) h = Fnv(h, double(o.context.table_bits));
  return h;
}

void TagMonitor::SavePayload(StateWriter& w) const {
  if (context_) context_->Save(w);
  dspot_.Save(w);
  cusum_.Save(w);
  faults_.Save(w);
  w.U64(samples_);
  w.I64(last_ts_);
  w.U64(quiet_);
}

bool TagMonitor::LoadPayload(StateReader& r) {
  return (!context_ || context_->Load(r)) && dspot_.Load(r) && cusum_.Load(r) && faults_.Load(r) &&
         r.U64(samples_) &&
         r.I64(last_ts_) && r.U64(quiet_) && r.remaining() == 0;
}

std::string TagMonitor::Save() const {
  StateWriter payload;
  SavePayload(payload);
  StateWriter w;
  w.Bytes(kMagic, sizeof kMagic);
  w.U32(kStateVersion);
  w.U64(OptionsFingerprint());
  w.U64(payload.str().size());
  w.Bytes(payload.str().data(), payload.str().size());
  w.U32(crc32c::Value(w.str()));
  return std::move(w.str());
}

Status TagMonitor::Load(std::string_view blob) {
  if (blob.size() < kHeader + kTrailer) return Status::Corruption("cannot load tag monitor state: blob truncated");
  if (std::memcmp(blob.data(), kMagic, sizeof kMagic) != 0)
    return Status::Corruption("cannot load tag monitor state: not a tag monitor blob (bad magic)");
  StateReader r(blob.substr(sizeof kMagic));
  uint32_t version = 0;
  uint64_t fingerprint = 0, size = 0;
  (void)(r.U32(version) && r.U64(fingerprint) && r.U64(size));
  if (version != kStateVersion)
    return Status::InvalidArgument("cannot load tag monitor state: version " + std::to_string(version) +
                                   ", this build reads version " + std::to_string(kStateVersion));
  if (size != blob.size() - kHeader - kTrailer)
    return Status::Corruption("cannot load tag monitor state: payload size " + std::to_string(size) +
                              " does not match the blob (truncated?)");
  uint32_t stored_crc = 0;
  std::memcpy(&stored_crc, blob.data() + blob.size() - kTrailer, kTrailer);
  if (crc32c::Value(blob.data(), blob.size() - kTrailer) != stored_crc)
    return Status::Corruption("cannot load tag monitor state: checksum mismatch");
  if (fingerprint != OptionsFingerprint())
    return Status::InvalidArgument("cannot load tag monitor state: saved with different options");
  TagMonitor fresh(opt_);
  StateReader payload(blob.substr(kHeader, size));
  if (!fresh.LoadPayload(payload))
    return Status::Corruption("cannot load tag monitor state: malformed payload at offset " +
                              std::to_string(kHeader + payload.offset()));
  *this = std::move(fresh);
  return Status::Ok();
}

}  // namespace zhizao::analytics::detect
