#include "connect/csv/csv_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace zhizao::connect::csv {
namespace {

std::vector<std::vector<std::string>> Records(std::string_view text) {
  CsvReader reader(text);
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> cells;
  while (true) {
    Result<bool> more = reader.Next(&cells);
    EXPECT_TRUE(more.ok()) << more.status().message();
    if (!more.ok() || !*more) return out;
    out.push_back(cells);
  }
}

std::string FirstError(std::string_view text) {
  CsvReader reader(text);
  std::vector<std::string> cells;
  while (true) {
    Result<bool> more = reader.Next(&cells);
    if (!more.ok()) return more.status().message();
    if (!*more) return "";
  }
}

using Rows = std::vector<std::vector<std::string>>;

TEST(CsvReaderTest, SplitsCellsAndRecordsOnLfAndCrLf) {
  EXPECT_EQ(Records("a,b\r\n1,2\n3,\n"), (Rows{{"a", "b"}, {"1", "2"}, {"3", ""}}));
  EXPECT_EQ(Records("a,b\n1,2"), (Rows{{"a", "b"}, {"1", "2"}}));
}

TEST(CsvReaderTest, QuotedCellsHoldCommasNewlinesAndDoubledQuotes) {
  EXPECT_EQ(Records("\"a,b\",\"say \"\"hi\"\"\"\r\n\"two\r\nlines\",\"\"\n"),
            (Rows{{"a,b", "say \"hi\""}, {"two\r\nlines", ""}}));
}

TEST(CsvReaderTest, BlankLineIsOneEmptyCellAndCountsAsARow) {
  CsvReader reader("a\n\nb\n");
  std::vector<std::string> cells;
  ASSERT_TRUE(*reader.Next(&cells));
  ASSERT_TRUE(*reader.Next(&cells));
  EXPECT_EQ(cells, std::vector<std::string>{""});
  ASSERT_TRUE(*reader.Next(&cells));
  EXPECT_EQ(reader.row(), 3);
}

TEST(CsvReaderTest, SkipsAByteOrderMark) { EXPECT_EQ(Records("\xEF\xBB\xBFtime,v\n"), (Rows{{"time", "v"}})); }

TEST(CsvReaderTest, LoneCarriageReturnIsData) { EXPECT_EQ(Records("a\rb,c\n"), (Rows{{"a\rb", "c"}})); }

TEST(CsvReaderTest, UnclosedQuoteNamesTheRowWhereItOpened) {
  EXPECT_EQ(FirstError("a\n\"open\nmore\n"), "row 2: a quoted cell is not closed");
}

TEST(CsvReaderTest, StrayQuotesNameRowAndColumn) {
  EXPECT_EQ(FirstError("a,b\n1,x\"y\n"), "row 2, column 2: a quote inside a cell that is not quoted");
  EXPECT_EQ(FirstError("\"a\"b\n"), "row 1, column 1: text after the closing quote of a cell");
}

TEST(CsvReaderTest, StaysAtTheEndAfterAnError) {
  CsvReader reader("\"a\"b\nc\n");
  std::vector<std::string> cells;
  EXPECT_FALSE(reader.Next(&cells).ok());
  Result<bool> again = reader.Next(&cells);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
}

Result<std::vector<CsvRow>> Table(std::string_view text, int64_t ns_per_unit = 1) {
  ZZ_ASSIGN_OR_RETURN(CsvTable table, CsvTable::Open(text, {.ns_per_unit = ns_per_unit}));
  std::vector<CsvRow> rows;
  CsvRow row;
  while (true) {
    ZZ_ASSIGN_OR_RETURN(bool more, table.Next(&row));
    if (!more) return rows;
    rows.push_back(row);
  }
}

std::string TableError(std::string_view text) {
  Result<std::vector<CsvRow>> rows = Table(text);
  return rows.ok() ? "" : rows.status().message();
}

TEST(CsvTableTest, HeaderNamesAndKindsTheColumns) {
  Result<CsvTable> table = CsvTable::Open("time,measurement,line|tag,temp,count|int,n|uint,ok|bool,s|string\n", {});
  ASSERT_TRUE(table.ok()) << table.status().message();
  std::vector<CsvKind> kinds;
  for (const CsvColumn& c : table->columns()) kinds.push_back(c.kind);
  EXPECT_EQ(kinds, (std::vector<CsvKind>{CsvKind::kTime, CsvKind::kMeasurement, CsvKind::kTag, CsvKind::kFloat,
                                         CsvKind::kInt, CsvKind::kUint, CsvKind::kBool, CsvKind::kString}));
  EXPECT_EQ(table->columns()[2].name, "line");
}

TEST(CsvTableTest, DecodesEachKind) {
  Result<std::vector<CsvRow>> rows =
      Table("time,line|tag,temp,count|int,n|uint,ok|bool,s|string\n2023-11-14T22:13:20Z,l1,61.5,-7,8,TRUE,\"a,b\"\n");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 1u);
  const CsvRow& row = (*rows)[0];
  EXPECT_EQ(row.row, 2);
  EXPECT_EQ(row.ts_ns, 1'700'000'000'000'000'000);
  EXPECT_EQ(std::get<std::string>(row.values[1]), "l1");
  EXPECT_EQ(std::get<double>(row.values[2]), 61.5);
  EXPECT_EQ(std::get<int64_t>(row.values[3]), -7);
  EXPECT_EQ(std::get<uint64_t>(row.values[4]), 8u);
  EXPECT_EQ(std::get<bool>(row.values[5]), true);
  EXPECT_EQ(std::get<std::string>(row.values[6]), "a,b");
}

