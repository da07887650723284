#include "app/gzip_compress.h"

#include <zlib.h>

namespace zhizao::app {

Result<std::string> GzipCompress(std::string_view data) {
  z_stream z{};
  // 15 window bits + 16 asks zlib for the gzip wrapper rather than zlib's own.
  constexpr int kGzipWindowBits = 15 + 16;
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::Internal("cannot start gzip compression");
  }
  std::string out(deflateBound(&z, data.size()), '\0');
  // zlib's API is not const-correct; it only reads the input.
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int result = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (result != Z_STREAM_END) {
    return Status::Internal("cannot gzip a body of " + std::to_string(data.size()) + " bytes");
  }
  return out;
}

}  // namespace zhizao::app
