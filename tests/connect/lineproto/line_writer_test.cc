#include "connect/lineproto/line_writer.h"

#include <gtest/gtest.h>

#include <string>

#include "connect/lineproto/line_reader.h"

namespace zhizao::connect::lineproto {
namespace {

// Reads `body` (one line) and writes it back.
std::string Rewrite(std::string_view body) {
  LineReader reader(body, {.default_ts_ns = 42});
  EXPECT_TRUE(reader.Next()) << body;
  std::string out;
  AppendLine(reader.line(), &out);
  return out;
}

TEST(LineWriterTest, WritesTheCanonicalForm) {
  EXPECT_EQ(Rewrite("cpu,z=1,a=2 v=1.0,i=-3i,u=4u,b=T,s=\"x\" 7"), "cpu,a=2,z=1 v=1,i=-3i,u=4u,b=true,s=\"x\" 7\n");
  EXPECT_EQ(Rewrite("cpu v=-0.0,w=1e300,x=0.1"), "cpu v=-0,w=1e+300,x=0.1 42\n");
}

TEST(LineWriterTest, EscapesWhatTheReaderUnescapes) {
  EXPECT_EQ(Rewrite("m\\ 1\\,x,k\\=1=v\\ 2 f\\,k=\"q\\\"\\\\\" 1"), "m\\ 1\\,x,k\\=1=v\\ 2 f\\,k=\"q\\\"\\\\\" 1\n");
  EXPECT_EQ(Rewrite("m s=\"back\\slash\" 1"), "m s=\"back\\\\slash\" 1\n");
  EXPECT_EQ(Rewrite(Rewrite("m s=\"back\\slash\" 1")), "m s=\"back\\\\slash\" 1\n");
}

TEST(LineWriterTest, EscapesNamesForTheirPlace) {
  std::string out;
  AppendEscapedMeasurement("a b,c=d", &out);
  EXPECT_EQ(out, "a\\ b\\,c=d");
  out.clear();
  AppendEscapedName("a b,c=d", &out);
  EXPECT_EQ(out, "a\\ b\\,c\\=d");
}

}  // namespace
}  // namespace zhizao::connect::lineproto
