#include "api/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <memory>

namespace zhizao::api {

Result<std::string> Gunzip(std::string_view compressed, size_t max_bytes) {
  z_stream stream{};
  // 16 + MAX_WBITS: expect the gzip wrapper (header and CRC-32 trailer), not raw zlib.
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) return Status::Internal("cannot start gzip decoder");
  std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&stream, inflateEnd);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(std::min<size_t>(compressed.size(), UINT32_MAX));
  std::string out;
  size_t chunk = std::min<size_t>(std::max<size_t>(compressed.size() * 4, 64 << 10), max_bytes + 1);
  for (;;) {
    size_t used = out.size();
    out.resize(std::min(used + chunk, max_bytes + 1));
    stream.next_out = reinterpret_cast<Bytef*>(out.data() + used);
    stream.avail_out = static_cast<uInt>(out.size() - used);
    int rc = inflate(&stream, Z_NO_FLUSH);
    out.resize(out.size() - stream.avail_out);
    if (out.size() > max_bytes) {
      return Status::ResourceExhausted("the decompressed body is larger than " + std::to_string(max_bytes) +
                                       " bytes");
    }
    if (rc == Z_STREAM_END) return out;
    if (rc == Z_BUF_ERROR && stream.avail_in == 0) return Status::InvalidArgument("the gzip body is cut short");
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return Status::InvalidArgument(std::string("the body is not valid gzip: ") +
                                     (stream.msg != nullptr ? stream.msg : "bad data"));
    }
    chunk *= 2;
  }
}

}  // namespace zhizao::api
