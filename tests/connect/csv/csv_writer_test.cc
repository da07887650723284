#include "connect/csv/csv_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "connect/csv/csv_reader.h"

namespace zhizao::connect::csv {
namespace {

TEST(CsvWriterTest, QuotesOnlyCellsThatNeedIt) {
  std::string out;
  AppendCsvRecord(std::vector<std::string>{"plain", "a,b", "say \"hi\"", "two\nlines", " pad", ""}, &out);
  EXPECT_EQ(out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" pad\",\n");
}

TEST(CsvWriterTest, WhatItWritesReadsBackEqual) {
  const std::vector<std::string> cells = {"x", "\r", "\"", ",,", "智造", ""};
  std::string out;
  AppendCsvRecord(cells, &out);
  CsvReader reader(out);
  std::vector<std::string> back;
  ASSERT_TRUE(*reader.Next(&back));
  EXPECT_EQ(back, cells);
}

}  // namespace
}  // namespace zhizao::connect::csv
