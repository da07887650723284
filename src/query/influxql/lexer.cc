#include "query/influxql/lexer.h"

#include <algorithm>
#include <iterator>

namespace zhizao::query::influxql::internal {
namespace {

// InfluxDB 1.8's keywords, sorted. All of them, not only those this parser uses, so that what
// needs quotes in InfluxDB needs quotes here too.
constexpr std::string_view kKeywords[] = {
    "ALL", "ALTER", "ANALYZE", "AND", "ANY", "AS", "ASC", "BEGIN", "BY", "CARDINALITY", "CONTINUOUS",
    "CREATE", "DATABASE", "DATABASES", "DEFAULT", "DELETE", "DESC", "DESTINATIONS", "DIAGNOSTICS", "DISTINCT",
    "DROP", "DURATION", "END", "EVERY", "EXACT", "EXPLAIN", "FALSE", "FIELD", "FOR", "FROM", "GRANT",
    "GRANTS", "GROUP", "GROUPS", "IN", "INF", "INSERT", "INTO", "KEY", "KEYS", "KILL", "LIMIT", "MEASUREMENT",
    "MEASUREMENTS", "NAME", "OFFSET", "ON", "OR", "ORDER", "PASSWORD", "POLICIES", "POLICY", "PRIVILEGES",
    "QUERIES", "QUERY", "READ", "REPLICATION", "RESAMPLE", "RETENTION", "REVOKE", "SELECT", "SERIES", "SET",
    "SHARD", "SHARDS", "SHOW", "SLIMIT", "SOFFSET", "STATS", "SUBSCRIPTION", "SUBSCRIPTIONS", "TAG", "TO",
    "TRUE", "USER", "USERS", "VALUES", "WHERE", "WITH", "WRITE",
};

bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentFirst(char c) { return IsLetter(c) || c == '_'; }
bool IsIdentChar(char c) { return IsIdentFirst(c) || IsDigit(c); }
// CR, FF and VT too, unlike InfluxDB, so that a query pasted from a CRLF file parses.
bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool IsUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::string ToUpper(std::string_view word) {
  std::string upper(word);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return upper;
}

}  // namespace

bool IsKeyword(std::string_view word) {
  if (word.size() > 13) return false;  // longer than SUBSCRIPTIONS
  const std::string upper = ToUpper(word);
  return std::binary_search(std::begin(kKeywords), std::end(kKeywords), upper);
}

LineChar LocateOffset(std::string_view text, size_t offset) {
  LineChar at;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++at.line;
      at.character = 1;
    } else if (!IsUtf8Continuation(text[i])) {
      ++at.character;
    }
  }
  return at;
}

Token Lexer::Make(TokenKind kind, size_t begin) {
  Token token;
  token.kind = kind;
  token.offset = begin;
  token.end = pos_;
  token.text = text_.substr(begin, pos_ - begin);
  return token;
}

bool Lexer::SkipBlankAndComments(Token* bad_comment) {
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    const char next = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
    if (IsBlank(c)) {
      ++pos_;
    } else if (c == '-' && next == '-') {
      const size_t newline = text_.find('\n', pos_);
      pos_ = newline == std::string_view::npos ? text_.size() : newline + 1;
    } else if (c == '/' && next == '*') {
      const size_t close = text_.find("*/", pos_ + 2);
      if (close == std::string_view::npos) {
        const size_t begin = pos_;
        pos_ = text_.size();
        *bad_comment = Make(TokenKind::kBadComment, begin);
        return false;
      }
      pos_ = close + 2;
    } else {
      break;
    }
  }
  return true;
}

Token Lexer::Next() {
  Token bad_comment;
  if (!SkipBlankAndComments(&bad_comment)) return bad_comment;
  const size_t begin = pos_;
  if (pos_ >= text_.size()) return Make(TokenKind::kEof, begin);
  const char c = text_[pos_];
  if (IsIdentFirst(c)) return ScanIdentOrKeyword(begin);
  if (c == '"') return ScanQuoted(begin, '"', TokenKind::kIdent);
  if (c == '\'') return ScanQuoted(begin, '\'', TokenKind::kString);
  if (IsDigit(c) || (c == '.' && pos_ + 1 < text_.size() && IsDigit(text_[pos_ + 1]))) return ScanNumber(begin);
  return ScanOperator(begin);
}

Token Lexer::ScanIdentOrKeyword(size_t begin) {
  while (pos_ < text_.size() && IsIdentChar(text_[pos_])) ++pos_;
  Token token = Make(TokenKind::kIdent, begin);
  if (IsKeyword(token.text)) {
    token.kind = TokenKind::kKeyword;
    token.value = ToUpper(token.text);
  } else {
    token.value = std::string(token.text);
  }
  return token;
}

