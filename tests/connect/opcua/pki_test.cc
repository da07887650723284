// The PKI folder: the application certificate created once and kept, and the trust list.
#include "connect/opcua/pki.h"

#include <gtest/gtest.h>

#include "test_ca.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace zhizao::connect::opcua {
namespace {

namespace fs = std::filesystem;

class PkiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("zhizao-pki-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static Certificate ServerCertificate() {
    RsaKey key = std::move(RsaKey::Generate(2048)).value();
    return *Certificate::FromDer(*SelfSignedCertificateDer(key, "urn:plc:server", "plc"));
  }
  size_t FilesIn(const std::string& folder) {
    size_t n = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir_ / folder)) ++n;
    return n;
  }

  fs::path dir_;
};

TEST_F(PkiTest, CreatesTheApplicationCertificateOnceAndKeepsIt) {
  auto first = Pki::Open(dir_.string());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const Certificate& certificate = (*first)->certificate();
  EXPECT_TRUE(certificate.ApplicationUri().starts_with("urn:")) << certificate.ApplicationUri();
  EXPECT_TRUE(certificate.ApplicationUri().ends_with(":zhizao"));
  EXPECT_EQ((*first)->key().size_bytes(), 256u);  // RSA 2048
  EXPECT_TRUE(certificate.CheckValidity().ok());
  EXPECT_EQ(fs::status(dir_ / "own" / "private_key.pem").permissions() & fs::perms::others_read, fs::perms::none);
  ASSERT_TRUE(fs::is_directory(dir_ / "trusted"));
  ASSERT_TRUE(fs::is_directory(dir_ / "rejected"));

  auto again = Pki::Open(dir_.string());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->certificate().der(), certificate.der());
}

