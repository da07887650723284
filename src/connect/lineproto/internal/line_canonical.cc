// The second half of LineParser: what turns the pieces of a line, as written, into a
// ParsedLine's invariants (unescaped, tags sorted and unique, fields unique, within limits).
#include <algorithm>
#include <cstring>
#include <string>

#include "connect/lineproto/internal/escape.h"
#include "connect/lineproto/internal/line_parser.h"
#include "connect/lineproto/internal/utf8.h"

namespace zhizao::connect::lineproto::internal {
namespace {

// InfluxDB's limit on the series key plus a field key (and 4 bytes of separator).
constexpr size_t kMaxKeyBytes = 65535;

std::string_view AppendTo(std::string* scratch, std::string_view raw, EscapeSet set) {
  const size_t start = scratch->size();
  AppendUnescaped(raw, set, scratch);
  return std::string_view(*scratch).substr(start);
}

// Appends the series key of `line` and returns a view of it. Without escapes in the line, names
// are their own escaped form and go in whole.
std::string_view AppendSeriesKey(const ParsedLine& line, bool escaped, std::string* out) {
  const size_t start = out->size();
  const auto append = [&](std::string_view name, EscapeSet set) {
    escaped ? AppendEscaped(name, set, out) : void(out->append(name));
  };
  append(line.measurement, EscapeSet::kMeasurement);
  for (const Tag& tag : line.tags) {
    out->push_back(',');
    append(tag.key, EscapeSet::kName);
    out->push_back('=');
    append(tag.value, EscapeSet::kName);
  }
  return std::string_view(*out).substr(start);
}

}  // namespace

bool LineParser::Canonicalize(const char* line_end, ParsedLine* line) {
  const std::string_view text(begin_, static_cast<size_t>(line_end - begin_));
  if (!IsValidUtf8(text)) return Fail("invalid UTF-8");
  // Unescaped text is never longer than written, nor the series key than the key as written.
  scratch_.clear();
  if (!escaped_.empty() || !tags_sorted_) scratch_.reserve(text.size() * 2);
  if (!escaped_.empty()) Unescape(line);
  if (!tags_sorted_ && !SortTags()) return false;
  if (repeated_fields_) MergeRepeatedFields();
  if (time_tag_ || time_field_) return RefuseTime(line->measurement);
  line->tags = tags_;
  line->fields = fields_;
  // An element written with escapes reads back to the same bytes when escaped again, so the
  // key as written is the canonical series key unless the tags had to be sorted.
  if (tags_sorted_) {
    line->series_key = std::string_view(begin_, static_cast<size_t>(key_end_ - begin_));
  } else {
    line->series_key = AppendSeriesKey(*line, !escaped_.empty(), &scratch_);
  }
  // As InfluxDB counts it: the series key, 4 bytes of separator and the field key as written.
  const size_t key_bytes = line->series_key.size() + 4 + longest_field_key_;
  if (key_bytes > kMaxKeyBytes) {
    return Fail("max key length exceeded: " + std::to_string(key_bytes) + " > " + std::to_string(kMaxKeyBytes));
  }
  return true;
}

void LineParser::Unescape(ParsedLine* line) {
  for (const Escaped& e : escaped_) {
    switch (e.part) {
      case Part::kMeasurement:
        line->measurement = AppendTo(&scratch_, line->measurement, EscapeSet::kMeasurement);
        break;
      case Part::kTagKey: tags_[e.index].key = AppendTo(&scratch_, tags_[e.index].key, EscapeSet::kName); break;
      case Part::kTagValue: tags_[e.index].value = AppendTo(&scratch_, tags_[e.index].value, EscapeSet::kName); break;
      case Part::kFieldKey: fields_[e.index].key = AppendTo(&scratch_, fields_[e.index].key, EscapeSet::kName); break;
      case Part::kStringValue: {
        FieldValue& value = fields_[e.index].value;
        value = AppendTo(&scratch_, std::get<std::string_view>(value), EscapeSet::kString);
        break;
      }
    }
  }
}

// Sorts tags that ParseTags did not find in order, by key as InfluxDB does (bytewise);
// repeated keys are an error.
bool LineParser::SortTags() {
  std::sort(tags_.begin(), tags_.end(), [](const Tag& a, const Tag& b) { return a.key < b.key; });
  const auto same_key = [](const Tag& a, const Tag& b) { return a.key == b.key; };
  if (std::adjacent_find(tags_.begin(), tags_.end(), same_key) != tags_.end()) return Fail("duplicate tags");
  return true;
}

// A repeated field key keeps its first position and takes its last value. Sorts, so that a
// hostile line stays O(n log n).
void LineParser::MergeRepeatedFields() {
  order_.resize(fields_.size());
  for (uint32_t i = 0; i < order_.size(); ++i) order_[i] = i;
  std::stable_sort(order_.begin(), order_.end(),
                   [&](uint32_t a, uint32_t b) { return fields_[a].key < fields_[b].key; });
  drop_.assign(fields_.size(), false);
  for (size_t run = 0; run < order_.size();) {
    size_t next = run + 1;
    while (next < order_.size() && fields_[order_[next]].key == fields_[order_[run]].key) drop_[order_[next++]] = true;
    if (next - run > 1) fields_[order_[run]].value = fields_[order_[next - 1]].value;
    run = next;
  }
  size_t kept = 0;
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (!drop_[i]) fields_[kept++] = fields_[i];
  }
  fields_.resize(kept);
}

// InfluxDB reserves "time" for the timestamp: it refuses it as a tag key or a field key.
bool LineParser::RefuseTime(std::string_view measurement) {
  const char* what = time_tag_ ? "invalid tag key: input tag" : "invalid field name: input field";
  return Fail(std::string(what) + " \"time\" on measurement \"" + std::string(measurement) + "\" is invalid");
}

}  // namespace zhizao::connect::lineproto::internal