// InfluxDB's escapes, the same for 'strings' and "identifiers": \n \\ \" \'. A raw newline
// ends the token as unterminated, like InfluxDB, so an unclosed quote cannot swallow the rest.
Token Lexer::ScanQuoted(size_t begin, char quote, TokenKind kind) {
  std::string value;
  ++pos_;
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (c == quote) {
      ++pos_;
      Token token = Make(kind, begin);
      token.value = std::move(value);
      return token;
    }
    if (c == '\n') break;
    if (c != '\\') {
      value += c;
      ++pos_;
      continue;
    }
    const char escaped = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
    if (escaped == 'n') {
      value += '\n';
    } else if (escaped == '\\' || escaped == '"' || escaped == '\'') {
      value += escaped;
    } else {
      const size_t escape_begin = pos_;
      pos_ = std::min(pos_ + 2, text_.size());
      while (pos_ < text_.size() && IsUtf8Continuation(text_[pos_])) ++pos_;  // whole code point
      return Make(TokenKind::kBadEscape, escape_begin);
    }
    pos_ += 2;
  }
  Token token = Make(TokenKind::kBadString, begin);
  token.value = std::move(value);
  return token;
}

Token Lexer::ScanNumber(size_t begin) {
  while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
  if (pos_ + 1 < text_.size() && text_[pos_] == '.' && IsDigit(text_[pos_ + 1])) {
    ++pos_;
    while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    return Make(TokenKind::kNumber, begin);
  }
  // Letters (or µ, U+00B5) after an integer make a duration; digits and letters after that
  // belong to it too (`1h30m`), and ParseDuration judges the whole.
  const auto unit_at = [&](size_t i, bool digits) {
    if (i >= text_.size()) return size_t{0};
    if (IsLetter(text_[i]) || (digits && IsDigit(text_[i]))) return size_t{1};
    if (text_[i] == '\xC2' && i + 1 < text_.size() && text_[i + 1] == '\xB5') return size_t{2};
    return size_t{0};
  };
  if (unit_at(pos_, false) == 0) return Make(TokenKind::kInteger, begin);
  while (size_t n = unit_at(pos_, true)) pos_ += n;
  return Make(TokenKind::kDuration, begin);
}

Token Lexer::ScanOperator(size_t begin) {
  const char c = text_[pos_];
  const char next = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
  const auto one = [&](TokenKind kind) {
    pos_ += 1;
    return Make(kind, begin);
  };
  const auto two = [&](TokenKind kind) {
    pos_ += 2;
    return Make(kind, begin);
  };
  switch (c) {
    case '+': return one(TokenKind::kPlus);
    case '-': return one(TokenKind::kMinus);
    case '*': return one(TokenKind::kStar);
    case '/': return one(TokenKind::kSlash);
    case '%': return one(TokenKind::kPercent);
    case '(': return one(TokenKind::kLParen);
    case ')': return one(TokenKind::kRParen);
    case ',': return one(TokenKind::kComma);
    case '.': return one(TokenKind::kDot);
    case ';': return one(TokenKind::kSemicolon);
    case '=': return next == '~' ? two(TokenKind::kEqRegex) : one(TokenKind::kEq);
    case '<':
      if (next == '=') return two(TokenKind::kLte);
      return next == '>' ? two(TokenKind::kNeq) : one(TokenKind::kLt);
    case '>': return next == '=' ? two(TokenKind::kGte) : one(TokenKind::kGt);
    case '!':
      if (next == '=') return two(TokenKind::kNeq);
      if (next == '~') return two(TokenKind::kNeqRegex);
      break;
    case ':':
      if (next == ':') return two(TokenKind::kDoubleColon);
      break;
    default:
      break;
  }
  ++pos_;  // an illegal token is one whole code point, so that the message stays UTF-8
  while (pos_ < text_.size() && IsUtf8Continuation(text_[pos_])) ++pos_;
  return Make(TokenKind::kIllegal, begin);
}

// As InfluxDB: `\/` is a slash; any other backslash is kept with the byte after it, for the
// regex engine (`\d`, `\.`, `\\`).
Token Lexer::ScanRegex(size_t slash) {
  pos_ = slash + 1;
  std::string pattern;
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (c == '/') {
      ++pos_;
      Token token = Make(TokenKind::kRegex, slash);
      token.value = std::move(pattern);
      return token;
    }
    if (c == '\\' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
      pattern += '/';
      pos_ += 2;
      continue;
    }
    pattern += c;
    ++pos_;
  }
  return Make(TokenKind::kBadRegex, slash);
}

}  // namespace zhizao::query::influxql::internal
