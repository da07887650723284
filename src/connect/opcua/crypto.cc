#include "connect/opcua/crypto.h"

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "common/check.h"

namespace zhizao::connect::opcua {
namespace {

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* Bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>>;

X509Ptr ParseDer(std::string_view der, size_t* consumed) {
  const unsigned char* p = Bytes(der);
  X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (x && consumed) *consumed = static_cast<size_t>(p - Bytes(der));
  return x;
}

std::string ToDer(X509* x) {
  int n = i2d_X509(x, nullptr);
  if (n <= 0) return {};
  std::string der(static_cast<size_t>(n), '\0');
  unsigned char* p = Bytes(der);
  i2d_X509(x, &p);
  return der;
}

std::string AesCbc(std::string_view key, std::string_view iv, std::string_view data, bool encrypt) {
  ZZ_CHECK(data.size() % 16 == 0 && iv.size() == 16 && (key.size() == 16 || key.size() == 32), "AES-CBC input");
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  const EVP_CIPHER* cipher = key.size() == 16 ? EVP_aes_128_cbc() : EVP_aes_256_cbc();
  ZZ_CHECK(ctx && EVP_CipherInit_ex(ctx.get(), cipher, nullptr, Bytes(key), Bytes(iv), encrypt ? 1 : 0) == 1,
           "AES-CBC init");
  EVP_CIPHER_CTX_set_padding(ctx.get(), 0);
  std::string out(data.size(), '\0');
  int n = 0;
  ZZ_CHECK(EVP_CipherUpdate(ctx.get(), Bytes(out), &n, Bytes(data), static_cast<int>(data.size())) == 1 &&
               static_cast<size_t>(n) == data.size(),
           "AES-CBC of whole blocks");
  return out;
}

bool SetOaep(EVP_PKEY_CTX* ctx, OaepDigest digest) {
  if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) <= 0) return false;
  const EVP_MD* md = digest == OaepDigest::kSha1 ? EVP_sha1() : EVP_sha256();
  return EVP_PKEY_CTX_set_rsa_oaep_md(ctx, md) > 0 && EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) > 0;
}

// A name's common name, or the whole name when it has no CN.
std::string CommonNameIn(const X509_NAME* name) {
  char buffer[256] = {};
  if (X509_NAME_get_text_by_NID(name, NID_commonName, buffer, sizeof buffer) > 0) return buffer;
  X509_NAME_oneline(name, buffer, sizeof buffer);
  return buffer;
}

std::string CommonNameOf(X509* x) { return CommonNameIn(X509_get_subject_name(x)); }

using X509StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE, X509_STORE_free>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX, X509_STORE_CTX_free>>;
using CrlPtr = std::unique_ptr<X509_CRL, Deleter<X509_CRL, X509_CRL_free>>;

void FreeCertificates(STACK_OF(X509) * stack) { sk_X509_pop_free(stack, X509_free); }
using X509StackPtr = std::unique_ptr<STACK_OF(X509), Deleter<STACK_OF(X509), FreeCertificates>>;

