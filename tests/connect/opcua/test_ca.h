// A certificate authority for tests of the trust list: a root, intermediates under it, server
// certificates and CRLs, made with OpenSSL as a plant's CA would make them (RSA 2048, SHA-256).
// No peer of ours issues certificates, so the tests make their own.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace zhizao::testing {

// A server certificate (DER, and PEM) and its RSA key (PEM), for a peer that must hold the key.
struct IssuedServer {
  std::string certificate_der;
  std::string certificate_pem;
  std::string key_pem;
};

class TestCa {
 public:
  // A self-signed root CA: basicConstraints CA:TRUE, keyUsage keyCertSign and cRLSign. With
  // `is_ca` false, a self-signed certificate that claims keyCertSign and cRLSign without
  // basicConstraints: a server's own certificate made carelessly, which must sign nothing.
  static TestCa Root(const std::string& common_name, bool is_ca = true);
  TestCa(TestCa&&) noexcept;
  TestCa& operator=(TestCa&&) noexcept;
  ~TestCa();

  // A CA signed by this one.
  TestCa Intermediate(const std::string& common_name) const;
  // A server's application instance certificate signed by this CA, with the serial number
  // `serial`, subjectAltName URI:`application_uri`; valid from `valid_from_days` to
  // `valid_to_days` around now (negative: in the past), extendedKeyUsage `extended_key_usage`.
  IssuedServer IssueServer(const std::string& common_name, const std::string& application_uri, uint64_t serial,
                           int valid_from_days = -1, int valid_to_days = 365,
                           const std::string& extended_key_usage = "serverAuth,clientAuth") const;
  // This CA's CRL revoking `serials`, next update in `next_update_days` (negative: out of date).
  std::string Crl(const std::vector<uint64_t>& serials, int next_update_days = 30) const;
  // The CA's certificate (DER).
  const std::string& der() const;

 private:
  struct Impl;
  explicit TestCa(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace zhizao::testing
