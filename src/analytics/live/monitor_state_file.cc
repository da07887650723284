#include "analytics/live/monitor_state_file.h"

#include <cstring>
#include <unordered_set>

#include "common/crc32c.h"

namespace zhizao::analytics::live {
namespace {

constexpr std::string_view kMagic = "ZZMS";
constexpr uint32_t kVersion = 1;

void PutU32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// Reads forward through the bytes; every read checks what is left first.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool U32(uint32_t& v) {
    if (bytes_.size() < 4) return false;
    v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(bytes_[i])) << (8 * i);
    bytes_.remove_prefix(4);
    return true;
  }
  bool Bytes(size_t n, std::string& out) {
    if (bytes_.size() < n) return false;
    out.assign(bytes_.substr(0, n));
    bytes_.remove_prefix(n);
    return true;
  }
  bool empty() const { return bytes_.empty(); }

 private:
  std::string_view bytes_;
};

}  // namespace

std::string EncodeMonitorStates(const MonitorStates& states) {
  std::string out(kMagic);
  PutU32(out, kVersion);
  PutU32(out, static_cast<uint32_t>(states.size()));
  for (const auto& [tag, blob] : states) {
    PutU32(out, tag);
    PutU32(out, static_cast<uint32_t>(blob.size()));
    out += blob;
  }
  PutU32(out, crc32c::Value(out));
  return out;
}

Result<MonitorStates> DecodeMonitorStates(std::string_view bytes) {
  if (bytes.size() < kMagic.size() + 12 || bytes.substr(0, kMagic.size()) != kMagic) {
    return Status::Corruption("not a detector state file (no ZZMS header)");
  }
  std::string_view body = bytes.substr(0, bytes.size() - 4);
  uint32_t stored_crc = 0;
  Reader tail(bytes.substr(bytes.size() - 4));
  tail.U32(stored_crc);
  if (crc32c::Value(body) != stored_crc) return Status::Corruption("detector state file: checksum mismatch");
  Reader in(body.substr(kMagic.size()));
  uint32_t version = 0, count = 0;
  in.U32(version);
  in.U32(count);
  if (version != kVersion) {
    return Status::Corruption("detector state file: version " + std::to_string(version) + ", expected " +
                              std::to_string(kVersion));
  }
  MonitorStates states;
  std::unordered_set<TagId> seen;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t tag = 0, size = 0;
    std::string blob;
    if (!in.U32(tag) || !in.U32(size) || !in.Bytes(size, blob)) {
      return Status::Corruption("detector state file: entry " + std::to_string(i) + " of " + std::to_string(count) +
                                " is cut off");
    }
    if (!seen.insert(tag).second) {
      return Status::Corruption("detector state file: tag " + std::to_string(tag) + " appears twice");
    }
    states.emplace_back(tag, std::move(blob));
  }
  if (!in.empty()) return Status::Corruption("detector state file: bytes after the last entry");
  return states;
}

}  // namespace zhizao::analytics::live