CrlPtr ParseCrl(std::string_view bytes) {
  if (bytes.find("-----BEGIN X509 CRL-----") != std::string_view::npos) {
    BioPtr bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
    return CrlPtr(bio ? PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  }
  const unsigned char* p = Bytes(bytes);
  return CrlPtr(d2i_X509_CRL(nullptr, &p, static_cast<long>(bytes.size())));
}

// Errors that leave a certificate's revocation undetermined, as opposed to a revocation.
bool RevocationUnknown(int error) {
  switch (error) {
    case X509_V_ERR_UNABLE_TO_GET_CRL:
    case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
    case X509_V_ERR_CRL_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
    case X509_V_ERR_KEYUSAGE_NO_CRL_SIGN:
    case X509_V_ERR_DIFFERENT_CRL_SCOPE:
    case X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD:
    case X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD:
    case X509_V_ERR_CRL_HAS_EXPIRED:
    case X509_V_ERR_CRL_NOT_YET_VALID:
      return true;
    default:
      return false;
  }
}

// The trust anchor ends the chain as it stands: its own revocation is not asked, since a trust
// list that holds an intermediate CA without its root can neither have nor verify the root's
// CRL. Removing a CA from trusted/ is how its own trust is withdrawn. (A CRL that the store can
// verify and that revokes the anchor still counts.)
int TrustAnchorAsItStands(int ok, X509_STORE_CTX* ctx) {
  if (ok == 0 && RevocationUnknown(X509_STORE_CTX_get_error(ctx)) &&
      X509_STORE_CTX_get_error_depth(ctx) == sk_X509_num(X509_STORE_CTX_get0_chain(ctx)) - 1) {
    return 1;
  }
  return ok;
}

// OpenSSL takes any certificate of the store as the top of a partial chain, and checks that it
// may sign certificates only loosely: every issuer of the chain must be a CA by its
// basicConstraints, with keyCertSign when it states its key usage.
Status CheckIssuersAreCas(STACK_OF(X509) * chain) {
  for (int i = 1; i < sk_X509_num(chain); ++i) {
    X509* issuer = sk_X509_value(chain, i);
    if (X509_check_ca(issuer) != 1 || (X509_get_key_usage(issuer) & KU_KEY_CERT_SIGN) == 0) {
      return Status::PermissionDenied("certificate '" + CommonNameOf(issuer) + "' signs '" +
                                      CommonNameOf(sk_X509_value(chain, i - 1)) +
                                      "' but is no CA (basicConstraints CA:TRUE and keyCertSign)");
    }
  }
  return Status::Ok();
}

// What a failed X509_verify_cert means for a trust decision (crypto.h, VerifyCertificateChain).
Status ChainFailure(int error, const std::string& who) {
  const std::string why = X509_verify_cert_error_string(error);
  switch (error) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      return Status::NotFound("no chain from '" + who + "' to a trusted certificate (" + why + ")");
    case X509_V_ERR_CERT_REVOKED:
      return Status::PermissionDenied("certificate '" + who + "' is revoked by its issuer's CRL");
    case X509_V_ERR_UNABLE_TO_GET_CRL:
      return Status::FailedPrecondition("the revocation of certificate '" + who +
                                        "' is unknown: no CRL of its issuer in the trust list");
    case X509_V_ERR_CERT_NOT_YET_VALID:
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return Status::FailedPrecondition("certificate '" + who + "': " + why);
    case X509_V_ERR_INVALID_PURPOSE:
      return Status::PermissionDenied("certificate '" + who + "' is not for a server (" + why +
                                      ": its key usage or extended key usage)");
    default:
      if (RevocationUnknown(error)) {
        return Status::FailedPrecondition("the revocation of certificate '" + who + "' is unknown: " + why);
      }
      return Status::PermissionDenied("certificate '" + who + "' does not verify: " + why);
  }
}

bool SetSignatureScheme(EVP_PKEY_CTX* ctx, RsaSignature scheme) {
  if (scheme == RsaSignature::kPkcs1V15) return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) > 0;
  return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) > 0 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST) > 0 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) > 0;
}

bool AddExtension(X509* x, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value);
  if (!ext) return false;
  const bool added = X509_add_ext(x, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return added;
}

}  // namespace

Result<std::string> RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(Bytes(out), static_cast<int>(n)) != 1) return Status::Internal("cannot read random bytes");
  return out;
}

std::string Sha1(std::string_view data) {
  std::string out(20, '\0');
  unsigned int n = 0;
  ZZ_CHECK(EVP_Digest(data.data(), data.size(), Bytes(out), &n, EVP_sha1(), nullptr) == 1, "SHA-1");
  return out;
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  std::string out(32, '\0');
  unsigned int n = 0;
  ZZ_CHECK(HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), Bytes(data), data.size(), Bytes(out), &n),
           "HMAC-SHA256");
  return out;
}

