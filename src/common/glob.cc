#include "common/glob.h"

namespace zhizao {
namespace {

// Matches the set at the start of `pattern` (just after '[') against `c`; sets `length` to the
// set's length including its ']'. A set without ']' matches nothing, as in SQLite.
bool MatchSet(std::string_view pattern, char c, size_t& length) {
  size_t i = 0;
  bool negate = i < pattern.size() && pattern[i] == '^';
  if (negate) ++i;
  bool found = false;
  bool first = true;
  for (; i < pattern.size(); ++i) {
    if (pattern[i] == ']' && !first) {
      length = i + 1;
      return found != negate;
    }
    first = false;
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      if (pattern[i] <= c && c <= pattern[i + 2]) found = true;
      i += 2;
    } else if (pattern[i] == c) {
      found = true;
    }
  }
  length = pattern.size();
  return false;
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text) {
  // Iterative, with one backtrack point at the last '*': linear in practice, never recursive.
  size_t p = 0, t = 0;
  size_t star = std::string_view::npos, star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
      continue;
    }
    if (p < pattern.size()) {
      size_t length = 1;
      bool one = pattern[p] == '?' || (pattern[p] == '[' ? MatchSet(pattern.substr(p + 1), text[t], length) : pattern[p] == text[t]);
      if (pattern[p] == '[') ++length;  // the '[' itself
      if (one) {
        p += length;
        ++t;
        continue;
      }
    }
    if (star == std::string_view::npos) return false;
    p = star + 1;
    t = ++star_text;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace zhizao
