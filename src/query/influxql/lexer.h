// The InfluxQL scanner: text in, one token at a time out. Private to the parser.
//
// Never reads outside the text. Keywords are recognised case-insensitively and only unquoted.
// Not thread-safe; one per parse.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace zhizao::query::influxql::internal {

enum class TokenKind : uint8_t {
  kEof,
  kIllegal,          // a byte that starts no token
  kIdent,            // unquoted non-keyword or "quoted"; value holds the name
  kKeyword,          // value holds it in upper case: SELECT, AND, TRUE, ...
  kString,           // value holds the unescaped content
  kInteger,          // digits; value empty, the parser converts text (it knows the sign)
  kNumber,           // digits with a '.'
  kDuration,         // digits then letters: `10s`, `1h30m`, or garbage like `5e3`
  kRegex,            // only from ScanRegex; value holds the pattern
  kBadString,        // a string or quoted identifier without its closing quote
  kBadEscape,        // a backslash escape not allowed in strings and identifiers
  kBadRegex,         // a regex without its closing slash
  kBadComment,       // a /* without its */
  kPlus, kMinus, kStar, kSlash, kPercent,
  kEq, kNeq, kLt, kLte, kGt, kGte, kEqRegex, kNeqRegex,
  kLParen, kRParen, kComma, kDot, kDoubleColon, kSemicolon,
};

struct Token {
  TokenKind kind = TokenKind::kEof;
  size_t offset = 0;       // first byte in the text
  size_t end = 0;          // one past the last byte
  std::string_view text;   // the bytes as written
  std::string value;       // see TokenKind
};

class Lexer {
 public:
  // REQUIRES: `text` outlives the lexer and its tokens.
  explicit Lexer(std::string_view text) : text_(text) {}

  // The next token after whitespace and comments.
  Token Next();

  // Scans a regex whose opening '/' is at `slash`, and continues after it. Returns kRegex, or
  // kBadRegex when the closing slash is missing.
  Token ScanRegex(size_t slash);

  std::string_view text() const { return text_; }

 private:
  bool SkipBlankAndComments(Token* bad_comment);
  Token Make(TokenKind kind, size_t begin);
  Token ScanIdentOrKeyword(size_t begin);
  Token ScanQuoted(size_t begin, char quote, TokenKind kind);
  Token ScanNumber(size_t begin);
  Token ScanOperator(size_t begin);

  std::string_view text_;
  size_t pos_ = 0;
};

// Whether `word` (any case) is a keyword, and so needs quotes to be an identifier.
bool IsKeyword(std::string_view word);

// 1-based line and character (code point) of the byte at `offset`, as InfluxDB reports them.
struct LineChar {
  int64_t line = 1;
  int64_t character = 1;
};
LineChar LocateOffset(std::string_view text, size_t offset);

}  // namespace zhizao::query::influxql::internal