std::string PSha256(std::string_view secret, std::string_view seed, size_t length) {
  std::string out;
  std::string a(seed);  // A(0) = seed; A(i) = HMAC(secret, A(i-1))
  while (out.size() < length) {
    a = HmacSha256(secret, a);
    out += HmacSha256(secret, a + std::string(seed));
  }
  out.resize(length);
  return out;
}

std::string AesCbcEncrypt(std::string_view key, std::string_view iv, std::string_view data) {
  return AesCbc(key, iv, data, true);
}
std::string AesCbcDecrypt(std::string_view key, std::string_view iv, std::string_view data) {
  return AesCbc(key, iv, data, false);
}

// --- RsaKey ---

struct RsaKey::Impl {
  explicit Impl(EVP_PKEY* k) : pkey(k) {}
  ~Impl() { EVP_PKEY_free(pkey); }
  EVP_PKEY* pkey;
};

RsaKey::RsaKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RsaKey::~RsaKey() = default;
RsaKey::RsaKey(RsaKey&&) noexcept = default;
RsaKey& RsaKey::operator=(RsaKey&&) noexcept = default;

size_t OaepOverhead(OaepDigest digest) { return digest == OaepDigest::kSha1 ? 42 : 66; }

Result<RsaKey> RsaKey::Generate(int bits) {
  EVP_PKEY* pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits));
  if (!pkey) return Status::Internal("cannot generate an RSA key");
  return RsaKey(std::make_unique<Impl>(pkey));
}

Result<RsaKey> RsaKey::FromPrivatePem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* pkey = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (!pkey) return Status::Corruption("not a PEM private key");
  if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA) {
    EVP_PKEY_free(pkey);
    return Status::Corruption("the private key is not an RSA key");
  }
  return RsaKey(std::make_unique<Impl>(pkey));
}

std::string RsaKey::PrivatePem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  ZZ_CHECK(PEM_write_bio_PrivateKey(bio.get(), impl_->pkey, nullptr, nullptr, 0, nullptr, nullptr) == 1,
           "PEM encoding of a private key");
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

size_t RsaKey::size_bytes() const { return static_cast<size_t>(EVP_PKEY_get_size(impl_->pkey)); }

Result<std::string> RsaKey::Encrypt(std::string_view plain, OaepDigest digest) const {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new(impl_->pkey, nullptr));
  size_t n = size_bytes();
  std::string out(n, '\0');
  if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) <= 0 || !SetOaep(ctx.get(), digest) ||
      EVP_PKEY_encrypt(ctx.get(), Bytes(out), &n, Bytes(plain), plain.size()) <= 0) {
    return Status::Internal("RSA-OAEP encryption failed");
  }
  out.resize(n);
  return out;
}

Result<std::string> RsaKey::Decrypt(std::string_view block, OaepDigest digest) const {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new(impl_->pkey, nullptr));
  size_t n = size_bytes();
  std::string out(n, '\0');
  if (!ctx || EVP_PKEY_decrypt_init(ctx.get()) <= 0 || !SetOaep(ctx.get(), digest) ||
      EVP_PKEY_decrypt(ctx.get(), Bytes(out), &n, Bytes(block), block.size()) <= 0) {
    return Status::Corruption("an RSA-OAEP block does not decrypt with zhizao's key");
  }
  out.resize(n);
  return out;
}

Result<std::string> RsaKey::Sign(std::string_view data, RsaSignature scheme) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* key_ctx = nullptr;  // owned by ctx
  size_t n = size_bytes();
  std::string out(n, '\0');
  if (!ctx || EVP_DigestSignInit(ctx.get(), &key_ctx, EVP_sha256(), nullptr, impl_->pkey) != 1 ||
      !SetSignatureScheme(key_ctx, scheme) ||
      EVP_DigestSign(ctx.get(), Bytes(out), &n, Bytes(data), data.size()) != 1) {
    return Status::Internal("RSA-SHA256 signing failed");
  }
  out.resize(n);
  return out;
}