TEST_F(PkiTest, RejectsAnUnknownServerUntilItsCertificateIsMovedToTrusted) {
  auto pki = Pki::Open(dir_.string());
  ASSERT_TRUE(pki.ok());
  const Certificate server = ServerCertificate();
  Status refused = (*pki)->CheckServerCertificate(server);
  EXPECT_EQ(refused.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(refused.message().find("not trusted"), std::string::npos) << refused.message();
  EXPECT_NE(refused.message().find(server.ThumbprintHex()), std::string::npos);
  ASSERT_EQ(FilesIn("rejected"), 1u);
  const fs::path rejected = fs::directory_iterator(dir_ / "rejected")->path();
  EXPECT_EQ(rejected.filename().string(), "zhizao@plc [" + server.ThumbprintHex() + "].der");

  fs::rename(rejected, dir_ / "trusted" / rejected.filename());
  EXPECT_TRUE((*pki)->CheckServerCertificate(server).ok());
  EXPECT_EQ((*pki)->CheckServerCertificate(ServerCertificate()).code(), StatusCode::kPermissionDenied)
      << "another server with the same name is not trusted";
}

TEST_F(PkiTest, AcceptsATrustedCertificateInPemForm) {
  auto pki = Pki::Open(dir_.string());
  ASSERT_TRUE(pki.ok());
  const Certificate server = ServerCertificate();
  ASSERT_EQ((*pki)->CheckServerCertificate(server).code(), StatusCode::kPermissionDenied);
  // What `openssl x509 -inform der -outform pem` writes: base64 in 64-column lines.
  const fs::path der = fs::directory_iterator(dir_ / "rejected")->path();
  const std::string command = "openssl x509 -inform der -in '" + der.string() + "' -outform pem -out '" +
                              (dir_ / "trusted" / "plc.pem").string() + "' 2>/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0);
  EXPECT_TRUE((*pki)->CheckServerCertificate(server).ok());
}

TEST_F(PkiTest, RefusesAKeyThatDoesNotBelongToTheCertificate) {
  ASSERT_TRUE(Pki::Open(dir_.string()).ok());
  {
    std::ofstream out(dir_ / "own" / "private_key.pem", std::ios::trunc);
    out << RsaKey::Generate(2048)->PrivatePem();
  }
  auto broken = Pki::Open(dir_.string());
  EXPECT_EQ(broken.status().code(), StatusCode::kCorruption);
  EXPECT_NE(broken.status().message().find("does not belong"), std::string::npos) << broken.status().ToString();
}

// A plant's CA signs its servers' certificates: trusting the CA trusts them all, as long as
// the CA's CRL is there and does not revoke them (OPC 10000-4, 6.1.3).
class PkiChainTest : public PkiTest {
 protected:
  void SetUp() override {
    PkiTest::SetUp();
    auto pki = Pki::Open(dir_.string());
    ASSERT_TRUE(pki.ok()) << pki.status().ToString();
    pki_ = std::move(pki).value();
  }
  void Put(const std::string& folder, const std::string& name, const std::string& bytes) {
    std::ofstream(dir_ / folder / name, std::ios::binary) << bytes;
  }
  Certificate Server(const testing::TestCa& ca, uint64_t serial, int from_days = -1, int to_days = 365,
                     const std::string& extended_key_usage = "serverAuth,clientAuth") {
    return *Certificate::FromDer(ca.IssueServer("plc" + std::to_string(serial), "urn:plc:server", serial, from_days,
                                                to_days, extended_key_usage).certificate_der);
  }

  testing::TestCa root_ = testing::TestCa::Root("Plant Root CA");
  std::unique_ptr<Pki> pki_;
};

TEST_F(PkiChainTest, TrustsEveryServerThatATrustedCaSigns) {
  Put("trusted", "root.der", root_.der());
  Put("trusted/crl", "root.crl", root_.Crl({}));
  EXPECT_TRUE(pki_->CheckServerCertificate(Server(root_, 100)).ok());
  EXPECT_TRUE(pki_->CheckServerCertificate(Server(root_, 101)).ok());
  EXPECT_EQ(FilesIn("rejected"), 0u);
}

TEST_F(PkiChainTest, RefusesARevokedServerWithoutOfferingToTrustIt) {
  Put("trusted", "root.der", root_.der());
  Put("trusted/crl", "root.crl", root_.Crl({100}));
  Status revoked = pki_->CheckServerCertificate(Server(root_, 100));
  EXPECT_EQ(revoked.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(revoked.message().find("'plc100' is revoked"), std::string::npos) << revoked.message();
  EXPECT_EQ(FilesIn("rejected"), 0u) << "moving a revoked certificate to trusted/ must not be suggested";
  EXPECT_TRUE(pki_->CheckServerCertificate(Server(root_, 101)).ok()) << "the CRL revokes serial 100 only";
}

TEST_F(PkiChainTest, WithoutTheCasCrlRevocationIsUnknownAndRefused) {
  Put("trusted", "root.der", root_.der());
  Status unknown = pki_->CheckServerCertificate(Server(root_, 100));
  EXPECT_EQ(unknown.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(unknown.message().find("revocation of certificate 'plc100' is unknown"), std::string::npos)
      << unknown.message();
  Put("trusted/crl", "root.crl", root_.Crl({}, /*next_update_days=*/-2));
  Status stale = pki_->CheckServerCertificate(Server(root_, 100));
  EXPECT_EQ(stale.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(stale.message().find("CRL has expired"), std::string::npos) << stale.message();
}

TEST_F(PkiChainTest, ChainsThroughAnIssuerThatIsNotTrustedItself) {
  testing::TestCa line_ca = root_.Intermediate("Line 1 CA");
  Put("trusted", "root.der", root_.der());
  Put("trusted/crl", "root.crl", root_.Crl({}));
  const Certificate server = Server(line_ca, 200);
  Status alone = pki_->CheckServerCertificate(server);
  EXPECT_EQ(alone.code(), StatusCode::kPermissionDenied) << "no path to the root without the line's CA";
  EXPECT_NE(alone.message().find("not trusted"), std::string::npos) << alone.message();
  EXPECT_EQ(FilesIn("rejected"), 1u);

  Put("issuers", "line.der", line_ca.der());
  Put("issuers/crl", "line.crl", line_ca.Crl({}));
  EXPECT_TRUE(pki_->CheckServerCertificate(server).ok());
  // The issuer alone is no trust anchor: with another root trusted instead, the server is not.
  std::filesystem::remove(dir_ / "trusted" / "root.der");
  Put("trusted", "other.der", testing::TestCa::Root("Other Root CA").der());
  Status other = pki_->CheckServerCertificate(server);
  EXPECT_EQ(other.code(), StatusCode::kPermissionDenied) << other.ToString();
  EXPECT_NE(other.message().find("not trusted"), std::string::npos) << other.message();
}

TEST_F(PkiChainTest, EveryIssuerBelowTheTrustedCaNeedsItsCrl) {
  testing::TestCa line_ca = root_.Intermediate("Line 1 CA");
  Put("trusted", "root.der", root_.der());
  Put("issuers", "line.der", line_ca.der());
  Put("issuers/crl", "line.crl", line_ca.Crl({}));
  Status unknown = pki_->CheckServerCertificate(Server(line_ca, 200));
  EXPECT_EQ(unknown.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(unknown.message().find("revocation of certificate 'Line 1 CA' is unknown"), std::string::npos)
      << unknown.message();
  // The root revokes the line's CA (its serial is 2): every server under it goes with it.
  Put("trusted/crl", "root.crl", root_.Crl({2}));
  Status revoked = pki_->CheckServerCertificate(Server(line_ca, 201));
  EXPECT_EQ(revoked.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(revoked.message().find("'Line 1 CA' is revoked"), std::string::npos) << revoked.message();
}

TEST_F(PkiChainTest, ACrlSignedByAnotherKeyLeavesRevocationUnknown) {
  Put("trusted", "root.der", root_.der());
  testing::TestCa impostor = testing::TestCa::Root("Plant Root CA");  // the same name, another key
  Put("trusted/crl", "root.crl", impostor.Crl({}));
  Status unknown = pki_->CheckServerCertificate(Server(root_, 100));
  EXPECT_EQ(unknown.code(), StatusCode::kFailedPrecondition) << unknown.ToString();
  EXPECT_NE(unknown.message().find("is unknown"), std::string::npos) << unknown.message();
}

TEST_F(PkiChainTest, ACaSignedServerInTheTrustListStillNeedsItsIssuerAndCrl) {
  const Certificate server = Server(root_, 100);
  Put("trusted", "plc100.der", server.der());
  Status incomplete = pki_->CheckServerCertificate(server);
  EXPECT_EQ(incomplete.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(incomplete.message().find("chain is incomplete"), std::string::npos) << incomplete.message();
  EXPECT_NE(incomplete.message().find("'Plant Root CA'"), std::string::npos) << incomplete.message();

  Put("issuers", "root.der", root_.der());
  Put("issuers/crl", "root.crl", root_.Crl({}));
  EXPECT_TRUE(pki_->CheckServerCertificate(server).ok());
  EXPECT_EQ(pki_->CheckServerCertificate(Server(root_, 101)).code(), StatusCode::kPermissionDenied)
      << "an issuer is no trust anchor for the servers not trusted themselves";
  Put("issuers/crl", "root.crl", root_.Crl({100}));
  Status revoked = pki_->CheckServerCertificate(server);
  EXPECT_EQ(revoked.code(), StatusCode::kPermissionDenied) << "trusting it does not undo its revocation";
  EXPECT_NE(revoked.message().find("revoked"), std::string::npos) << revoked.message();
}

TEST_F(PkiChainTest, ACertificateThatIsNoCaSignsNothing) {
  testing::TestCa careless = testing::TestCa::Root("plc-9 self-signed", /*is_ca=*/false);
  Put("trusted", "plc9.der", careless.der());
  Put("trusted/crl", "plc9.crl", careless.Crl({}));
  Status refused = pki_->CheckServerCertificate(Server(careless, 900));
  EXPECT_EQ(refused.code(), StatusCode::kPermissionDenied) << refused.ToString();
  EXPECT_NE(refused.message().find("is no CA"), std::string::npos) << refused.message();
}

TEST_F(PkiChainTest, AClientOnlyCertificateIsNoServers) {
  Put("trusted", "root.der", root_.der());
  Put("trusted/crl", "root.crl", root_.Crl({}));
  Status refused = pki_->CheckServerCertificate(Server(root_, 100, -1, 365, "clientAuth"));
  EXPECT_EQ(refused.code(), StatusCode::kPermissionDenied) << refused.ToString();
  EXPECT_NE(refused.message().find("is not for a server"), std::string::npos) << refused.message();
}

TEST_F(PkiChainTest, AnIntermediateCaInTheTrustListIsEnough) {
  testing::TestCa line_ca = root_.Intermediate("Line 1 CA");
  Put("trusted", "line.der", line_ca.der());
  Put("trusted/crl", "line.crl", line_ca.Crl({}));
  // The root's CRL, which the trust list cannot verify without the root, is no obstacle.
  Put("trusted/crl", "root.crl", root_.Crl({}));
  Status line = pki_->CheckServerCertificate(Server(line_ca, 200));
  EXPECT_TRUE(line.ok()) << line.ToString();
  EXPECT_EQ(pki_->CheckServerCertificate(Server(root_, 201)).code(), StatusCode::kPermissionDenied)
      << "the root's other servers are not trusted";
}

TEST_F(PkiChainTest, RefusesAServerCertificateOutOfItsValidity) {
  Put("trusted", "root.der", root_.der());
  Put("trusted/crl", "root.crl", root_.Crl({}));
  Status expired = pki_->CheckServerCertificate(Server(root_, 300, -30, -1));
  EXPECT_EQ(expired.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(expired.message().find("certificate has expired"), std::string::npos) << expired.message();
  EXPECT_EQ(pki_->CheckServerCertificate(Server(root_, 301, 2, 30)).code(), StatusCode::kFailedPrecondition);
}

TEST_F(PkiChainTest, AServerOfAnotherCaIsNotTrusted) {
  Put("trusted", "root.der", root_.der());
  Put("trusted/crl", "root.crl", root_.Crl({}));
  testing::TestCa other = testing::TestCa::Root("Plant Root CA");  // the same name, another key
  Status refused = pki_->CheckServerCertificate(Server(other, 100));
  EXPECT_EQ(refused.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(refused.message().find("not trusted"), std::string::npos) << refused.message();
}

}  // namespace
}  // namespace zhizao::connect::opcua
