#include "connect/lineproto/line_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lineproto_test_util.h"

namespace zhizao::connect::lineproto {
namespace {

struct ReadResult {
  std::vector<std::string> points;  // "<line number>: Describe()"
  std::vector<std::string> errors;  // "<line number>: Message()"
  int64_t error_count = 0;
};

ReadResult ReadAll(std::string_view body, ParseOptions options = {.default_ts_ns = kNowNs}) {
  LineReader reader(body, options);
  ReadResult result;
  while (reader.Next()) {
    result.points.push_back(std::to_string(reader.line().line_number) + ": " + Describe(reader.line()));
  }
  for (const ParseError& e : reader.errors()) {
    result.errors.push_back(std::to_string(e.line_number) + ": " + e.Message());
  }
  result.error_count = reader.error_count();
  return result;
}

TEST(LineReaderTest, ReadsValidLinesAroundBadOnesAndNumbersEveryLine) {
  const ReadResult r = ReadAll(
      "# header comment\n"
      "cpu,host=a value=1 10\n"
      "\n"
      "cpu,host=b value= 20\n"
      "   \t \n"
      "  # indented comment\n"
      "cpu,host=c value=3 30\n"
      "bad\n"
      "cpu,host=d value=4 40");
  EXPECT_EQ(r.points, (std::vector<std::string>{"2: cpu | host=a | value=float:1 | 10",
                                                "7: cpu | host=c | value=float:3 | 30",
                                                "9: cpu | host=d | value=float:4 | 40"}));
  EXPECT_EQ(r.errors, (std::vector<std::string>{"4: unable to parse 'cpu,host=b value= 20': missing field value",
                                                "8: unable to parse 'bad': missing fields"}));
}

TEST(LineReaderTest, AcceptsCrlfLineEnds) {
  const ReadResult r = ReadAll("# c\r\ncpu v=1 1\r\n\r\ncpu v=2i 2\r\ncpu v=x 3\r\n");
  EXPECT_EQ(r.points, (std::vector<std::string>{"2: cpu |  | v=float:1 | 1", "4: cpu |  | v=integer:2 | 2"}));
  EXPECT_EQ(r.errors, (std::vector<std::string>{"5: unable to parse 'cpu v=x 3': invalid boolean"}));
}

TEST(LineReaderTest, StringWithNewlinesSpansLinesAndKeepsNumbering) {
  const ReadResult r = ReadAll("log msg=\"first\nsecond\nthird\" 1\ncpu v=1 2\ncpu v=\"a\nb\" x\ncpu v=3 4\n");
  EXPECT_EQ(r.points, (std::vector<std::string>{"1: log |  | msg=string:\"first\nsecond\nthird\" | 1",
                                                "4: cpu |  | v=float:1 | 2", "7: cpu |  | v=float:3 | 4"}));
  EXPECT_EQ(r.errors, (std::vector<std::string>{"5: unable to parse 'cpu v=\"a\nb\" x': bad timestamp"}));
}

// As in InfluxDB: an unclosed quote takes the rest of the body into its line.
TEST(LineReaderTest, UnbalancedQuoteConsumesTheRestOfTheBody) {
  const ReadResult r = ReadAll("cpu v=1 1\ncpu s=\"open\ncpu v=2 2\ncpu v=3 3\n");
  EXPECT_EQ(r.points.size(), 1u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "2: unable to parse 'cpu s=\"open\ncpu v=2 2\ncpu v=3 3\n': unbalanced quotes");
}

TEST(LineReaderTest, EmptyBodiesAndCommentsOnly) {
  EXPECT_TRUE(ReadAll("").points.empty());
  EXPECT_TRUE(ReadAll("\n\n\r\n").points.empty());
  const ReadResult r = ReadAll("# only\n#comments\n   # here");
  EXPECT_TRUE(r.points.empty());
  EXPECT_EQ(r.error_count, 0);
}

TEST(LineReaderTest, KeepsTheFirstMaxErrorsAndCountsTheRest) {
  std::string body;
  for (int i = 0; i < 1000; ++i) body += "garbage " + std::to_string(i) + "\n";
  body += "cpu v=1 1\n";
  LineReader reader(body, {.max_errors = 100});
  int lines = 0;
  while (reader.Next()) ++lines;
  EXPECT_EQ(lines, 1);
  EXPECT_EQ(reader.errors().size(), 100u);
  EXPECT_EQ(reader.error_count(), 1000);
  EXPECT_EQ(reader.errors()[99].line_number, 100);
  const Status status = reader.status();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(status.message().starts_with("line 1: unable to parse 'garbage 0': invalid field format\n"
                                           "line 2: unable to parse 'garbage 1': invalid field format\n"))
      << status.message();
  EXPECT_TRUE(status.message().ends_with("\n... and 900 more errors")) << status.message();
}

TEST(LineReaderTest, StatusIsOkWithoutErrors) {
  LineReader reader("cpu v=1\n", {});
  while (reader.Next()) {
  }
  EXPECT_TRUE(reader.status().ok());
  EXPECT_EQ(reader.line_count(), 1);
}

TEST(LineReaderTest, QuotesAtMostOneKibibyteOfABadLine) {
  const std::string body = "cpu v=" + std::string(5000, 'x');
  LineReader reader(body, {});
  EXPECT_FALSE(reader.Next());
  ASSERT_EQ(reader.errors().size(), 1u);
  EXPECT_EQ(reader.errors()[0].line, body.substr(0, 1024) + "...");
  EXPECT_EQ(reader.errors()[0].reason, "invalid boolean");
}

TEST(LineReaderTest, ErrorsQuoteInvalidUtf8AsReplacementCharacters) {
  LineReader reader("cpu\xff v=1", {});
  EXPECT_FALSE(reader.Next());
  ASSERT_EQ(reader.errors().size(), 1u);
  EXPECT_EQ(reader.errors()[0].Message(), "unable to parse 'cpu\xEF\xBF\xBD v=1': invalid UTF-8");
}

TEST(LineReaderTest, ConvertsEveryPrecisionToNanoseconds) {
  const struct {
    Precision precision;
    int64_t ns;
  } cases[] = {{Precision::kNanosecond, 7},
               {Precision::kMicrosecond, 7'000},
               {Precision::kMillisecond, 7'000'000},
               {Precision::kSecond, 7'000'000'000},
               {Precision::kMinute, 420'000'000'000},
               {Precision::kHour, 25'200'000'000'000}};
  for (const auto& c : cases) {
    LineReader reader("m v=1 7", {.precision = c.precision});
    ASSERT_TRUE(reader.Next());
    EXPECT_EQ(reader.line().ts_ns, c.ns) << PrecisionName(c.precision);
  }
}

TEST(LineReaderTest, RejectsTimestampsThatOverflowInTheirPrecision) {
  EXPECT_EQ(ParseOne("m v=1 2562047", Precision::kHour), "m |  | v=float:1 | 9223369200000000000");
  EXPECT_EQ(ParseOne("m v=1 2562048", Precision::kHour),
            "error: time outside range -9223372036854775806 - 9223372036854775806");
  EXPECT_EQ(ParseOne("m v=1 -9223372036855", Precision::kMillisecond),
            "error: time outside range -9223372036854775806 - 9223372036854775806");
  EXPECT_EQ(ParseOne("m v=1 9223372036854", Precision::kMillisecond), "m |  | v=float:1 | 9223372036854000000");
}

TEST(LineReaderTest, TruncatesTheDefaultTimeToThePrecision) {
  EXPECT_EQ(ParseOne("m v=1", Precision::kSecond), "m |  | v=float:1 | 1700000000000000000");
  EXPECT_EQ(ParseOne("m v=1", Precision::kMillisecond), "m |  | v=float:1 | 1700000000123000000");
  EXPECT_EQ(ParseOne("m v=1", Precision::kHour), "m |  | v=float:1 | 1699999200000000000");
  LineReader before_epoch("m v=1", {.precision = Precision::kSecond, .default_ts_ns = -1});
  ASSERT_TRUE(before_epoch.Next());
  EXPECT_EQ(before_epoch.line().ts_ns, -1'000'000'000);
}

TEST(LineReaderTest, NamesWithoutEscapesViewTheBody) {
  const std::string body = "plant,device=d00042,line=l03,site=s01 temperature=65.23,state=\"ok\" 1\n";
  LineReader reader(body, {});
  ASSERT_TRUE(reader.Next());
  const ParsedLine& line = reader.line();
  const auto in_body = [&](std::string_view v) {
    return v.data() >= body.data() && v.data() + v.size() <= body.data() + body.size();
  };
  EXPECT_TRUE(in_body(line.measurement));
  EXPECT_TRUE(in_body(line.tags[1].value));
  EXPECT_TRUE(in_body(line.fields[0].key));
  EXPECT_TRUE(in_body(std::get<std::string_view>(line.fields[1].value)));
  EXPECT_TRUE(in_body(line.series_key));
  EXPECT_EQ(line.series_key, "plant,device=d00042,line=l03,site=s01");
}

TEST(LineReaderTest, SeriesKeyIsCanonicalWhateverTheTagOrderAndEscapes) {
  const char* const bodies[] = {"cpu\\ 1,b=x\\,y,a=1 v=1", "cpu\\ 1,a=1,b=x\\,y v=1"};
  for (const char* body : bodies) {
    LineReader reader(body, {});
    ASSERT_TRUE(reader.Next());
    EXPECT_EQ(reader.line().series_key, "cpu\\ 1,a=1,b=x\\,y") << body;
  }
  LineReader reader("m,z=1,y\\=k=v\\ w,x=\"q\" v=1", {});
  ASSERT_TRUE(reader.Next());
  EXPECT_EQ(reader.line().series_key, "m,x=\"q\",y\\=k=v\\ w,z=1");
}

TEST(LineReaderTest, ReadsALineOfAThousandFields) {
  std::string body = "m";
  for (int i = 0; i < 1000; ++i) body += (i ? ",f" : " f") + std::to_string(i) + "=" + std::to_string(i) + "i";
  body += ",f7=-1i 5";  // repeated: the last value wins, in the first position
  LineReader reader(body, {});
  ASSERT_TRUE(reader.Next());
  const ParsedLine& line = reader.line();
  ASSERT_EQ(line.fields.size(), 1000u);
  EXPECT_EQ(line.fields[999].key, "f999");
  EXPECT_EQ(std::get<int64_t>(line.fields[999].value), 999);
  EXPECT_EQ(line.fields[7].key, "f7");
  EXPECT_EQ(std::get<int64_t>(line.fields[7].value), -1);
}

TEST(LineReaderTest, SortsAThousandTagsAndFindsARepeatedOne) {
  std::string tags;
  for (int i = 999; i >= 0; --i) tags += ",t" + std::to_string(1000 + i) + "=v";
  const std::string body = "m" + tags + " v=1";
  LineReader reader(body, {});
  ASSERT_TRUE(reader.Next()) << reader.errors().at(0).reason;
  ASSERT_EQ(reader.line().tags.size(), 1000u);
  EXPECT_EQ(reader.line().tags.front().key, "t1000");
  EXPECT_EQ(reader.line().series_key.substr(0, 20), "m,t1000=v,t1001=v,t1");
  EXPECT_EQ(ParseOne("m" + tags + ",t1500=w v=1"), "error: duplicate tags");
}

TEST(LineReaderTest, RejectsAKeyLongerThanInfluxDbAllows) {
  const std::string measurement(65531, 'm');
  EXPECT_EQ(ParseOne(measurement + " v=1"), "error: max key length exceeded: 65536 > 65535");
  EXPECT_EQ(ParseOne(measurement.substr(1) + " v=1").substr(0, 5), "mmmmm");
}

TEST(LineReaderTest, HostileBodiesAreReadQuickly) {
  const std::string bodies[] = {std::string(1 << 20, ','), std::string(1 << 20, '\\'), std::string(1 << 20, '"'),
                                "m " + std::string(1 << 20, '='), "m s=\"" + std::string(1 << 20, '\\'),
                                std::string(1 << 20, '\n'), "m" + std::string(1 << 20, ' ')};
  for (const std::string& body : bodies) {
    LineReader reader(body, {});
    while (reader.Next()) {
    }
    EXPECT_LE(reader.errors().size(), 100u);
  }
  std::string many_fields = "m ";
  for (int i = 0; i < 100'000; ++i) many_fields += "f=1,";
  many_fields += "g=2";
  LineReader reader(many_fields, {});
  ASSERT_TRUE(reader.Next());
  EXPECT_EQ(reader.line().fields.size(), 2u);
}

}  // namespace
}  // namespace zhizao::connect::lineproto