bool RsaKey::Verify(std::string_view data, std::string_view signature, RsaSignature scheme) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* key_ctx = nullptr;  // owned by ctx
  return ctx && EVP_DigestVerifyInit(ctx.get(), &key_ctx, EVP_sha256(), nullptr, impl_->pkey) == 1 &&
         SetSignatureScheme(key_ctx, scheme) &&
         EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(), Bytes(data), data.size()) == 1;
}

// --- Certificate ---

Result<Certificate> Certificate::FromDer(std::string_view der) {
  size_t consumed = 0;
  X509Ptr x = ParseDer(der, &consumed);
  if (!x || consumed != der.size()) return Status::Corruption("not a DER X.509 certificate");
  return Certificate(std::string(der));
}

Result<Certificate> Certificate::FirstOfChain(std::string_view chain) {
  size_t consumed = 0;
  X509Ptr x = ParseDer(chain, &consumed);
  if (!x) return Status::Corruption("the certificate does not parse as DER X.509");
  return Certificate(std::string(chain.substr(0, consumed)));
}

Result<Certificate> Certificate::FromFileBytes(std::string_view bytes) {
  if (bytes.find("-----BEGIN CERTIFICATE-----") == std::string_view::npos) return FromDer(bytes);
  BioPtr bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
  X509Ptr x(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!x) return Status::Corruption("not a PEM X.509 certificate");
  return Certificate(ToDer(x.get()));
}

std::string Certificate::ThumbprintHex() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : thumbprint()) {
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  return hex;
}

Result<RsaKey> Certificate::PublicKey() const {
  X509Ptr x = ParseDer(der_, nullptr);
  EVP_PKEY* pkey = x ? X509_get_pubkey(x.get()) : nullptr;
  if (!pkey) return Status::Corruption("the certificate holds no readable public key");
  if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA) {
    EVP_PKEY_free(pkey);
    return Status::Corruption("the certificate's key is not an RSA key");
  }
  return RsaKey(std::make_unique<RsaKey::Impl>(pkey));
}

std::string Certificate::ApplicationUri() const {
  X509Ptr x = ParseDer(der_, nullptr);
  auto* names = x ? static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x.get(), NID_subject_alt_name, nullptr, nullptr))
                  : nullptr;
  std::string uri;
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names) && uri.empty(); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type != GEN_URI) continue;
    const ASN1_STRING* s = name->d.uniformResourceIdentifier;
    uri.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), static_cast<size_t>(ASN1_STRING_length(s)));
  }
  GENERAL_NAMES_free(names);
  return uri;
}

std::string Certificate::CommonName() const {
  X509Ptr x = ParseDer(der_, nullptr);
  return x ? CommonNameOf(x.get()) : std::string();
}

std::string Certificate::IssuerCommonName() const {
  X509Ptr x = ParseDer(der_, nullptr);
  return x ? CommonNameIn(X509_get_issuer_name(x.get())) : std::string();
}

bool Certificate::IsSelfSigned() const {
  X509Ptr x = ParseDer(der_, nullptr);
  return x && (X509_get_extension_flags(x.get()) & EXFLAG_SS) != 0;
}

