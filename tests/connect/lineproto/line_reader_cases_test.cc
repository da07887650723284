// Data-driven cases: one line in, the point read (see Describe) or InfluxDB's reason out.
// Every default timestamp below is kNowNs; the precision is ns.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lineproto_test_util.h"

namespace zhizao::connect::lineproto {
namespace {

struct Case {
  std::string input;
  std::string expected;  // Describe() of the point, or "error: <reason>"
};

void RunCases(const std::vector<Case>& cases) {
  for (const Case& c : cases) EXPECT_EQ(ParseOne(c.input), c.expected) << "input: " << c.input;
}

TEST(LineReaderCasesTest, Structure) {
  RunCases({
      {"cpu value=1", "cpu |  | value=float:1 | 1700000000123456789"},
      {"cpu value=1 1000", "cpu |  | value=float:1 | 1000"},
      {"cpu,host=a value=1 5", "cpu | host=a | value=float:1 | 5"},
      {"cpu,zone=z,host=a,b=c v=1 5", "cpu | b=c,host=a,zone=z | v=float:1 | 5"},
      {"cpu v=1,w=2i,x=\"s\",y=t 5", "cpu |  | v=float:1,w=integer:2,x=string:\"s\",y=boolean:true | 5"},
      {"  cpu v=1 5", "cpu |  | v=float:1 | 5"},
      {"\tcpu v=1 5", "cpu |  | v=float:1 | 5"},
      {"cpu  v=1   5  ", "cpu |  | v=float:1 | 5"},
      {"cpu v=1 \t5\t ", "cpu |  | v=float:1 | 5"},
      {"cpu v=1 ", "cpu |  | v=float:1 | 1700000000123456789"},
      {"cpu v=1\r", "cpu |  | v=float:1 | 1700000000123456789"},
      {"cpu v=1 5\r", "cpu |  | v=float:1 | 5"},
      {"cpu v=t\r", "cpu |  | v=boolean:true | 1700000000123456789"},
      {"cpu v=\"x\"\r", "cpu |  | v=string:\"x\" | 1700000000123456789"},
      {"cpu v=1 -5", "cpu |  | v=float:1 | -5"},
      {"cpu v=1 0", "cpu |  | v=float:1 | 0"},
      {"cpu v=1,w=2,v=3 5", "cpu |  | v=float:3,w=float:2 | 5"},
      {"cpu v=1,v=\"s\" 5", "cpu |  | v=string:\"s\" | 5"},
      {"cpu=x v=1 5", "cpu=x |  | v=float:1 | 5"},
      {"cpu\"q v=1 5", "cpu\"q |  | v=float:1 | 5"},
      {"cpu a\"b=1 5", "cpu |  | a\"b=float:1 | 5"},
      {"cpu,host=\"a\" v=1 5", "cpu | host=\"a\" | v=float:1 | 5"},
  });
}

TEST(LineReaderCasesTest, StructureErrors) {
  RunCases({
      {",host=a v=1", "error: missing measurement"},
      {"cpu", "error: missing fields"},
      {"cpu ", "error: missing fields"},
      {"cpu   \r", "error: missing fields"},
      {"cpu,host=a", "error: missing fields"},
      {"cpu,host=a ", "error: missing fields"},
      {"cpu,", "error: missing tag key"},
      {"cpu, v=1", "error: missing tag key"},
      {"cpu,=a v=1", "error: missing tag key"},
      {"cpu,host=a,,b=c v=1", "error: missing tag key"},
      {"cpu,host v=1", "error: missing tag value"},
      {"cpu,host", "error: missing tag value"},
      {"cpu,host= v=1", "error: missing tag value"},
      {"cpu,host=,b=c v=1", "error: missing tag value"},
      {"cpu,host=a=b v=1", "error: invalid tag format"},
      {"cpu,host==b v=1", "error: invalid tag format"},
      {"cpu,host=a,host=b v=1", "error: duplicate tags"},
      {"cpu,b=1,a=2,b=3 v=1", "error: duplicate tags"},
      {"cpu value=", "error: missing field value"},
      {"cpu value=\r", "error: missing field value"},
      {"cpu value=,x=1", "error: missing field value"},
      {"cpu value= 1", "error: missing field value"},
      {"cpu =1", "error: missing field key"},
      {"cpu a=1,=2", "error: missing field key"},
      {"cpu value", "error: invalid field format"},
      {"cpu a=1,b", "error: invalid field format"},
      {"cpu a=1,", "error: invalid field format"},
      {"cpu a=1,,b=2", "error: invalid field format"},
      {"cpu a b=1", "error: invalid field format"},
      {"cpu s=\"abc", "error: unbalanced quotes"},
      {"cpu s=\"abc\\\"", "error: unbalanced quotes"},
      {"cpu s=\"a\"b", "error: invalid field format"},
      {"cpu s=\"a\"\"b\"", "error: invalid field format"},
      {"cpu v=1\rx", "error: invalid number"},
      {"cpu v=1\t", "error: invalid number"},
      {"cpu v=1 12a", "error: bad timestamp"},
      {"cpu v=1 1.5", "error: bad timestamp"},
      {"cpu v=1 -", "error: bad timestamp"},
      {"cpu v=1 +5", "error: bad timestamp"},
      {"cpu v=1 5\rx", "error: bad timestamp"},
      {"cpu v=1 123 456", "error: point is invalid"},
      {"cpu,time=x v=1", "error: invalid tag key: input tag \"time\" on measurement \"cpu\" is invalid"},
      {"cpu time=1", "error: invalid field name: input field \"time\" on measurement \"cpu\" is invalid"},
      {"cpu v=1,time=1", "error: invalid field name: input field \"time\" on measurement \"cpu\" is invalid"},
  });
}

TEST(LineReaderCasesTest, Escaping) {
  RunCases({
      {"cpu\\,01,host=a v=1 5", "cpu,01 | host=a | v=float:1 | 5"},
      {"cpu\\ load v=1 5", "cpu load |  | v=float:1 | 5"},
      {"cpu\\=x v=1 5", "cpu\\=x |  | v=float:1 | 5"},
      {"cpu\\x v=1 5", "cpu\\x |  | v=float:1 | 5"},
      {"\\ cpu v=1 5", " cpu |  | v=float:1 | 5"},
      {"cpu,ho\\ st=a\\,b v=1 5", "cpu | ho st=a,b | v=float:1 | 5"},
      {"cpu,h\\=k=v\\=w v=1 5", "cpu | h=k=v=w | v=float:1 | 5"},
      {"cpu,host=a\\b v=1 5", "cpu | host=a\\b | v=float:1 | 5"},
      {"cpu,host=a\\\\b v=1 5", "cpu | host=a\\\\b | v=float:1 | 5"},
      {"cpu,host=a\\\"b v=1 5", "cpu | host=a\\\"b | v=float:1 | 5"},
      {"cpu,host=a\\\\,b=c v=1 5", "cpu | b=c,host=a\\\\ | v=float:1 | 5"},
      {"cpu f\\ k=1 5", "cpu |  | f k=float:1 | 5"},
      {"cpu f\\,k=1 5", "cpu |  | f,k=float:1 | 5"},
      {"cpu f\\=k=1 5", "cpu |  | f=k=float:1 | 5"},
      {"cpu s=\"a \\\"q\\\" \\\\ b\" 5", "cpu |  | s=string:\"a \"q\" \\ b\" | 5"},
      {"cpu s=\"a\\nb\" 5", "cpu |  | s=string:\"a\\nb\" | 5"},
      {"cpu s=\"a\\\\\" 5", "cpu |  | s=string:\"a\\\" | 5"},
      {"cpu s=\"x,y z=w\" 5", "cpu |  | s=string:\"x,y z=w\" | 5"},
      {"cpu s=\"\" 5", "cpu |  | s=string:\"\" | 5"},
      {"cpu s=\"two\nlines\" 5", "cpu |  | s=string:\"two\nlines\" | 5"},
  });
}

TEST(LineReaderCasesTest, Unicode) {
  RunCases({
      {"温度,车间=一号 值=1,说明=\"正常 ✓\" 5", "温度 | 车间=一号 | 值=float:1,说明=string:\"正常 ✓\" | 5"},
      {"cpu,emoji=\xF0\x9F\x98\x80 v=1 5", "cpu | emoji=\xF0\x9F\x98\x80 | v=float:1 | 5"},
      {"cpu v=\"\xff\" 5", "error: invalid UTF-8"},
      {"cpu\xc0\xaf v=1", "error: invalid UTF-8"},          // overlong '/'
      {"cpu,t=\xed\xa0\x80 v=1", "error: invalid UTF-8"},   // a surrogate
      {"cpu,t=\xe4\xb8 v=1", "error: invalid UTF-8"},       // cut short
  });
}

TEST(LineReaderCasesTest, Floats) {
  RunCases({
      {"m v=1.0 0", "m |  | v=float:1 | 0"},
      {"m v=-1.5e10 0", "m |  | v=float:-1.5e+10 | 0"},
      {"m v=1e-3 0", "m |  | v=float:0.001 | 0"},
      {"m v=1E5 0", "m |  | v=float:1e+05 | 0"},
      {"m v=1e+5 0", "m |  | v=float:1e+05 | 0"},
      {"m v=.5 0", "m |  | v=float:0.5 | 0"},
      {"m v=-.5 0", "m |  | v=float:-0.5 | 0"},
      {"m v=5. 0", "m |  | v=float:5 | 0"},
      {"m v=1.e2 0", "m |  | v=float:100 | 0"},
      {"m v=-0 0", "m |  | v=float:-0 | 0"},
      {"m v=-0.0 0", "m |  | v=float:-0 | 0"},
      {"m v=007 0", "m |  | v=float:7 | 0"},
      {"m v=0.1 0", "m |  | v=float:0.1 | 0"},
      {"m v=0.30000000000000004 0", "m |  | v=float:0.30000000000000004 | 0"},
      {"m v=1.7976931348623157e308 0", "m |  | v=float:1.7976931348623157e+308 | 0"},
      {"m v=4.9e-324 0", "m |  | v=float:5e-324 | 0"},
      {"m v=1e-400 0", "m |  | v=float:0 | 0"},
      {"m v=-1e-400 0", "m |  | v=float:-0 | 0"},
      {"m v=0e999999999999999999999 0", "m |  | v=float:0 | 0"},
      {"m v=123456789012345678901234567890 0", "m |  | v=float:1.2345678901234568e+29 | 0"},
      {"m v=9007199254740993 0", "m |  | v=float:9007199254740992 | 0"},
      {"m v=1e309 0", "error: invalid float"},
      {"m v=-1e309 0", "error: invalid float"},
      {"m v=1e99999999999999999999 0", "error: invalid float"},
      {"m v=1.8e308 0", "error: invalid float"},
      {"m v=1e 0", "error: invalid float"},
      {"m v=1e+ 0", "error: invalid float"},
      {"m v=1e5e5 0", "error: invalid float"},
      {"m v=1e5.3 0", "error: invalid float"},
      {"m v=1.2.3 0", "error: invalid number"},
      {"m v=1..2 0", "error: invalid number"},
      {"m v=1-2 0", "error: invalid number"},
      {"m v=1x 0", "error: invalid number"},
      {"m v=0x10 0", "error: invalid number"},
      {"m v=- 0", "error: invalid number"},
      {"m v=. 0", "error: invalid number"},
      {"m v=-. 0", "error: invalid number"},
      {"m v=--1 0", "error: invalid number"},
      {"m v=NaN 0", "error: invalid number"},
      {"m v=nan 0", "error: invalid number"},
      {"m v=-inf 0", "error: invalid number"},
      {"m v=inf 0", "error: invalid boolean"},
      {"m v=+1 0", "error: invalid boolean"},
  });
}

TEST(LineReaderCasesTest, Integers) {
  RunCases({
      {"m v=1i 0", "m |  | v=integer:1 | 0"},
      {"m v=-1i 0", "m |  | v=integer:-1 | 0"},
      {"m v=0i 0", "m |  | v=integer:0 | 0"},
      {"m v=-0i 0", "m |  | v=integer:0 | 0"},
      {"m v=007i 0", "m |  | v=integer:7 | 0"},
      {"m v=9223372036854775807i 0", "m |  | v=integer:9223372036854775807 | 0"},
      {"m v=-9223372036854775808i 0", "m |  | v=integer:-9223372036854775808 | 0"},
      {"m v=9223372036854775808i 0",
       "error: unable to parse integer 9223372036854775808: strconv.ParseInt: parsing \"9223372036854775808\": "
       "value out of range"},
      {"m v=-9223372036854775809i 0",
       "error: unable to parse integer -9223372036854775809: strconv.ParseInt: parsing \"-9223372036854775809\": "
       "value out of range"},
      {"m v=1.5i 0", "error: invalid number"},
      {"m v=1e3i 0", "error: invalid number"},
      {"m v=1i2 0", "error: invalid number"},
      {"m v=1ii 0", "error: invalid number"},
      {"m v=-i 0", "error: invalid number"},
      {"m v=0u 0", "m |  | v=unsigned:0 | 0"},
      {"m v=18446744073709551615u 0", "m |  | v=unsigned:18446744073709551615 | 0"},
      {"m v=18446744073709551616u 0",
       "error: unable to parse unsigned 18446744073709551616: strconv.ParseUint: parsing \"18446744073709551616\": "
       "value out of range"},
      {"m v=-1u 0", "error: invalid number"},
      {"m v=1.0u 0", "error: invalid number"},
      {"m v=1u5 0", "error: invalid number"},
  });
}

TEST(LineReaderCasesTest, Booleans) {
  std::vector<Case> cases;
  for (const char* t : {"t", "T", "true", "True", "TRUE"}) {
    cases.push_back({std::string("m v=") + t, "m |  | v=boolean:true | 1700000000123456789"});
  }
  for (const char* f : {"f", "F", "false", "False", "FALSE"}) {
    cases.push_back({std::string("m v=") + f, "m |  | v=boolean:false | 1700000000123456789"});
  }
  for (const char* bad : {"tRUE", "truE", "yes", "truex", "tr", "FALSe", "x", "\"true"}) {
    cases.push_back({std::string("m v=") + bad, bad[0] == '"' ? "error: unbalanced quotes" : "error: invalid boolean"});
  }
  RunCases(cases);
}

TEST(LineReaderCasesTest, Timestamps) {
  RunCases({
      {"m v=1 9223372036854775806", "m |  | v=float:1 | 9223372036854775806"},
      {"m v=1 -9223372036854775806", "m |  | v=float:1 | -9223372036854775806"},
      {"m v=1 9223372036854775807", "error: time outside range -9223372036854775806 - 9223372036854775806"},
      {"m v=1 -9223372036854775807", "error: time outside range -9223372036854775806 - 9223372036854775806"},
      {"m v=1 -9223372036854775808", "error: time outside range -9223372036854775806 - 9223372036854775806"},
      {"m v=1 99999999999999999999",
       "error: strconv.ParseInt: parsing \"99999999999999999999\": value out of range"},
      {"m v=1 0001", "m |  | v=float:1 | 1"},
  });
}

}  // namespace
}  // namespace zhizao::connect::lineproto
