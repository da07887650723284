#include "connect/lineproto/internal/line_parser.h"

#include <algorithm>
#include <cstring>

#include "connect/lineproto/internal/char_class.h"
#include "connect/lineproto/internal/number_parse.h"

namespace zhizao::connect::lineproto::internal {
namespace {

inline bool IsDigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }

// The closing quote of the string whose opening quote is at open, or nullptr. A backslash and
// the byte after it are one unit, so a quote ends the string after an even run of backslashes.
const char* FindClosingQuote(const char* open, const char* end) {
  for (const char* from = open + 1;;) {
    const void* hit = std::memchr(from, '"', static_cast<size_t>(end - from));
    if (hit == nullptr) return nullptr;
    const char* quote = static_cast<const char*>(hit);
    const char* run = quote;
    while (run[-1] == '\\') --run;  // stops at the opening quote at the latest
    if ((quote - run) % 2 == 0) return quote;
    from = quote + 1;
  }
}

// A cheap hash of a field key: one of 128 slots.
unsigned KeySlot(std::string_view key) {
  const auto byte = [&](size_t i) { return uint64_t{static_cast<uint8_t>(key[i])}; };
  const uint64_t h = (key.size() << 24) ^ (byte(0) << 16) ^ (byte(key.size() / 2) << 8) ^ byte(key.size() - 1);
  return static_cast<unsigned>((h * 0x9E3779B97F4A7C15u) >> 57);
}

// Bytewise order of names, with the usual difference in the first byte decided inline.
int CompareNames(std::string_view a, std::string_view b) {
  if (a.front() != b.front()) return static_cast<uint8_t>(a.front()) < static_cast<uint8_t>(b.front()) ? -1 : 1;
  return a.compare(b);
}

bool IsTime(std::string_view key) { return key.size() == 4 && std::memcmp(key.data(), "time", 4) == 0; }

const char* FindNewline(const char* p, const char* end) {
  const void* hit = std::memchr(p, '\n', static_cast<size_t>(end - p));
  return hit == nullptr ? end : static_cast<const char*>(hit);
}

bool IsBoolean(std::string_view t, bool* value) {
  if (t == "t" || t == "T" || t == "true" || t == "True" || t == "TRUE") return *value = true, true;
  if (t == "f" || t == "F" || t == "false" || t == "False" || t == "FALSE") return *value = false, true;
  return false;
}

}  // namespace

const char* FindLineEnd(const char* begin, const char* end) {
  bool escaped = false;
  const char* p = begin;
  while (true) {  // measurement and tags: to the first unescaped space
    p = ScanName<kEndsMeasurement>(p, end, &escaped);
    if (p == end || *p == '\n') return p;
    if (*p++ == ' ') break;
  }
  p = SkipBlanks(p, end);
  while (true) {  // fields: a value that starts with '"' is a string and may hold newlines
    p = ScanName<kEndsName>(p, end, &escaped);
    if (p < end && *p == '=') {
      ++p;
      if (p < end && *p == '"') {
        const char* quote = FindClosingQuote(p, end);
        if (quote == nullptr) return end;
        p = quote + 1;
      }
      while (p < end && *p != ',' && *p != ' ' && *p != '\n') ++p;
    }
    if (p == end || *p == '\n') return p;
    if (*p++ == ' ') return FindNewline(p, end);  // the timestamp
  }
}

const char* LineParser::Parse(const char* begin, const char* end, int64_t ns_per_unit, int64_t default_ts_ns,
                              ParsedLine* line, std::string* reason) {
  begin_ = p_ = begin;
  end_ = end;
  ns_per_unit_ = ns_per_unit;
  reason_ = reason;
  embedded_newlines_ = 0;
  tags_.clear();
  fields_.clear();
  escaped_.clear();
  tags_sorted_ = true;
  repeated_fields_ = time_tag_ = time_field_ = false;
  longest_field_key_ = 0;
  std::memset(field_slots_, 0, sizeof(field_slots_));
  line->ts_ns = default_ts_ns;
  if (!ParseMeasurement(line) || !ParseTags() || !ParseFields() || !ParseTimestamp(&line->ts_ns)) return nullptr;
  const char* line_end = p_ < end_ && *p_ == '\r' ? p_ + 1 : p_;
  if (!Canonicalize(p_, line)) return nullptr;
  return line_end;
}

