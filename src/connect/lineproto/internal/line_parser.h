// Parses one line of line protocol into a ParsedLine. Private to lineproto/; LineReader
// drives it line by line.
//
// Not thread-safe. Owns the vectors and scratch that ParsedLine views, reused from line to line
// so that a steady stream of lines allocates nothing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "connect/lineproto/parsed_line.h"

namespace zhizao::connect::lineproto::internal {

// The end of the line that starts at `begin`: the first '\n' outside a string field value, or
// `end`. Agrees with LineParser on every valid line; on a bad one it is where reading resumes.
const char* FindLineEnd(const char* begin, const char* end);

class LineParser {
 public:
  // Parses the line at `begin`, whose first byte is neither blank nor '#' nor a line end.
  // Timestamps are in units of `ns_per_unit`; a line without one gets `default_ts_ns`.
  // On success fills *line (all but line_number) and returns the position of the line's '\n'
  // (or `end`). On failure returns nullptr and sets *reason.
  const char* Parse(const char* begin, const char* end, int64_t ns_per_unit, int64_t default_ts_ns,
                    ParsedLine* line, std::string* reason);

  // The '\n' inside string values of the line last parsed successfully.
  int64_t embedded_newlines() const { return embedded_newlines_; }

 private:
  // A name or string that holds escapes, to be unescaped into scratch_ once the line is read.
  enum class Part : uint8_t { kMeasurement, kTagKey, kTagValue, kFieldKey, kStringValue };
  struct Escaped {
    Part part;
    uint32_t index;  // into tags_ or fields_
  };

  bool Fail(std::string_view reason);
  bool ParseMeasurement(ParsedLine* line);
  bool ParseTags();
  bool ParseFields();
  bool ParseShortNumber(FieldValue* value);
  bool ParseValue(FieldValue* value);
  bool ParseString(FieldValue* value);
  bool ParseBoolean(FieldValue* value);
  bool ParseTimestamp(int64_t* ts_ns);

  // Notes what Canonicalize must look at while the key is at hand.
  void NoteFieldKey(std::string_view key, uint32_t index);

  // line_canonical.cc: unescaping, tag order, repeated fields, limits, series key.
  bool Canonicalize(const char* line_end, ParsedLine* line);
  void Unescape(ParsedLine* line);
  bool SortTags();
  void MergeRepeatedFields();
  bool RefuseTime(std::string_view measurement);

  const char* begin_ = nullptr;  // the line
  const char* p_ = nullptr;      // the cursor
  const char* end_ = nullptr;    // the body
  const char* key_end_ = nullptr;  // the end of measurement and tags as written
  int64_t ns_per_unit_ = 1;
  std::string* reason_ = nullptr;
  int64_t embedded_newlines_ = 0;

  // What the scan noted about the line's names, as written.
  bool tags_sorted_ = true;     // in strict order, so also unique
  bool repeated_fields_ = false;  // a field key repeats (or, past 64 fields, may repeat)
  bool time_tag_ = false;       // a tag key is "time"
  bool time_field_ = false;     // a field key is "time"
  size_t longest_field_key_ = 0;
  // An open-addressing set of the first 64 field keys: 1 + their index into fields_, 0 free.
  uint8_t field_slots_[128] = {};

  std::vector<Tag> tags_;
  std::vector<Field> fields_;
  std::vector<Escaped> escaped_;
  std::vector<uint32_t> order_;  // scratch for MergeRepeatedFieldsSorted
  std::vector<bool> drop_;       // scratch for MergeRepeatedFieldsSorted
  // Unescaped names and strings, and the series key of a line whose tags were out of order.
  // Reserved for the whole line before the first append, so views into it stay valid.
  std::string scratch_;
};

}  // namespace zhizao::connect::lineproto::internal
