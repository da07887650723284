#include "analytics/rul/model_blob.h"

#include <cstring>

#include "analytics/rul/rul_model.h"
#include "common/crc32c.h"

namespace zhizao::analytics::rul {
namespace {

constexpr size_t kHeaderBytes = sizeof(kModelBlobMagic) + 4 + 8;  // magic, version, payload length
constexpr size_t kTrailerBytes = 4;                                // crc32c
constexpr uint32_t kMaxSettings = 1024, kMaxSensors = 65536, kMaxRegimes = 64, kMaxMembers = 64;
constexpr uint32_t kMaxHealthIndexFeatures = 8 * kMaxSensors + 1;  // 7 features per sensor and age

class Writer {
 public:
  template <typename T>
  void Put(T value) {
    unsigned char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));  // the format is little-endian, as is every target we build for
    out_.append(reinterpret_cast<const char*>(bytes), sizeof(T));
  }
  void PutDoubles(const std::vector<double>& values) {
    for (double v : values) Put(v);
  }
  void PutBytes(std::string_view bytes) { out_.append(bytes); }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  template <typename T>
  bool Get(T& value) {
    if (bytes_.size() < sizeof(T)) return false;
    std::memcpy(&value, bytes_.data(), sizeof(T));
    bytes_.remove_prefix(sizeof(T));
    return true;
  }
  bool GetDoubles(size_t count, std::vector<double>& values) {
    if (bytes_.size() / sizeof(double) < count) return false;
    values.resize(count);
    for (double& v : values) Get(v);
    return true;
  }
  bool GetBytes(uint64_t count, std::string& value) {
    if (bytes_.size() < count) return false;
    value.assign(bytes_.substr(0, count));
    bytes_.remove_prefix(count);
    return true;
  }
  size_t left() const { return bytes_.size(); }

 private:
  std::string_view bytes_;
};

// u32 H (0: no index), then f64[H] mean, f64[H] scale, f64[H] coef, f64 intercept, lower, upper.
void EncodeHealthIndex(const HealthIndexParts& h, Writer& w) {
  w.Put(static_cast<uint32_t>(h.coef.size()));
  if (h.coef.empty()) return;
  w.PutDoubles(h.mean);
  w.PutDoubles(h.scale);
  w.PutDoubles(h.coef);
  w.Put(h.intercept);
  w.Put(h.lower);
  w.Put(h.upper);
}

void EncodePayload(const ModelBlobContents& c, Writer& w) {
  const auto& r = c.regimes;
  w.Put(c.target);
  w.Put(c.rul_cap);
  w.Put(static_cast<int32_t>(c.features.window));
  w.Put(static_cast<int32_t>(c.features.recent));
  w.Put(static_cast<int32_t>(c.features.baseline));
  w.Put(c.features.ewma_alpha);
  w.Put(c.setting_count);
  w.Put(c.sensor_count);
  if (c.version >= 2) {
    w.Put(static_cast<int32_t>(c.features.long_window));
    w.Put(c.smooth);
  }
  if (c.version >= 3) EncodeHealthIndex(c.health_index, w);
  w.Put(static_cast<uint32_t>(r.centroids.size()));
  w.PutDoubles(r.setting_mean);
  w.PutDoubles(r.setting_scale);
  for (const auto& v : r.centroids) w.PutDoubles(v);
  for (const auto& v : r.sensor_mean) w.PutDoubles(v);
  for (const auto& v : r.sensor_std) w.PutDoubles(v);
  w.Put(static_cast<uint32_t>(r.kept_sensors.size()));
  for (size_t s : r.kept_sensors) w.Put(static_cast<uint32_t>(s));
  w.Put(static_cast<uint32_t>(c.members.size()));
  for (size_t i = 0; i < c.members.size(); ++i) {
    if (c.version >= 3) w.Put(c.reads_index[i]);
    w.Put(static_cast<uint64_t>(c.members[i].size()));
    w.PutBytes(c.members[i]);
  }
}

Status Truncated(std::string_view what) { return Status::Corruption("model blob is truncated in " + std::string(what)); }

bool GetMatrix(Reader& in, size_t rows, size_t cols, std::vector<std::vector<double>>& out) {
  out.resize(rows);
  for (auto& row : out) {
    if (!in.GetDoubles(cols, row)) return false;
  }
  return true;
}

Status DecodeRegimes(Reader& in, ModelBlobContents& c) {
  uint32_t regimes = 0, kept = 0;
  if (!in.Get(regimes)) return Truncated("the regime count");
  if (regimes == 0 || regimes > kMaxRegimes) return Status::Corruption("model blob has an invalid regime count");
  auto& r = c.regimes;
  if (!in.GetDoubles(c.setting_count, r.setting_mean) || !in.GetDoubles(c.setting_count, r.setting_scale) ||
      !GetMatrix(in, regimes, c.setting_count, r.centroids) || !GetMatrix(in, regimes, c.sensor_count, r.sensor_mean) ||
      !GetMatrix(in, regimes, c.sensor_count, r.sensor_std)) {
    return Truncated("the regime parameters");
  }
  if (!in.Get(kept)) return Truncated("the kept-sensor count");
  if (kept == 0 || kept > c.sensor_count) return Status::Corruption("model blob has an invalid kept-sensor count");
  for (uint32_t i = 0; i < kept; ++i) {
    uint32_t s = 0;
    if (!in.Get(s)) return Truncated("the kept sensors");
    r.kept_sensors.push_back(s);
  }
  return Status::Ok();
}