bool LineParser::Fail(std::string_view reason) {
  reason_->assign(reason);
  return false;
}

bool LineParser::ParseMeasurement(ParsedLine* line) {
  if (*p_ == ',') return Fail("missing measurement");
  bool escaped = false;
  const char* stop = ScanName<kEndsMeasurement>(p_, end_, &escaped);
  if (stop == end_ || *stop == '\n') return Fail("missing fields");
  line->measurement = std::string_view(p_, static_cast<size_t>(stop - p_));
  if (escaped) escaped_.push_back({Part::kMeasurement, 0});
  p_ = stop;
  return true;
}

bool LineParser::ParseTags() {
  while (*p_ == ',') {
    const char* key = ++p_;
    bool key_escaped = false;
    const char* key_end = ScanName<kEndsName>(key, end_, &key_escaped);
    if (key_end == key) return Fail("missing tag key");
    if (key_end == end_ || *key_end != '=') return Fail("missing tag value");
    const char* value = key_end + 1;
    bool value_escaped = false;
    const char* value_end = ScanName<kEndsName>(value, end_, &value_escaped);
    if (value_end < end_ && *value_end == '=') return Fail("invalid tag format");
    if (value_end == value) return Fail("missing tag value");
    if (value_end == end_ || *value_end == '\n') return Fail("missing fields");
    const auto index = static_cast<uint32_t>(tags_.size());
    if (key_escaped) escaped_.push_back({Part::kTagKey, index});
    if (value_escaped) escaped_.push_back({Part::kTagValue, index});
    const std::string_view key_text(key, static_cast<size_t>(key_end - key));
    // Keys as written order like their unescaped selves only without escapes.
    if (key_escaped) {
      tags_sorted_ = false;
    } else if (tags_sorted_ && !tags_.empty()) {
      const int order = CompareNames(tags_.back().key, key_text);
      if (order == 0) return Fail("duplicate tags");
      tags_sorted_ = order < 0;
    }
    time_tag_ |= IsTime(key_text);
    tags_.push_back({key_text, std::string_view(value, static_cast<size_t>(value_end - value))});
    p_ = value_end;
  }
  key_end_ = p_;  // at the space before the fields
  return true;
}

bool LineParser::ParseFields() {
  p_ = SkipBlanks(p_, end_);
  if (AtLineEnd(p_, end_)) return Fail("missing fields");
  while (true) {
    bool escaped = false;
    const char* key_end = ScanName<kEndsName>(p_, end_, &escaped);
    if (key_end == end_ || *key_end != '=') return Fail("invalid field format");
    if (key_end == p_) return Fail("missing field key");
    const auto index = static_cast<uint32_t>(fields_.size());
    if (escaped) escaped_.push_back({Part::kFieldKey, index});
    Field& field = fields_.emplace_back();
    field.key = std::string_view(p_, static_cast<size_t>(key_end - p_));
    NoteFieldKey(field.key, index);
    p_ = key_end + 1;
    if (!ParseShortNumber(&field.value) && !ParseValue(&field.value)) return false;
    if (p_ == end_ || *p_ != ',') return true;
    ++p_;
  }
}

// Unescaping maps distinct keys as written to distinct keys, so the keys as written serve.
inline void LineParser::NoteFieldKey(std::string_view key, uint32_t index) {
  if (!repeated_fields_) {
    if (index >= 64) {
      repeated_fields_ = true;  // past what the set holds: MergeRepeatedFields sorts
    } else {
      unsigned slot = KeySlot(key);
      for (; field_slots_[slot] != 0 && !repeated_fields_; slot = (slot + 1) % 128) {
        repeated_fields_ = fields_[field_slots_[slot] - 1u].key == key;
      }
      field_slots_[slot] = static_cast<uint8_t>(index + 1);
    }
  }
  time_field_ |= IsTime(key);
  longest_field_key_ = std::max(longest_field_key_, key.size());
}

