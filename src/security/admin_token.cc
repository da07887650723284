#include "security/admin_token.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "common/check.h"

namespace zhizao::security {
namespace {

Result<Sha256Digest> ParseHexDigest(const std::string& text, const std::string& path) {
  Sha256Digest digest{};
  if (text.size() != 64) return Status::Corruption(path + ": expected 64 hex characters");
  for (size_t i = 0; i < 32; ++i) {
    unsigned v = 0;
    for (size_t j = 0; j < 2; ++j) {
      char c = text[2 * i + j];
      int nibble = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
      if (nibble < 0) return Status::Corruption(path + ": expected 64 hex characters");
      v = v * 16 + static_cast<unsigned>(nibble);
    }
    digest[i] = static_cast<unsigned char>(v);
  }
  return digest;
}

// Writes the hash with mode 0600, atomically (temp file, fsync, rename).
Status WriteHashFile(const std::string& path, const Sha256Digest& hash) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IOError("cannot create " + tmp + ": " + std::strerror(errno));
  std::string line = HexEncode(hash.data(), hash.size()) + "\n";
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  int saved = errno;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    if (ok) saved = errno;
    return Status::IOError("cannot write " + path + ": " + std::strerror(saved));
  }
  // The rename is durable only once the directory is: else a power cut could lose the hash
  // and the next start would mint a token nobody was shown.
  std::string dir = path.substr(0, path.rfind('/'));
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  bool synced = dir_fd >= 0 && ::fsync(dir_fd) == 0;
  saved = errno;
  if (dir_fd >= 0) ::close(dir_fd);
  if (!synced) return Status::IOError("cannot sync " + dir + ": " + std::strerror(saved));
  return Status::Ok();
}

std::string RandomToken() {
  unsigned char bytes[32];
  ZZ_CHECK(RAND_bytes(bytes, sizeof(bytes)) == 1, "the system's random source failed");
  return HexEncode(bytes, sizeof(bytes));
}

}  // namespace

Sha256Digest Sha256(std::string_view data) {
  Sha256Digest out{};
  unsigned int size = 0;
  ZZ_CHECK(EVP_Digest(data.data(), data.size(), out.data(), &size, EVP_sha256(), nullptr) == 1 && size == 32,
           "SHA-256 failed");
  return out;
}

std::string HexEncode(const unsigned char* data, size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out += kHex[data[i] >> 4];
    out += kHex[data[i] & 15];
  }
  return out;
}

Result<AdminToken::Loaded> AdminToken::LoadOrCreate(const std::string& data_dir,
                                                    std::optional<std::string> initial_token) {
  std::string path = data_dir + "/" + std::string(kFileName);
  std::ifstream in(path);
  if (in) {
    std::string text;
    std::getline(in, text);
    ZZ_ASSIGN_OR_RETURN(Sha256Digest hash, ParseHexDigest(text, path));
    return Loaded{AdminToken(hash), std::nullopt, false};
  }
  if (errno != ENOENT) return Status::IOError("cannot read " + path + ": " + std::strerror(errno));
  if (initial_token && initial_token->size() < 16) {
    return Status::InvalidArgument("ZHIZAO_ADMIN_TOKEN must have at least 16 characters");
  }
  std::optional<std::string> generated;
  if (!initial_token) generated = RandomToken();
  AdminToken token = FromToken(initial_token ? *initial_token : *generated);
  ZZ_RETURN_IF_ERROR(WriteHashFile(path, token.hash_));
  return Loaded{token, std::move(generated), true};
}

bool AdminToken::Matches(std::string_view token) const {
  Sha256Digest candidate = Sha256(token);
  return CRYPTO_memcmp(candidate.data(), hash_.data(), hash_.size()) == 0;
}

}  // namespace zhizao::security
