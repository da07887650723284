// The PKI folder of zhizao's OPC UA client (the layout of Part 12's certificate stores, cut down):
//
//   own/cert.der          the application instance certificate, self-signed, created on first use
//   own/private_key.pem   its RSA 2048 key (mode 0600)
//   trusted/              certificates zhizao trusts: servers', and CAs' (DER or PEM, any file name)
//   trusted/crl/          the CRLs of the CAs in trusted/ (DER or PEM)
//   issuers/              CA certificates that link a server's certificate to a trusted one,
//                         not trusted by themselves; issuers/crl/ their CRLs
//   rejected/             server certificates zhizao met and did not trust, as "<CN> [<sha1>].der"
//
// A server is trusted when its certificate is in trusted/ and valid today, or when it chains
// to a certificate in trusted/ through issuers/ (OPC 10000-4, 6.1.3), every certificate of
// the chain valid and unrevoked by its issuer's CRL, which must be there. A certificate that a
// CA signed needs its chain and that CRL even when it is in trusted/ itself. Moving a
// self-signed certificate from rejected/ to trusted/ trusts that server.
// Thread-compatible: Open() serializes the creation of own/ across processes and threads with
// a lock file; CheckServerCertificate only reads trusted/ and adds files to rejected/.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "connect/opcua/crypto.h"

namespace zhizao::connect::opcua {

class Pki {
 public:
  // Opens `dir`, creating it and its folders when missing, and loads the application
  // certificate, creating it first when own/ holds none. IOError when the folder cannot be
  // written; Corruption when own/ holds a key and certificate that do not load.
  static Result<std::unique_ptr<Pki>> Open(const std::string& dir);

  const std::string& dir() const { return dir_; }
  const Certificate& certificate() const { return certificate_; }
  const RsaKey& key() const { return key_; }
  // The certificate's ApplicationUri (subjectAltName), sent in CreateSession.
  std::string application_uri() const { return certificate_.ApplicationUri(); }

  // Ok when `server` is in trusted/ and valid now, or chains to trusted/ as above. A
  // certificate that is neither is copied to rejected/ and PermissionDenied says where and how
  // to trust it; FailedPrecondition for a certificate of the chain that has expired or is not
  // valid yet, or a CRL that is missing or out of date; PermissionDenied for a revoked one.
  Status CheckServerCertificate(const Certificate& server) const;

 private:
  Pki(std::string dir, RsaKey key, Certificate certificate)
      : dir_(std::move(dir)), key_(std::move(key)), certificate_(std::move(certificate)) {}
  bool IsTrusted(const Certificate& server) const;
  // VerifyCertificateChain against trusted/, issuers/ and their CRLs; NotFound when no chain
  // reaches trusted/. For a certificate in trusted/ itself (`server_trusted`), the chain only
  // has to reach its issuer, in trusted/ or issuers/, whose CRL must not revoke it.
  Status CheckChain(const Certificate& server, bool server_trusted) const;

  const std::string dir_;
  const RsaKey key_;
  const Certificate certificate_;
};

}  // namespace zhizao::connect::opcua
