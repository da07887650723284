#include "connect/opcua/pki.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <spdlog/spdlog.h>

namespace zhizao::connect::opcua {
namespace {

namespace fs = std::filesystem;

constexpr int kKeyBits = 2048;
constexpr size_t kMaxCertificateFileBytes = 1 << 20;

Status Errno(const std::string& what) { return Status::IOError("cannot " + what + ": " + std::strerror(errno)); }

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot read " + path.string());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Writes to a temporary file and renames it, so that a reader never sees half a file.
Status WriteFile(const fs::path& path, std::string_view bytes, mode_t mode) {
  const fs::path temporary = path.string() + ".tmp";
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Errno("create " + temporary.string());
  const bool written = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced) return Errno("write " + temporary.string());
  if (::rename(temporary.c_str(), path.c_str()) != 0) return Errno("rename " + temporary.string());
  return Status::Ok();
}

std::string HostName() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
  return name;
}

// Holds an exclusive flock on a file for its lifetime.
class FileLock {
 public:
  explicit FileLock(const fs::path& path) : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  bool locked() const { return fd_ >= 0; }

 private:
  int fd_;
};

Status CreateOwnCertificate(const fs::path& own) {
  const std::string host = HostName();
  ZZ_ASSIGN_OR_RETURN(RsaKey key, RsaKey::Generate(kKeyBits));
  ZZ_ASSIGN_OR_RETURN(std::string der, SelfSignedCertificateDer(key, "urn:" + host + ":zhizao", host));
  ZZ_RETURN_IF_ERROR(WriteFile(own / "private_key.pem", key.PrivatePem(), 0600));
  ZZ_RETURN_IF_ERROR(WriteFile(own / "cert.der", der, 0644));
  spdlog::info("opcua: created the application certificate {} (urn:{}:zhizao)", (own / "cert.der").string(), host);
  return Status::Ok();
}

// The contents of the regular files of `folder` of at most kMaxCertificateFileBytes each, in no
// particular order; unreadable ones are skipped.
std::vector<std::string> FilesIn(const fs::path& folder) {
  std::vector<std::string> files;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, error)) {
    if (!entry.is_regular_file(error) || entry.file_size(error) > kMaxCertificateFileBytes) continue;
    if (Result<std::string> bytes = ReadFile(entry.path()); bytes.ok()) files.push_back(std::move(bytes).value());
  }
  return files;
}

// The certificates among FilesIn(folder); files that hold none are skipped.
std::vector<Certificate> CertificatesIn(const fs::path& folder) {
  std::vector<Certificate> certificates;
  for (const std::string& bytes : FilesIn(folder)) {
    if (Result<Certificate> certificate = Certificate::FromFileBytes(bytes); certificate.ok()) {
      certificates.push_back(std::move(certificate).value());
    }
  }
  return certificates;
}

// A file name from a certificate's common name: no path separators or control characters.
std::string SafeFileName(std::string name) {
  for (char& c : name) {
    if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20) c = '_';
  }
  if (name.size() > 64) name.resize(64);
  return name;
}

}  // namespace

Result<std::unique_ptr<Pki>> Pki::Open(const std::string& dir) {
  const fs::path root(dir);
  std::error_code error;
  for (const char* folder : {"own", "trusted", "trusted/crl", "issuers", "issuers/crl", "rejected"}) {
    fs::create_directories(root / folder, error);
    if (error) return Status::IOError("cannot create " + (root / folder).string() + ": " + error.message());
  }
  const fs::path own = root / "own";
  FileLock lock(own / ".lock");
  if (!lock.locked()) return Errno("lock " + (own / ".lock").string());
  if (!fs::exists(own / "cert.der") || !fs::exists(own / "private_key.pem")) {
    ZZ_RETURN_IF_ERROR(CreateOwnCertificate(own).WithContext("cannot create the application certificate"));
  }
  ZZ_ASSIGN_OR_RETURN(std::string pem, ReadFile(own / "private_key.pem"));
  ZZ_ASSIGN_OR_RETURN(std::string der, ReadFile(own / "cert.der"));
  Result<RsaKey> key = RsaKey::FromPrivatePem(pem);
  if (!key.ok()) return key.status().WithContext((own / "private_key.pem").string());
  Result<Certificate> certificate = Certificate::FromDer(der);
  if (!certificate.ok()) return certificate.status().WithContext((own / "cert.der").string());
  ZZ_ASSIGN_OR_RETURN(RsaKey public_key, certificate->PublicKey());
  ZZ_ASSIGN_OR_RETURN(std::string probe, key->Sign("pki"));
  if (!public_key.Verify("pki", probe)) {
    return Status::Corruption((own / "cert.der").string() + " does not belong to " +
                              (own / "private_key.pem").string());
  }
  if (certificate->ApplicationUri().empty()) {
    return Status::Corruption((own / "cert.der").string() + " has no URI in subjectAltName (the ApplicationUri)");
  }
  return std::unique_ptr<Pki>(new Pki(dir, std::move(key).value(), std::move(certificate).value()));
}

