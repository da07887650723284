#include "analytics/registry/rul_fleet_blob.h"

#include <cstring>

namespace zhizao::analytics::registry {
namespace {

constexpr char kMagic[8] = {'Z', 'Z', 'R', 'U', 'L', 'F', 'L', 'T'};

template <typename T>
void Put(std::string& out, T v) {
  const auto u = static_cast<std::make_unsigned_t<T>>(v);
  for (size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<char>((u >> (8 * i)) & 0xff));
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  template <typename T>
  bool Get(T& v) {
    if (bytes_.size() < sizeof(T)) return false;
    std::make_unsigned_t<T> u = 0;
    for (size_t i = 0; i < sizeof(T); ++i) {
      u |= static_cast<std::make_unsigned_t<T>>(static_cast<unsigned char>(bytes_[i])) << (8 * i);
    }
    v = static_cast<T>(u);
    bytes_.remove_prefix(sizeof(T));
    return true;
  }
  std::string_view rest() const { return bytes_; }

 private:
  std::string_view bytes_;
};

}  // namespace

std::string EncodeRulFleetBlob(const RulFleetBlob& blob) {
  std::string out(kMagic, sizeof(kMagic));
  Put<uint32_t>(out, kRulFleetBlobVersion);
  Put<uint32_t>(out, blob.tags_per_asset);
  Put<uint32_t>(out, static_cast<uint32_t>(blob.run_start_ns.size()));
  for (int64_t start : blob.run_start_ns) Put<int64_t>(out, start);
  Put<uint64_t>(out, blob.model.size());
  out += blob.model;
  return out;
}

Result<RulFleetBlob> DecodeRulFleetBlob(std::string_view bytes) {
  if (bytes.size() < sizeof(kMagic) || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    return Status::Corruption("RUL fleet blob: bad magic");
  }
  Reader in(bytes.substr(sizeof(kMagic)));
  uint32_t format = 0, assets = 0;
  RulFleetBlob blob;
  if (!in.Get(format) || !in.Get(blob.tags_per_asset) || !in.Get(assets)) {
    return Status::Corruption("RUL fleet blob: truncated header");
  }
  if (format != kRulFleetBlobVersion) {
    return Status::Corruption("RUL fleet blob: format " + std::to_string(format) + ", this build reads " +
                              std::to_string(kRulFleetBlobVersion));
  }
  if (blob.tags_per_asset == 0 || blob.tags_per_asset > kMaxRulFleetTags || assets == 0 || assets > kMaxRulFleetAssets) {
    return Status::Corruption("RUL fleet blob: tag or asset count out of bounds");
  }
  if (in.rest().size() < uint64_t{assets} * 8) return Status::Corruption("RUL fleet blob: truncated run starts");
  blob.run_start_ns.resize(assets);
  for (int64_t& start : blob.run_start_ns) in.Get(start);
  uint64_t model_size = 0;
  if (!in.Get(model_size)) return Status::Corruption("RUL fleet blob: truncated model size");
  if (model_size != in.rest().size()) {
    return Status::Corruption("RUL fleet blob: model size " + std::to_string(model_size) + " but " +
                              std::to_string(in.rest().size()) + " bytes follow");
  }
  blob.model = std::string(in.rest());
  return blob;
}

}  // namespace zhizao::analytics::registry