Status VerifyCertificateChain(const Certificate& leaf, std::span<const Certificate> anchors,
                              std::span<const Certificate> intermediates, std::span<const std::string> crls) {
  X509Ptr x = ParseDer(leaf.der(), nullptr);
  X509StorePtr store(X509_STORE_new());
  X509StackPtr untrusted(sk_X509_new_null());
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!x || !store || !untrusted || !ctx) return Status::Internal("cannot set up a certificate chain check");
  for (const Certificate& anchor : anchors) {
    if (X509Ptr a = ParseDer(anchor.der(), nullptr)) X509_STORE_add_cert(store.get(), a.get());  // takes a reference
  }
  for (const Certificate& intermediate : intermediates) {
    X509Ptr i = ParseDer(intermediate.der(), nullptr);
    if (i && sk_X509_push(untrusted.get(), i.get()) > 0) i.release();  // the stack owns it now
  }
  for (const std::string& crl : crls) {
    if (CrlPtr c = ParseCrl(crl)) X509_STORE_add_crl(store.get(), c.get());
  }
  // Any certificate of the trust list ends a chain (PARTIAL_CHAIN); every certificate below it
  // needs its issuer's CRL (CRL_CHECK_ALL).
  X509_STORE_set_flags(store.get(), X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
  X509_STORE_set_verify_cb(store.get(), TrustAnchorAsItStands);
  // The leaf must be fit for a server: extendedKeyUsage serverAuth and a key usage for it, when
  // it states them (Part 4's Bad_CertificateUseNotAllowed).
  if (X509_STORE_CTX_init(ctx.get(), store.get(), x.get(), untrusted.get()) != 1 ||
      X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER) != 1) {
    return Status::Internal("cannot set up a certificate chain check");
  }
  if (X509_verify_cert(ctx.get()) == 1) return CheckIssuersAreCas(X509_STORE_CTX_get0_chain(ctx.get()));
  X509* at = X509_STORE_CTX_get_current_cert(ctx.get());
  return ChainFailure(X509_STORE_CTX_get_error(ctx.get()), CommonNameOf(at != nullptr ? at : x.get()));
}

Status Certificate::CheckValidity() const {
  X509Ptr x = ParseDer(der_, nullptr);
  if (!x) return Status::Corruption("not a DER X.509 certificate");
  if (X509_cmp_current_time(X509_get0_notBefore(x.get())) >= 0) {
    return Status::FailedPrecondition("certificate '" + CommonName() + "' is not valid yet");
  }
  if (X509_cmp_current_time(X509_get0_notAfter(x.get())) <= 0) {
    return Status::FailedPrecondition("certificate '" + CommonName() + "' has expired");
  }
  return Status::Ok();
}

Result<std::string> SelfSignedCertificateDer(const RsaKey& key, const std::string& application_uri,
                                             const std::string& host) {
  X509Ptr x(X509_new());
  std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>> serial(BN_new());
  bool ok = x && serial && X509_set_version(x.get(), 2) == 1 && BN_rand(serial.get(), 127, 0, 0) == 1 &&
            BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(x.get())) != nullptr &&
            X509_gmtime_adj(X509_getm_notBefore(x.get()), -24 * 3600) != nullptr &&
            X509_gmtime_adj(X509_getm_notAfter(x.get()), 10L * 365 * 24 * 3600) != nullptr &&
            X509_set_pubkey(x.get(), key.impl_->pkey) == 1;
  X509_NAME* name = ok ? X509_get_subject_name(x.get()) : nullptr;
  const std::string cn = "zhizao@" + host;
  ok = ok && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, Bytes(cn), -1, -1, 0) == 1 &&
       X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, Bytes(std::string_view("zhizao")), -1, -1, 0) == 1 &&
       X509_set_issuer_name(x.get(), name) == 1;
  const std::string alt_names = "URI:" + application_uri + ",DNS:" + host;
  ok = ok && AddExtension(x.get(), NID_basic_constraints, "critical,CA:FALSE") &&
       AddExtension(x.get(), NID_key_usage,
                    "critical,digitalSignature,nonRepudiation,keyEncipherment,dataEncipherment,keyCertSign") &&
       AddExtension(x.get(), NID_ext_key_usage, "serverAuth,clientAuth") &&
       AddExtension(x.get(), NID_subject_key_identifier, "hash") &&
       AddExtension(x.get(), NID_authority_key_identifier, "keyid,issuer") &&
       AddExtension(x.get(), NID_subject_alt_name, alt_names.c_str()) &&
       X509_sign(x.get(), key.impl_->pkey, EVP_sha256()) > 0;
  if (!ok) return Status::Internal("cannot create the application certificate");
  return ToDer(x.get());
}

}  // namespace zhizao::connect::opcua