bool Pki::IsTrusted(const Certificate& server) const {
  for (const Certificate& trusted : CertificatesIn(fs::path(dir_) / "trusted")) {
    if (trusted.der() == server.der()) return true;
  }
  return false;
}

Status Pki::CheckChain(const Certificate& server, bool server_trusted) const {
  const fs::path root(dir_);
  std::vector<Certificate> anchors = CertificatesIn(root / "trusted");
  std::vector<Certificate> issuers = CertificatesIn(root / "issuers");
  if (server_trusted) {
    // The server's own entry would end its chain at once: its issuer must end it instead.
    std::erase_if(anchors, [&](const Certificate& c) { return c.der() == server.der(); });
    anchors.insert(anchors.end(), issuers.begin(), issuers.end());
  }
  if (anchors.empty()) return Status::NotFound("the trust list is empty");
  std::vector<std::string> crls = FilesIn(root / "trusted" / "crl");
  for (std::string& crl : FilesIn(root / "issuers" / "crl")) crls.push_back(std::move(crl));
  return VerifyCertificateChain(server, anchors, issuers, crls);
}

Status Pki::CheckServerCertificate(const Certificate& server) const {
  const std::string name = SafeFileName(server.CommonName()) + " [" + server.ThumbprintHex() + "].der";
  const std::string who = "the server certificate '" + server.CommonName() + "' (SHA-1 " + server.ThumbprintHex() + ")";
  const bool self_signed = server.IsSelfSigned();
  if (IsTrusted(server)) {
    ZZ_RETURN_IF_ERROR(server.CheckValidity().WithContext("the trusted server certificate " + name + " cannot be used"));
    if (self_signed) return Status::Ok();
    // Trusting a certificate that a CA signed does not exempt it from its CA's CRL (Part 4, 6.1.3).
    Status chained = CheckChain(server, /*server_trusted=*/true);
    if (chained.code() == StatusCode::kNotFound) {
      return Status::FailedPrecondition(who + " is trusted, but its chain is incomplete: put the certificate of "
                                              "its issuer '" + server.IssuerCommonName() + "' in " +
                                        (fs::path(dir_) / "issuers").string() + "/ and the issuer's CRL in " +
                                        (fs::path(dir_) / "issuers" / "crl").string() + "/");
    }
    return chained.WithContext(who + " is refused");
  }
  Status chained = CheckChain(server, /*server_trusted=*/false);
  if (chained.ok()) return Status::Ok();
  if (chained.code() != StatusCode::kNotFound) return chained.WithContext(who + " is refused");
  const fs::path rejected = fs::path(dir_) / "rejected" / name;
  Status saved = WriteFile(rejected, server.der(), 0644);
  if (!saved.ok()) spdlog::warn("opcua: {}", saved.message());
  const std::string trusted = (fs::path(dir_) / "trusted").string();
  return Status::PermissionDenied(
      who + " is not trusted; it was saved as " + rejected.string() + "; " +
      (self_signed ? "move it to " + trusted + "/ to trust this server"
                   : "put the certificate of its issuer '" + server.IssuerCommonName() + "' in " + trusted +
                         "/ and the issuer's CRL in " + trusted + "/crl/ to trust every server the CA signs"));
}

}  // namespace zhizao::connect::opcua
