// The cryptographic primitives the secure channel uses, over OpenSSL 3: random bytes, SHA-1,
// HMAC-SHA256 and the P_SHA256 pseudo-random function (Part 6, 6.7.6), AES-CBC without
// padding, RSA keys (OAEP encryption, PKCS#1 v1.5 SHA-256 signatures) and X.509 certificates.
// OpenSSL types stay inside crypto.cc. Errors are values; nothing here throws.
// RsaKey and Certificate are immutable once made: thread-compatible.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace zhizao::connect::opcua {

// `n` bytes from the kernel's random source. Internal when it fails.
Result<std::string> RandomBytes(size_t n);

std::string Sha1(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);
// P_SHA256(secret, seed) of RFC 5246 5, truncated to `length` bytes: how Part 6, 6.7.6
// derives the symmetric keys of a channel from its nonces.
std::string PSha256(std::string_view secret, std::string_view seed, size_t length);

// AES-CBC (128 or 256 by key size) without padding. REQUIRES: data.size() % 16 == 0,
// iv.size() == 16, key.size() 16 or 32.
std::string AesCbcEncrypt(std::string_view key, std::string_view iv, std::string_view data);
std::string AesCbcDecrypt(std::string_view key, std::string_view iv, std::string_view data);

enum class OaepDigest { kSha1, kSha256 };
// RSA signatures over SHA-256: PKCS#1 v1.5 (rsa-sha256), or PSS with MGF1-SHA-256 and a 32-byte
// salt (rsa-pss-sha2-256, OPC 10000-7).
enum class RsaSignature { kPkcs1V15, kPss };

// An RSA key: public only (from a certificate) or private too.
class RsaKey {
 public:
  ~RsaKey();
  RsaKey(RsaKey&&) noexcept;
  RsaKey& operator=(RsaKey&&) noexcept;

  static Result<RsaKey> Generate(int bits);
  static Result<RsaKey> FromPrivatePem(std::string_view pem);
  std::string PrivatePem() const;

  size_t size_bytes() const;  // the modulus: 256 for RSA 2048

  // One OAEP block. REQUIRES: plain.size() <= size_bytes() - OaepOverhead(digest).
  Result<std::string> Encrypt(std::string_view plain, OaepDigest digest) const;
  // One block of size_bytes(); Corruption when it does not decrypt. REQUIRES: private.
  Result<std::string> Decrypt(std::string_view block, OaepDigest digest) const;
  // RSA with SHA-256 in the given scheme. REQUIRES: private.
  Result<std::string> Sign(std::string_view data, RsaSignature scheme = RsaSignature::kPkcs1V15) const;
  bool Verify(std::string_view data, std::string_view signature, RsaSignature scheme = RsaSignature::kPkcs1V15) const;

 private:
  friend class Certificate;
  friend Result<std::string> SelfSignedCertificateDer(const RsaKey&, const std::string&, const std::string&);
  struct Impl;
  explicit RsaKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Bytes OAEP takes from each block: 2 * hash length + 2.
size_t OaepOverhead(OaepDigest digest);

// An X.509 certificate, kept as its DER bytes.
class Certificate {
 public:
  // Corruption when `der` is not one certificate (trailing bytes are refused too).
  static Result<Certificate> FromDer(std::string_view der);
  // The DER or PEM form of a certificate file's contents.
  static Result<Certificate> FromFileBytes(std::string_view bytes);
  // The first certificate of a chain of DER certificates laid end to end.
  static Result<Certificate> FirstOfChain(std::string_view chain);

  const std::string& der() const { return der_; }
  std::string thumbprint() const { return Sha1(der_); }
  std::string ThumbprintHex() const;
  Result<RsaKey> PublicKey() const;
  // The first URI of subjectAltName; empty when there is none.
  std::string ApplicationUri() const;
  // The subject's common name, or the whole subject when it has no CN.
  std::string CommonName() const;
  // The same of the issuer.
  std::string IssuerCommonName() const;
  // Whether it is issued by itself (subject and issuer alike, key identifiers matching): a
  // self-signed application certificate rather than one a CA signed.
  bool IsSelfSigned() const;
  // FailedPrecondition when now is outside notBefore..notAfter.
  Status CheckValidity() const;

 private:
  explicit Certificate(std::string der) : der_(std::move(der)) {}
  std::string der_;
};

// Whether `leaf` chains to a certificate of `anchors` through certificates of `anchors` and
// `intermediates`, as OPC 10000-4, 6.1.3 describes a trust list with issuers: any certificate
// in `anchors` ends a chain (an intermediate CA there is trusted without its root). Every
// certificate of the chain must be valid now and carry a good signature, and every one but the
// anchor must be unrevoked by a CRL of its issuer among `crls` (each DER or PEM); an issuer of
// the chain without a CRL there makes revocation unknown, which fails as Part 4 requires. The
// anchor's own revocation is not asked: it is trusted as it stands.
// The leaf must be fit for a server (extendedKeyUsage serverAuth, when it states one), and every
// issuer of the chain a CA (basicConstraints CA:TRUE, keyCertSign).
// Ok; NotFound when no chain reaches an anchor; PermissionDenied when a certificate of the
// chain is revoked, a signature does not verify, an issuer is no CA or the leaf is not for a
// server; FailedPrecondition when a certificate is out of its validity or its revocation is
// unknown (a CRL missing, out of date, or not verifiable). Each names the certificate concerned.
Status VerifyCertificateChain(const Certificate& leaf, std::span<const Certificate> anchors,
                              std::span<const Certificate> intermediates, std::span<const std::string> crls);

// A self-signed X.509 v3 certificate for an OPC UA application instance (Part 6, 6.2.2):
// SHA-256, ten years, CN zhizao@`host`, subjectAltName URI:`application_uri` and DNS:`host`,
// key usage for signatures and key encipherment, client and server auth.
Result<std::string> SelfSignedCertificateDer(const RsaKey& key, const std::string& application_uri,
                                             const std::string& host);

}  // namespace zhizao::connect::opcua
