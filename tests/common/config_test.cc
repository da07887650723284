#include "common/config.h"

#include <gtest/gtest.h>

namespace zhizao {
namespace {

TEST(ConfigTest, DefaultTomlRoundTripsToDefaults) {
  Config parsed;
  parsed.listen = "changed:1";
  ASSERT_TRUE(ApplyConfigToml(DefaultConfigToml(), "defaults.toml", parsed).ok());
  Config defaults;
  EXPECT_EQ(parsed.listen, defaults.listen);
  EXPECT_EQ(parsed.sim_faults_per_day, defaults.sim_faults_per_day);
  EXPECT_TRUE(ValidateConfig(parsed).ok());
}

TEST(ConfigTest, EveryOptionIsDocumentedInDefaults) {
  std::string text = DefaultConfigToml();
  for (const ConfigOption& o : ConfigOptions()) {
    EXPECT_FALSE(o.doc.empty()) << o.key;
    EXPECT_NE(text.find("\n" + std::string(o.key) + " = "), std::string::npos) << o.key;
  }
}

TEST(ConfigTest, UnknownKeyNamesFileLineAndKey) {
  Config c;
  Status s = ApplyConfigToml("[server]\nlisten = \"127.0.0.1:1\"\nlisen = 3\n", "plant.toml", c);
  EXPECT_EQ(s.message(), "plant.toml:3: unknown key [server] lisen");
}

TEST(ConfigTest, UnknownSectionIsAnError) {
  Config c;
  EXPECT_FALSE(ApplyConfigToml("[servre]\nlisten = \"x\"\n", "a.toml", c).ok());
  EXPECT_FALSE(ApplyConfigToml("listen = \"x\"\n", "a.toml", c).ok());
}

TEST(ConfigTest, WrongTypeNamesExpectedAndGot) {
  Config c;
  Status s = ApplyConfigToml("[server]\nlisten = 8080\n", "p.toml", c);
  EXPECT_EQ(s.message(), "p.toml:2: [server] listen: expected a string, got integer");
}

TEST(ConfigTest, SyntaxErrorNamesLine) {
  Config c;
  Status s = ApplyConfigToml("[server]\nlisten = \n", "p.toml", c);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.message().rfind("p.toml:2: ", 0), 0u) << s.message();
}

TEST(ConfigTest, MissingFileIsNamed) {
  Config c;
  Status s = ApplyConfigFile("/nonexistent/zhizao.toml", c);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find("/nonexistent/zhizao.toml"), std::string::npos);
}

TEST(ConfigTest, EnvironmentOverridesAndRejectsTypos) {
  Config c;
  ASSERT_TRUE(ApplyConfigEnv({"ZHIZAO_SERVER_LISTEN=0.0.0.0:9", "ZHIZAO_SIM_SCALE=3", "PATH=/bin",
                              "ZHIZAO_ADMIN_TOKEN=secret"},
                             {"ZHIZAO_ADMIN_TOKEN"}, c)
                  .ok());
  EXPECT_EQ(c.listen, "0.0.0.0:9");
  EXPECT_EQ(c.sim_scale, 3);
  Status typo = ApplyConfigEnv({"ZHIZAO_SEVER_LISTEN=x"}, {}, c);
  EXPECT_NE(typo.message().find("ZHIZAO_SEVER_LISTEN"), std::string::npos);
  Status bad = ApplyConfigEnv({"ZHIZAO_SIM_SCALE=many"}, {}, c);
  EXPECT_EQ(bad.message(), "environment variable ZHIZAO_SIM_SCALE: expected an integer, got 'many'");
}

TEST(ConfigTest, ValidationNamesSectionAndKey) {
  Config c;
  c.sim_scale = 0;
  EXPECT_EQ(ValidateConfig(c).message(), "[sim]: scale: must be positive, got 0");
  c = Config();
  c.analytics_event_threshold = 1.5;
  EXPECT_EQ(ValidateConfig(c).message(), "[analytics]: event_threshold: expected a score above 0 and at most 1");
  c = Config();
  c.listen = "localhost";
  EXPECT_FALSE(ValidateConfig(c).ok());
  c.log_format = "xml";
  c.listen = "localhost:80";
  EXPECT_NE(ValidateConfig(c).message().find("format"), std::string::npos);
}

TEST(ConfigTest, ParsesHostPort) {
  std::string host;
  uint16_t port = 0;
  ASSERT_TRUE(ParseHostPort("[::1]:8080", host, port).ok());
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 8080);
  EXPECT_FALSE(ParseHostPort("h:70000", host, port).ok());
  EXPECT_FALSE(ParseHostPort("h:", host, port).ok());
}

TEST(ConfigTest, ConnectorTablesBecomeJsonDefinitions) {
  Config c;
  Status s = ApplyConfigToml(R"([[connectors]]
name = "press-1"
type = "modbus"
endpoint = "tcp://127.0.0.1:1502"
poll_ms = 100
tags = [{ tag = "site1/line1/press1/counter", register = "HR0", type = "uint16" }]

[[connectors]]
name = "m1"
type = "opcua"
)",
                             "plant.toml", c);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(c.connector_definitions.size(), 2u);
  EXPECT_NE(c.connector_definitions[0].find(R"("register" : "HR0")"), std::string::npos) << c.connector_definitions[0];
  EXPECT_NE(c.connector_definitions[0].find(R"("poll_ms" : 100)"), std::string::npos);
  EXPECT_NE(c.connector_definitions[1].find(R"("name" : "m1")"), std::string::npos);

  Config wrong;
  Status table = ApplyConfigToml("[connectors]\nname = \"x\"\n", "plant.toml", wrong);
  EXPECT_FALSE(table.ok());
  EXPECT_NE(table.message().find("[[connectors]]"), std::string::npos);
}

}  // namespace
}  // namespace zhizao