TEST(CsvTableTest, EpochTimesAreInTheGivenUnit) {
  Result<std::vector<CsvRow>> rows = Table("time,v\n1700000000,1\n", 1'000'000'000);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].ts_ns, 1'700'000'000'000'000'000);
  Result<std::vector<CsvRow>> overflow = Table("time,v\n99999999999999999,1\n", 1'000'000'000);
  ASSERT_FALSE(overflow.ok());
  EXPECT_EQ(overflow.status().message().find("row 2, column 1 (time)"), 0u);
}

TEST(CsvTableTest, EmptyCellsAreNoValueAndBlankLinesAreSkipped) {
  Result<std::vector<CsvRow>> rows = Table("time,a,b\n,,2\n\n,1,\n");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_FALSE((*rows)[0].ts_ns.has_value());
  EXPECT_TRUE(std::holds_alternative<std::monostate>((*rows)[0].values[1]));
  EXPECT_EQ((*rows)[1].row, 4);
  EXPECT_TRUE(std::holds_alternative<std::monostate>((*rows)[1].values[2]));
}

TEST(CsvTableTest, BadCellsNameRowColumnAndCell) {
  EXPECT_EQ(TableError("time,temp\n1,12.5\n2,abc\n"), "row 3, column 2 (temp): \"abc\" is not a number");
  EXPECT_EQ(TableError("n|int\n1.5\n"), "row 2, column 1 (n): \"1.5\" is not an integer");
  EXPECT_EQ(TableError("n|uint\n-1\n"), "row 2, column 1 (n): \"-1\" is not an unsigned integer");
  EXPECT_EQ(TableError("b|bool\nyes\n"), "row 2, column 1 (b): \"yes\" is not a boolean (true or false)");
  EXPECT_EQ(TableError("time,v\n2023-13-01T00:00:00Z,1\n"),
            "row 2, column 1 (time): \"2023-13-01T00:00:00Z\" is not an RFC 3339 time or an integer epoch");
  EXPECT_EQ(TableError("v\ninf\n"), "row 2, column 1 (v): \"inf\" is not a number");
  EXPECT_EQ(TableError("v\n 1\n"), "row 2, column 1 (v): \" 1\" is not a number");
}

TEST(CsvTableTest, RaggedRowsAreErrors) {
  EXPECT_EQ(TableError("a,b,c\n1,2,3\n1,2\n"), "row 3: 2 cells, the header has 3");
  EXPECT_EQ(TableError("a,b\n1,2,3\n"), "row 2: 3 cells, the header has 2");
}

TEST(CsvTableTest, BadHeadersAreErrorsOfRowOne) {
  EXPECT_EQ(TableError(""), "row 1: no header");
  EXPECT_EQ(TableError("a,,b\n"), "row 1, column 2: empty column name");
  EXPECT_EQ(TableError("a,a|int\n"), "row 1, column 2: column \"a\" is named twice");
  EXPECT_EQ(TableError("t|time,time\n"), "row 1, column 2: a second time column");
  EXPECT_EQ(TableError("a|double\n"),
            "row 1, column 1: unknown kind \"double\" (use time, measurement, tag, float, int, uint, bool or string)");
}

}  // namespace
}  // namespace zhizao::connect::csv
