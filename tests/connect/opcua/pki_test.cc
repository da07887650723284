// The PKI folder: the application certificate created once and kept, and the trust list.
#include "connect/opcua/pki.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace zhizao::connect::opcua
