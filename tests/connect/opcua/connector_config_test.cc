// The security fields of an "opcua" definition, checked before anything connects.
#include "connect/opcua/connector_config.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace zhizao::connect::opcua {
namespace {

nlohmann::json Definition(nlohmann::json extra) {
  nlohmann::json definition = {{"name", "m1"}, {"type", "opcua"}, {"endpoint", "opc.tcp://127.0.0.1:4840"},
                               {"tags", nlohmann::json::array()}};
  definition.update(extra);
  return definition;
}

std::string ErrorOf(nlohmann::json extra) { return ParseOpcUaConfig(Definition(std::move(extra))).status().message(); }

TEST(OpcUaConfigTest, TakesPolicyModePkiDirAndTrust) {
  auto config = ParseOpcUaConfig(Definition({{"security", "Aes128_Sha256_RsaOaep"}, {"mode", "Sign"},
                                             {"pki_dir", "/var/lib/zhizao/pki/opcua"}, {"trust_server", "any"},
                                             {"username", "operator"}, {"password", "pw"}}));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  const SecurityOptions& security = config->client.security;
  EXPECT_EQ(security.policy->name, "Aes128_Sha256_RsaOaep");
  EXPECT_EQ(security.mode, SecurityMode::kSign);
  EXPECT_EQ(security.pki_dir, "/var/lib/zhizao/pki/opcua");
  EXPECT_TRUE(security.trust_any_server);
  EXPECT_EQ(config->client.user_name, "operator");
}

TEST(OpcUaConfigTest, DefaultsToNoneAndToSignAndEncryptUnderAPolicy) {
  auto none = ParseOpcUaConfig(Definition(nlohmann::json::object()));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->client.security.policy->is_none());
  EXPECT_EQ(none->client.security.mode, SecurityMode::kNone);
  auto secure = ParseOpcUaConfig(Definition({{"security", "Basic256Sha256"}, {"pki_dir", "/tmp/pki"}}));
  ASSERT_TRUE(secure.ok());
  EXPECT_EQ(secure->client.security.mode, SecurityMode::kSignAndEncrypt);
  EXPECT_FALSE(secure->client.security.trust_any_server);
}

TEST(OpcUaConfigTest, RefusesBadSecurityFieldsNamingThem) {
  EXPECT_NE(ErrorOf({{"security", "Basic128Rsa15"}}).find("'security'"), std::string::npos);
  EXPECT_NE(ErrorOf({{"security", "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256"}}).find("'security'"),
            std::string::npos);
  EXPECT_NE(ErrorOf({{"security", "Basic256Sha256"}}).find("'pki_dir' is required"), std::string::npos);
  EXPECT_NE(ErrorOf({{"security", "Basic256Sha256"}, {"pki_dir", "/p"}, {"mode", "None"}}).find("'mode'"),
            std::string::npos);
  EXPECT_NE(ErrorOf({{"mode", "Sign"}}).find("'mode'"), std::string::npos);
  EXPECT_NE(ErrorOf({{"security", "Basic256Sha256"}, {"pki_dir", "/p"}, {"trust_server", "yes"}}).find("'trust_server'"),
            std::string::npos);
}

}  // namespace
}  // namespace zhizao::connect::opcua