// The usual value, a short decimal, without ParseValue's dispatch. Returns false to leave the
// value, valid or not, to ParseValue.
inline bool LineParser::ParseShortNumber(FieldValue* value) {
  if (end_ - p_ < 9) return false;
  const bool negative = *p_ == '-';
  double v = 0;
  const char* stop = ParseShortFloat(p_ + negative, &v);
  if (stop == nullptr || (*stop == '\r' && !AtLineEnd(stop, end_))) return false;
  *value = negative ? -v : v;
  p_ = stop;
  return true;
}

// Dispatches on the first byte as InfluxDB does, then requires ',', ' ' or the line end after
// the value.
bool LineParser::ParseValue(FieldValue* value) {
  const char c = p_ < end_ ? *p_ : '\n';
  const char* trailing_reason = nullptr;
  if (IsDigit(c) || c == '-' || c == '.') {
    const char* after = ParseNumber(p_, end_, value, reason_);
    if (after == nullptr) return false;
    p_ = after;
    trailing_reason = "invalid number";
  } else if (c == ',' || c == ' ' || AtLineEnd(p_, end_)) {
    return Fail("missing field value");
  } else if (c == 'n' || c == 'N') {
    return Fail("invalid number");  // NaN is not a value InfluxDB stores
  } else if (c == '"') {
    if (!ParseString(value)) return false;
    trailing_reason = "invalid field format";
  } else {
    if (!ParseBoolean(value)) return false;
    trailing_reason = "invalid boolean";
  }
  if (p_ == end_ || *p_ == ',' || *p_ == ' ' || AtLineEnd(p_, end_)) return true;
  return Fail(trailing_reason);
}

bool LineParser::ParseString(FieldValue* value) {
  const char* quote = FindClosingQuote(p_, end_);
  if (quote == nullptr) return Fail("unbalanced quotes");
  const char* text = p_ + 1;
  const auto size = static_cast<size_t>(quote - text);
  if (std::memchr(text, '\\', size) != nullptr) {
    escaped_.push_back({Part::kStringValue, static_cast<uint32_t>(fields_.size() - 1)});  // the field being read
  }
  if (std::memchr(text, '\n', size) != nullptr) embedded_newlines_ += std::count(text, quote, '\n');
  *value = std::string_view(text, size);
  p_ = quote + 1;
  return true;
}

bool LineParser::ParseBoolean(FieldValue* value) {
  const char* token = p_;
  while (p_ < end_ && !Is(*p_, kEndsValue)) ++p_;
  bool b = false;
  if (!IsBoolean(std::string_view(token, static_cast<size_t>(p_ - token)), &b)) return Fail("invalid boolean");
  *value = b;
  return true;
}

bool LineParser::ParseTimestamp(int64_t* ts_ns) {
  p_ = SkipBlanks(p_, end_);
  if (AtLineEnd(p_, end_)) return true;
  const char* start = p_;
  const bool negative = *p_ == '-';
  p_ += negative;
  const char* digits = p_;
  uint64_t magnitude = 0;
  p_ = ReadDigits(p_, end_, &magnitude);
  if (p_ == digits || !(AtLineEnd(p_, end_) || *p_ == ' ' || *p_ == '\t')) return Fail("bad timestamp");
  int64_t ts = 0;
  if (p_ - digits <= 18) {  // cannot overflow
    ts = negative ? -static_cast<int64_t>(magnitude) : static_cast<int64_t>(magnitude);
  } else if (const std::string_view text(start, static_cast<size_t>(p_ - start)); !ParseInt64(text, &ts)) {
    return Fail("strconv.ParseInt: parsing \"" + std::string(text) + "\": value out of range");
  }
  if (!TimestampToNs(ts, ns_per_unit_, ts_ns)) {
    return Fail("time outside range -9223372036854775806 - 9223372036854775806");
  }
  p_ = SkipBlanks(p_, end_);
  if (!AtLineEnd(p_, end_)) return Fail("point is invalid");
  return true;
}

}  // namespace zhizao::connect::lineproto::internal
