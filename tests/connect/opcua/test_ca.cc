#include "test_ca.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <stdexcept>

namespace zhizao::testing {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using CrlPtr = std::unique_ptr<X509_CRL, Deleter<X509_CRL, X509_CRL_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

// Tests only: a failure here is a broken test setup, not a condition under test.
void Require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test CA: cannot ") + what);
}

KeyPtr NewKey() {
  KeyPtr key(EVP_RSA_gen(2048));
  Require(key != nullptr, "generate an RSA key");
  return key;
}

void AddExtension(X509* subject, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, subject, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value);
  Require(ext != nullptr && X509_add_ext(subject, ext, -1) == 1, "add an extension");
  X509_EXTENSION_free(ext);
}

// An unsigned certificate of `key` named `common_name`, issued by `issuer` (null: by itself),
// with key identifiers; the caller adds its extensions and signs it.
X509Ptr Unsigned(EVP_PKEY* key, const std::string& common_name, uint64_t serial, int from_days, int to_days,
                 X509* issuer) {
  X509Ptr x(X509_new());
  Require(x && X509_set_version(x.get(), 2) == 1 &&
              ASN1_INTEGER_set_uint64(X509_get_serialNumber(x.get()), serial) == 1 &&
              X509_gmtime_adj(X509_getm_notBefore(x.get()), long{from_days} * 86400) != nullptr &&
              X509_gmtime_adj(X509_getm_notAfter(x.get()), long{to_days} * 86400) != nullptr &&
              X509_set_pubkey(x.get(), key) == 1,
          "fill a certificate");
  X509_NAME* name = X509_get_subject_name(x.get());
  Require(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                     reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0) == 1,
          "name a certificate");
  Require(X509_set_issuer_name(x.get(), issuer ? X509_get_subject_name(issuer) : name) == 1, "name the issuer");
  AddExtension(x.get(), issuer ? issuer : x.get(), NID_subject_key_identifier, "hash");
  AddExtension(x.get(), issuer ? issuer : x.get(), NID_authority_key_identifier, "keyid:always");
  return x;
}

std::string Der(X509* x) {
  int n = i2d_X509(x, nullptr);
  std::string der(static_cast<size_t>(n), '\0');
  unsigned char* p = reinterpret_cast<unsigned char*>(der.data());
  i2d_X509(x, &p);
  return der;
}

std::string Contents(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string KeyPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  Require(bio && PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1, "write a key");
  return Contents(bio.get());
}

std::string CertificatePem(X509* x) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  Require(bio && PEM_write_bio_X509(bio.get(), x) == 1, "write a certificate");
  return Contents(bio.get());
}

}  // namespace

struct TestCa::Impl {
  KeyPtr key;
  X509Ptr certificate;
  std::string der;
};

TestCa::TestCa(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TestCa::TestCa(TestCa&&) noexcept = default;
TestCa& TestCa::operator=(TestCa&&) noexcept = default;
TestCa::~TestCa() = default;

TestCa TestCa::Root(const std::string& common_name, bool is_ca) {
  auto impl = std::make_unique<Impl>();
  impl->key = NewKey();
  impl->certificate = Unsigned(impl->key.get(), common_name, 1, -1, 3650, nullptr);
  if (is_ca) AddExtension(impl->certificate.get(), impl->certificate.get(), NID_basic_constraints, "critical,CA:TRUE");
  AddExtension(impl->certificate.get(), impl->certificate.get(), NID_key_usage,
               is_ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,keyEncipherment,keyCertSign,cRLSign");
  Require(X509_sign(impl->certificate.get(), impl->key.get(), EVP_sha256()) > 0, "sign a root");
  impl->der = Der(impl->certificate.get());
  return TestCa(std::move(impl));
}

TestCa TestCa::Intermediate(const std::string& common_name) const {
  auto impl = std::make_unique<Impl>();
  impl->key = NewKey();
  impl->certificate = Unsigned(impl->key.get(), common_name, 2, -1, 3650, impl_->certificate.get());
  AddExtension(impl->certificate.get(), impl_->certificate.get(), NID_basic_constraints, "critical,CA:TRUE");
  AddExtension(impl->certificate.get(), impl_->certificate.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  Require(X509_sign(impl->certificate.get(), impl_->key.get(), EVP_sha256()) > 0, "sign an intermediate");
  impl->der = Der(impl->certificate.get());
  return TestCa(std::move(impl));
}

IssuedServer TestCa::IssueServer(const std::string& common_name, const std::string& application_uri, uint64_t serial,
                                 int valid_from_days, int valid_to_days, const std::string& extended_key_usage) const {
  KeyPtr key = NewKey();
  X509Ptr x = Unsigned(key.get(), common_name, serial, valid_from_days, valid_to_days, impl_->certificate.get());
  AddExtension(x.get(), impl_->certificate.get(), NID_basic_constraints, "critical,CA:FALSE");
  AddExtension(x.get(), impl_->certificate.get(), NID_key_usage,
               "critical,digitalSignature,nonRepudiation,keyEncipherment,dataEncipherment");
  AddExtension(x.get(), impl_->certificate.get(), NID_ext_key_usage, extended_key_usage.c_str());
  AddExtension(x.get(), impl_->certificate.get(), NID_subject_alt_name,
               ("URI:" + application_uri + ",DNS:localhost,IP:127.0.0.1").c_str());
  Require(X509_sign(x.get(), impl_->key.get(), EVP_sha256()) > 0, "sign a server certificate");
  return {Der(x.get()), CertificatePem(x.get()), KeyPem(key.get())};
}

std::string TestCa::Crl(const std::vector<uint64_t>& serials, int next_update_days) const {
  CrlPtr crl(X509_CRL_new());
  // Issued an hour ago, or for a CRL already out of date, a day before its next update.
  const long issued_s = next_update_days < 0 ? (long{next_update_days} - 1) * 86400 : -3600;
  ASN1_TIME* now = X509_gmtime_adj(nullptr, issued_s);
  ASN1_TIME* next = X509_gmtime_adj(nullptr, long{next_update_days} * 86400);
  Require(crl && now && next && X509_CRL_set_version(crl.get(), 1) == 1 &&
              X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(impl_->certificate.get())) == 1 &&
              X509_CRL_set1_lastUpdate(crl.get(), now) == 1 && X509_CRL_set1_nextUpdate(crl.get(), next) == 1,
          "fill a CRL");
  for (uint64_t serial : serials) {
    X509_REVOKED* revoked = X509_REVOKED_new();
    ASN1_INTEGER* number = ASN1_INTEGER_new();
    Require(revoked && number && ASN1_INTEGER_set_uint64(number, serial) == 1 &&
                X509_REVOKED_set_serialNumber(revoked, number) == 1 &&
                X509_REVOKED_set_revocationDate(revoked, now) == 1 && X509_CRL_add0_revoked(crl.get(), revoked) == 1,
            "revoke a serial");
    ASN1_INTEGER_free(number);
  }
  ASN1_TIME_free(now);
  ASN1_TIME_free(next);
  Require(X509_CRL_sort(crl.get()) == 1 && X509_CRL_sign(crl.get(), impl_->key.get(), EVP_sha256()) > 0, "sign a CRL");
  int n = i2d_X509_CRL(crl.get(), nullptr);
  std::string der(static_cast<size_t>(n), '\0');
  unsigned char* p = reinterpret_cast<unsigned char*>(der.data());
  i2d_X509_CRL(crl.get(), &p);
  return der;
}

const std::string& TestCa::der() const { return impl_->der; }

}  // namespace zhizao::testing
