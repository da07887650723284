#include "connect/opcua/binary_writer.h"

#include <bit>
#include <cstring>

#include "common/check.h"

namespace zhizao::connect::opcua {

static_assert(std::endian::native == std::endian::little, "OPC UA encoding assumes a little-endian host");

void BinaryWriter::U16(uint16_t v) { bytes_.append(reinterpret_cast<const char*>(&v), 2); }
void BinaryWriter::U32(uint32_t v) { bytes_.append(reinterpret_cast<const char*>(&v), 4); }
void BinaryWriter::U64(uint64_t v) { bytes_.append(reinterpret_cast<const char*>(&v), 8); }
void BinaryWriter::F32(float v) { U32(std::bit_cast<uint32_t>(v)); }
void BinaryWriter::F64(double v) { U64(std::bit_cast<uint64_t>(v)); }

void BinaryWriter::String(std::string_view s) {
  ZZ_CHECK(s.size() <= INT32_MAX, "an OPC UA string holds at most 2^31-1 bytes");
  I32(static_cast<int32_t>(s.size()));
  bytes_.append(s);
}

void BinaryWriter::PatchU32(size_t offset, uint32_t v) {
  ZZ_CHECK(offset + 4 <= bytes_.size(), "patch inside the written bytes");
  std::memcpy(bytes_.data() + offset, &v, 4);
}

}  // namespace zhizao::connect::opcua
