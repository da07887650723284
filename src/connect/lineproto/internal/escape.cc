#include "connect/lineproto/internal/escape.h"

namespace zhizao::connect::lineproto::internal {
namespace {

bool Escapes(EscapeSet set, char c) {
  switch (set) {
    case EscapeSet::kMeasurement: return c == ',' || c == ' ';
    case EscapeSet::kName: return c == ',' || c == ' ' || c == '=';
    case EscapeSet::kString: return c == '"' || c == '\\';
  }
  return false;
}

}  // namespace

void AppendUnescaped(std::string_view raw, EscapeSet set, std::string* out) {
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\' || i + 1 == raw.size()) {
      out->push_back(raw[i]);
      continue;
    }
    if (!Escapes(set, raw[i + 1])) out->push_back('\\');
    out->push_back(raw[++i]);
  }
}

void AppendEscaped(std::string_view text, EscapeSet set, std::string* out) {
  for (char c : text) {
    if (Escapes(set, c)) out->push_back('\\');
    out->push_back(c);
  }
}

}  // namespace zhizao::connect::lineproto::internal
