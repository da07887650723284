#include "connect/mqtt/internal/tls_files.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

namespace zhizao::connect::mqtt {
namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using Bio = std::unique_ptr<BIO, BioFree>;
using Cert = std::unique_ptr<X509, X509Free>;
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;

// One TLS file, read whole: it is small, and a memory BIO keeps OpenSSL away from the file system.
class PemFile {
 public:
  PemFile(std::string field, std::string path) : field_(std::move(field)), path_(std::move(path)) {}

  Status Read() {
    std::ifstream in(path_, std::ios::binary);
    if (!in) return Problem(std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    text_ = std::move(text).str();
    return Status::Ok();
  }
  Bio Open() const { return Bio(BIO_new_mem_buf(text_.data(), static_cast<int>(text_.size()))); }
  Status Problem(std::string_view why) const {
    return Status::FailedPrecondition(field_ + " '" + path_ + "': " + std::string(why));
  }

 private:
  std::string field_;
  std::string path_;
  std::string text_;
};

// A password callback that refuses: an encrypted key fails to load instead of prompting on a tty.
int NoPassword(char*, int, int, void*) { return -1; }

Status CheckCaFile(const std::string& path) {
  PemFile file("tls.ca_file", path);
  ZZ_RETURN_IF_ERROR(file.Read());
  Bio bio = file.Open();
  Cert first(PEM_read_bio_X509(bio.get(), nullptr, NoPassword, nullptr));
  ERR_clear_error();
  if (!first) return file.Problem("holds no PEM certificate");
  return Status::Ok();
}

Result<Cert> ReadCertificate(const std::string& path) {
  PemFile file("tls.cert_file", path);
  ZZ_RETURN_IF_ERROR(file.Read());
  Bio bio = file.Open();
  Cert cert(PEM_read_bio_X509(bio.get(), nullptr, NoPassword, nullptr));
  ERR_clear_error();
  if (!cert) return file.Problem("holds no PEM certificate");
  return cert;
}

Status CheckKeyOfCertificate(const std::string& path, X509* cert) {
  PemFile file("tls.key_file", path);
  ZZ_RETURN_IF_ERROR(file.Read());
  Bio bio = file.Open();
  Key key(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassword, nullptr));
  ERR_clear_error();
  if (!key) return file.Problem("holds no unencrypted PEM private key");
  if (X509_check_private_key(cert, key.get()) != 1) {
    ERR_clear_error();
    return file.Problem("is not the private key of tls.cert_file");
  }
  return Status::Ok();
}

}  // namespace

Status CheckTlsFiles(const TlsOptions& tls) {
  if (!tls.ca_file.empty()) ZZ_RETURN_IF_ERROR(CheckCaFile(tls.ca_file));
  if (tls.cert_file.empty()) return Status::Ok();
  ZZ_ASSIGN_OR_RETURN(Cert cert, ReadCertificate(tls.cert_file));
  return CheckKeyOfCertificate(tls.key_file, cert.get());
}

}  // namespace zhizao::connect::mqtt
