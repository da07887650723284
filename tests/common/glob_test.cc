#include "common/glob.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace zhizao {
namespace {

// The meaning of a pattern is SQLite's: the catalog filters tag paths with GLOB, and the same
// pattern must pick the same tags everywhere else.
bool SqliteGlob(const std::string& pattern, const std::string& text) {
  return sqlite3_strglob(pattern.c_str(), text.c_str()) == 0;
}

TEST(GlobTest, AgreesWithSqlite) {
  const char* patterns[] = {"*",          "",          "a/*",       "a/*/c",      "*temp",      "*/p10?/*",
                            "a/b",        "a?c",       "[ab]*",     "[^ab]*",     "[a-c]x",     "*[0-9]",
                            "a*b*c",      "**",        "a/[",       "[]]x",       "[a-]",       "*/*/*",
                            "site1/*/temp", "*x*x*x*", "?",         "[^]]"};
  const char* texts[] = {"",          "a",        "a/b",       "a/b/c",    "a/x/y/c",  "p101/temp",
                         "plant/p101/flow", "abc", "axc",     "bx",       "dx",       "x9",
                         "aXbYc",     "a/[",      "]x",        "-",        "site1/line1/temp", "xxx",
                         "site1/line1/m1/temp", "]"};
  for (const char* p : patterns) {
    for (const char* t : texts) EXPECT_EQ(GlobMatch(p, t), SqliteGlob(p, t)) << "pattern '" << p << "' text '" << t << "'";
  }
}

TEST(GlobTest, LongRunsOfStarsStayFast) {
  std::string pattern(200, '*');
  pattern += "b";
  std::string text(100'000, 'a');
  EXPECT_FALSE(GlobMatch(pattern, text));
}

}  // namespace
}  // namespace zhizao