Status DecodeMembers(Reader& in, ModelBlobContents& c) {
  uint32_t members = 0;
  if (!in.Get(members)) return Truncated("the member count");
  if (members == 0 || members > kMaxMembers) return Status::Corruption("model blob has an invalid member count");
  for (uint32_t i = 0; i < members; ++i) {
    uint8_t reads_index = 0;
    if (c.version >= 3 && !in.Get(reads_index)) return Truncated("a member's index flag");
    if (reads_index > 1 || (reads_index == 1 && c.health_index.coef.empty())) {
      return Status::Corruption("model blob member " + std::to_string(i) + " has an invalid health-index flag");
    }
    c.reads_index.push_back(reads_index);
    uint64_t size = 0;
    if (!in.Get(size) || !in.GetBytes(size, c.members.emplace_back())) return Truncated("an xgboost member");
  }
  return Status::Ok();
}

Status DecodeHealthIndex(Reader& in, HealthIndexParts& h) {
  uint32_t count = 0;
  if (!in.Get(count)) return Truncated("the health-index size");
  if (count == 0) return Status::Ok();
  if (count > kMaxHealthIndexFeatures) return Status::Corruption("model blob has an invalid health-index size");
  if (!in.GetDoubles(count, h.mean) || !in.GetDoubles(count, h.scale) || !in.GetDoubles(count, h.coef) ||
      !in.Get(h.intercept) || !in.Get(h.lower) || !in.Get(h.upper)) {
    return Truncated("the health index");
  }
  return Status::Ok();
}

Status DecodePayload(Reader& in, ModelBlobContents& c) {
  int32_t window = 0, recent = 0, baseline = 0;
  if (!in.Get(c.target) || !in.Get(c.rul_cap) || !in.Get(window) || !in.Get(recent) || !in.Get(baseline) ||
      !in.Get(c.features.ewma_alpha) || !in.Get(c.setting_count) || !in.Get(c.sensor_count)) {
    return Truncated("the options");
  }
  int32_t long_window = 0;
  if (c.version >= 2 && (!in.Get(long_window) || !in.Get(c.smooth))) return Truncated("the options");
  c.features.window = window, c.features.recent = recent, c.features.baseline = baseline;
  c.features.long_window = long_window;
  if (c.target > 1 || window < 1 || recent < 1 || baseline < 1 || baseline > window || !(c.features.ewma_alpha > 0) ||
      c.features.ewma_alpha > 1 || c.setting_count > kMaxSettings || c.sensor_count == 0 || c.sensor_count > kMaxSensors ||
      long_window < 0 || long_window > kMaxLongWindow || c.smooth < 1 || c.smooth > kMaxSmooth) {
    return Status::Corruption("model blob has invalid options");
  }
  if (c.version >= 3) ZZ_RETURN_IF_ERROR(DecodeHealthIndex(in, c.health_index));
  ZZ_RETURN_IF_ERROR(DecodeRegimes(in, c));
  ZZ_RETURN_IF_ERROR(DecodeMembers(in, c));
  if (in.left() != 0) return Status::Corruption("model blob has trailing bytes after its members");
  return Status::Ok();
}

}  // namespace

std::string EncodeModelBlob(const ModelBlobContents& contents) {
  Writer payload;
  EncodePayload(contents, payload);
  Writer blob;
  blob.PutBytes(std::string_view(kModelBlobMagic, sizeof(kModelBlobMagic)));
  blob.Put(contents.version);
  blob.Put(static_cast<uint64_t>(payload.out().size()));
  blob.PutBytes(payload.out());
  blob.Put(crc32c::Value(blob.out()));
  return std::move(blob.out());
}

Result<ModelBlobContents> DecodeModelBlob(std::string_view blob) {
  if (blob.size() < kHeaderBytes + kTrailerBytes) {
    return Status::Corruption("model blob is truncated: " + std::to_string(blob.size()) + " bytes");
  }
  if (std::memcmp(blob.data(), kModelBlobMagic, sizeof(kModelBlobMagic)) != 0) {
    return Status::Corruption("not a zhizao RUL model blob (bad magic)");
  }
  Reader header(blob.substr(sizeof(kModelBlobMagic)));
  uint32_t version = 0;
  uint64_t payload_size = 0;
  header.Get(version);
  header.Get(payload_size);
  if (version < kOldestModelBlobVersion || version > kModelBlobVersion) {
    return Status::Corruption("model blob has format version " + std::to_string(version) + "; this build reads versions " +
                              std::to_string(kOldestModelBlobVersion) + " to " + std::to_string(kModelBlobVersion));
  }
  if (payload_size != blob.size() - kHeaderBytes - kTrailerBytes) {
    return Status::Corruption("model blob is truncated or has trailing bytes: payload says " +
                              std::to_string(payload_size) + " bytes, " +
                              std::to_string(blob.size() - kHeaderBytes - kTrailerBytes) + " present");
  }
  uint32_t stored_crc = 0;
  std::memcpy(&stored_crc, blob.data() + blob.size() - kTrailerBytes, kTrailerBytes);
  if (crc32c::Value(blob.substr(0, blob.size() - kTrailerBytes)) != stored_crc) {
    return Status::Corruption("model blob checksum mismatch");
  }
  ModelBlobContents contents;
  contents.version = version;
  Reader payload(blob.substr(kHeaderBytes, payload_size));
  ZZ_RETURN_IF_ERROR(DecodePayload(payload, contents));
  return contents;
}

}  // namespace zhizao::analytics::rul
