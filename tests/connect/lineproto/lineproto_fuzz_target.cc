#include "lineproto_fuzz_target.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "common/check.h"
#include "connect/lineproto/line_reader.h"
#include "connect/lineproto/line_writer.h"

namespace zhizao::connect::lineproto {
namespace {

constexpr size_t kMaxErrors = 8;

bool SameValue(const FieldValue& a, const FieldValue& b) {
  if (a.index() != b.index()) return false;
  if (const double* x = std::get_if<double>(&a)) {
    return std::bit_cast<uint64_t>(*x) == std::bit_cast<uint64_t>(std::get<double>(b));
  }
  return a == b;
}

void CheckInvariants(const ParsedLine& line) {
  ZZ_CHECK(!line.measurement.empty(), "measurement must not be empty");
  for (size_t i = 0; i < line.tags.size(); ++i) {
    ZZ_CHECK(!line.tags[i].key.empty() && !line.tags[i].value.empty(), "tag key and value must not be empty");
    ZZ_CHECK(i == 0 || line.tags[i - 1].key < line.tags[i].key, "tags must be sorted and unique");
  }
  ZZ_CHECK(!line.fields.empty(), "a line must have a field");
  std::vector<std::string_view> keys;
  for (const Field& field : line.fields) {
    ZZ_CHECK(!field.key.empty(), "field key must not be empty");
    if (const double* v = std::get_if<double>(&field.value)) ZZ_CHECK(std::isfinite(*v), "floats must be finite");
    keys.push_back(field.key);
  }
  std::sort(keys.begin(), keys.end());
  ZZ_CHECK(std::adjacent_find(keys.begin(), keys.end()) == keys.end(), "field keys must be unique");
  std::string key;
  AppendEscapedMeasurement(line.measurement, &key);
  for (const Tag& tag : line.tags) {
    key += ',';
    AppendEscapedName(tag.key, &key);
    key += '=';
    AppendEscapedName(tag.value, &key);
  }
  ZZ_CHECK(key == line.series_key, "series key must be the escaped measurement and sorted tags");
}

// What AppendLine writes must read back as the same point.
void CheckRoundTrip(const ParsedLine& line) {
  std::string text;
  AppendLine(line, &text);
  LineReader again(text, {});
  ZZ_CHECK(again.Next(), "a written line must read back");
  const ParsedLine& copy = again.line();
  ZZ_CHECK(copy.measurement == line.measurement && copy.series_key == line.series_key, "round trip changed the key");
  ZZ_CHECK(copy.ts_ns == line.ts_ns, "round trip changed the timestamp");
  ZZ_CHECK(std::equal(copy.tags.begin(), copy.tags.end(), line.tags.begin(), line.tags.end(),
                      [](const Tag& a, const Tag& b) { return a.key == b.key && a.value == b.value; }),
           "round trip changed the tags");
  ZZ_CHECK(std::equal(copy.fields.begin(), copy.fields.end(), line.fields.begin(), line.fields.end(),
                      [](const Field& a, const Field& b) { return a.key == b.key && SameValue(a.value, b.value); }),
           "round trip changed the fields");
  ZZ_CHECK(!again.Next() && again.error_count() == 0, "a written line must be exactly one line");
}

}  // namespace

void FuzzLineProtocol(const uint8_t* data, size_t size) {
  if (size == 0) return;
  const auto precision = static_cast<Precision>(data[0] % 6);
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  const ParseOptions options = {
      .precision = precision, .default_ts_ns = 1'700'000'000'123'456'789, .max_errors = kMaxErrors};
  LineReader reader(body, options);
  int64_t last_line_number = 0;
  while (reader.Next()) {
    ZZ_CHECK(reader.line().line_number > last_line_number, "line numbers must increase");
    last_line_number = reader.line().line_number;
    CheckInvariants(reader.line());
    CheckRoundTrip(reader.line());
  }
  ZZ_CHECK(reader.errors().size() <= kMaxErrors, "the error list must stay capped");
  ZZ_CHECK(reader.error_count() >= static_cast<int64_t>(reader.errors().size()), "every kept error is counted");
  for (const ParseError& error : reader.errors()) {
    // 1 KiB of the line, each malformed byte of it shown as the 3 bytes of U+FFFD, and "...".
    ZZ_CHECK(!error.reason.empty() && error.line.size() <= 3 * 1024 + 3, "an error has a reason and a short line");
  }
  const int64_t newlines = std::count(body.begin(), body.end(), '\n');
  ZZ_CHECK(last_line_number <= newlines + 1, "line numbers must not pass the body's lines");
}

}  // namespace zhizao::connect::lineproto
