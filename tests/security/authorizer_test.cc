#include "security/authorizer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace zhizao::security {
namespace {

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() / ("zz-sec-" + std::to_string(::getpid()) + "-" +
                                                      std::to_string(counter_++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string str() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

TEST(AdminTokenTest, GeneratesOnceAndStoresOnlyTheHash) {
  TempDir dir;
  auto first = AdminToken::LoadOrCreate(dir.str(), std::nullopt);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(first->new_token.has_value());
  std::string token = *first->new_token;
  EXPECT_EQ(token.size(), 64u);
  EXPECT_TRUE(first->token.Matches(token));

  std::string path = dir.str() + "/admin_token.sha256";
  std::ifstream in(path);
  std::string stored;
  std::getline(in, stored);
  EXPECT_EQ(stored.size(), 64u);
  EXPECT_EQ(stored.find(token), std::string::npos);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  auto second = AdminToken::LoadOrCreate(dir.str(), std::string("ignored-once-created"));
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->new_token.has_value());
  EXPECT_TRUE(second->token.Matches(token));
  EXPECT_FALSE(second->token.Matches("ignored-once-created"));
}

TEST(AdminTokenTest, TakesTheEnvironmentTokenAtFirstStart) {
  TempDir dir;
  auto loaded = AdminToken::LoadOrCreate(dir.str(), std::string("0123456789abcdef-plant"));
  ASSERT_TRUE(loaded.ok());
  EXPECT_FALSE(loaded->new_token.has_value());
  EXPECT_TRUE(loaded->token.Matches("0123456789abcdef-plant"));
}

TEST(AdminTokenTest, RefusesShortTokensAndCorruptHashFiles) {
  TempDir dir;
  EXPECT_EQ(AdminToken::LoadOrCreate(dir.str(), std::string("short")).status().code(),
            StatusCode::kInvalidArgument);
  std::ofstream(dir.str() + "/admin_token.sha256") << "not a hash\n";
  EXPECT_EQ(AdminToken::LoadOrCreate(dir.str(), std::nullopt).status().code(), StatusCode::kCorruption);
}

TEST(AuthorizerTest, AcceptsTokenAndBearerSchemes) {
  Authorizer auth(AdminToken::FromToken("secret-token-0123456789"));
  EXPECT_TRUE(auth.Authenticate("Token secret-token-0123456789").ok());
  EXPECT_TRUE(auth.Authenticate("Bearer secret-token-0123456789").ok());
  EXPECT_TRUE(auth.Authenticate("bearer secret-token-0123456789").ok());
  EXPECT_EQ(auth.Authenticate("").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(auth.Authenticate("Token wrong").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(auth.Authenticate("Basic c2VjcmV0").status().code(), StatusCode::kUnauthenticated);  // no ':'
  // InfluxDB clients send the token as the Basic password; the user name is not checked.
  EXPECT_TRUE(auth.Authenticate("Basic YWRtaW46c2VjcmV0LXRva2VuLTAxMjM0NTY3ODk=").ok());
  EXPECT_TRUE(auth.Authenticate("Basic OnNlY3JldC10b2tlbi0wMTIzNDU2Nzg5").ok());
  EXPECT_EQ(auth.Authenticate("Basic YWRtaW46bm9wZQ==").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(auth.Authenticate("Basic !!!!").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(auth.Authenticate("Token ").status().code(), StatusCode::kUnauthenticated);
}

TEST(AuthorizerTest, AdminMayDoEverythingOthersNothingYet) {
  Authorizer auth(AdminToken::FromToken("secret-token-0123456789"));
  Principal admin = *auth.Authenticate("Token secret-token-0123456789");
  EXPECT_TRUE(auth.Authorize(admin, Action::kAdmin, {"storage", ""}).ok());
  Principal guest{"guest", false};
  EXPECT_EQ(auth.Authorize(guest, Action::kRead, {"tags", ""}).code(), StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace zhizao::security
