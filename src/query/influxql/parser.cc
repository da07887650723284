#include "query/influxql/parser.h"

#include <charconv>
#include <utility>

#include "query/influxql/literal.h"

namespace zhizao::query::influxql {

Result<std::vector<Statement>> ParseInfluxQL(std::string_view text) {
  internal::Parser parser(text);
  return parser.ParseAll();
}

namespace internal {
namespace {

// A huge string or identifier is echoed only in part, cut at a code point.
constexpr size_t kMaxFoundBytes = 256;

std::string FoundText(const Token& token) {
  std::string_view found = token.text;
  if (token.kind == TokenKind::kEof) return "EOF";
  if (token.kind == TokenKind::kIdent || token.kind == TokenKind::kString) found = token.value;
  if (found.size() <= kMaxFoundBytes) return std::string(found);
  size_t cut = kMaxFoundBytes;
  while (cut > 0 && (static_cast<unsigned char>(found[cut]) & 0xC0) == 0x80) --cut;
  return std::string(found.substr(0, cut)) + "...";
}

}  // namespace

Result<std::vector<Statement>> Parser::ParseAll() {
  std::vector<Statement> statements;
  bool after_semicolon = true;
  while (true) {
    const Token& token = Peek();
    if (token.kind == TokenKind::kEof) return statements;
    if (token.kind == TokenKind::kSemicolon) {
      Next();
      after_semicolon = true;
      continue;
    }
    if (!after_semicolon) return Unexpected(token, ";");
    ZZ_ASSIGN_OR_RETURN(Statement statement, ParseStatement());
    statements.push_back(std::move(statement));
    after_semicolon = false;
  }
}

Result<Statement> Parser::ParseStatement() {
  if (PeekKeyword("SELECT")) return ParseSelect();
  if (PeekKeyword("SHOW")) return ParseShow();
  if (PeekKeyword("CREATE")) return ParseCreate();
  const Token& token = Peek();
  for (std::string_view known : {"DELETE", "DROP", "EXPLAIN", "GRANT", "REVOKE", "ALTER", "SET", "KILL"}) {
    if (PeekKeyword(known)) return ErrorAt(token.offset, token.value + " statements are not supported");
  }
  return Unexpected(token, "SELECT, DELETE, SHOW, CREATE, DROP, EXPLAIN, GRANT, REVOKE, ALTER, SET, KILL");
}

const Token& Parser::Peek() {
  if (!peeked_) peeked_ = lexer_.Next();
  return *peeked_;
}

Token Parser::Next() {
  Peek();
  Token token = std::move(*peeked_);
  peeked_.reset();
  last_kind_ = token.kind;
  last_quoted_ = !token.text.empty() && token.text[0] == '"';
  last_end_ = token.end;
  return token;
}

bool Parser::PeekKeyword(std::string_view keyword) {
  const Token& token = Peek();
  return token.kind == TokenKind::kKeyword && token.value == keyword;
}

bool Parser::AcceptKeyword(std::string_view keyword) {
  if (!PeekKeyword(keyword)) return false;
  Next();
  return true;
}

bool Parser::Accept(TokenKind kind) {
  if (Peek().kind != kind) return false;
  Next();
  return true;
}

// fill, tz and time are identifiers, not keywords, in InfluxQL: a field may be named fill.
bool Parser::PeekIdentNamed(std::string_view lower_name) {
  const Token& token = Peek();
  return token.kind == TokenKind::kIdent && token.text.size() == lower_name.size() && ToLower(token.text) == lower_name;
}

Status Parser::ExpectKeyword(std::string_view keyword) {
  if (AcceptKeyword(keyword)) return Status::Ok();
  return Unexpected(Peek(), keyword);
}

Status Parser::Expect(TokenKind kind, std::string_view what) {
  if (Accept(kind)) return Status::Ok();
  return Unexpected(Peek(), what);
}

Token Parser::ScanRegexAtSlash() {
  const size_t slash = Peek().offset;
  peeked_.reset();
  Token regex = lexer_.ScanRegex(slash);
  last_kind_ = regex.kind;
  last_end_ = regex.end;
  return regex;
}

Status Parser::Error(std::string_view message) const {
  return Status::InvalidArgument("error parsing query: " + std::string(message));
}

Status Parser::ErrorAt(size_t offset, std::string_view message) const {
  const LineChar at = LocateOffset(lexer_.text(), offset);
  return Error(std::string(message) + " at line " + std::to_string(at.line) + ", char " + std::to_string(at.character));
}

// InfluxDB's scanner reports EOF one character past the end, except right after a token it
// reads without looking ahead (a quoted name or string, a regex, most punctuation). Clients and
// tests match on these positions, so we reproduce them.
std::string Parser::Where(const Token& token) const {
  LineChar at = LocateOffset(lexer_.text(), token.offset);
  if (token.kind == TokenKind::kEof) {
    bool lookahead = true;
    switch (last_kind_) {
      case TokenKind::kIdent: lookahead = !last_quoted_; break;
      case TokenKind::kString:
      case TokenKind::kRegex:
      case TokenKind::kComma:
      case TokenKind::kDot:
      case TokenKind::kLParen:
      case TokenKind::kRParen:
      case TokenKind::kSemicolon:
      case TokenKind::kStar:
      case TokenKind::kPlus:
      case TokenKind::kPercent:
      case TokenKind::kDoubleColon: lookahead = false; break;
      default: break;
    }
    if (lookahead || last_end_ != token.offset) ++at.character;
  }
  return " at line " + std::to_string(at.line) + ", char " + std::to_string(at.character);
}

Status Parser::Unexpected(const Token& found, std::string_view expected) const {
  switch (found.kind) {
    case TokenKind::kBadString:
      return Error(std::string(found.text[0] == '"' ? "found unterminated identifier" : "found unterminated string") +
                   Where(found));
    case TokenKind::kBadEscape:
      return Error("found invalid escape " + std::string(found.text) + Where(found));
    case TokenKind::kBadRegex:
      return Error("found unterminated regex" + Where(found));
    case TokenKind::kBadComment:
      return Error("found unterminated comment" + Where(found));
    default:
      return Error("found " + FoundText(found) + ", expected " + std::string(expected) + Where(found));
  }
}

Result<std::string> Parser::ParseIdent() {
  if (Peek().kind != TokenKind::kIdent) return Unexpected(Peek(), "identifier");
  return Next().value;
}

Result<int64_t> Parser::ParseInt() {
  const Token& token = Peek();
  if (token.kind != TokenKind::kInteger) return Unexpected(token, "integer");
  int64_t value = 0;
  const auto [end, error] = std::from_chars(token.text.data(), token.text.data() + token.text.size(), value);
  if (error != std::errc() || end != token.text.data() + token.text.size()) {
    return ErrorAt(token.offset, "unable to parse integer");
  }
  Next();
  return value;
}

Status Parser::ParseOnDatabase(std::string* database) {
  if (!AcceptKeyword("ON")) return Status::Ok();
  ZZ_ASSIGN_OR_RETURN(*database, ParseIdent());
  return Status::Ok();
}

Status Parser::ParseLimitOffset(int64_t* limit, int64_t* offset) {
  if (AcceptKeyword("LIMIT")) {
    ZZ_ASSIGN_OR_RETURN(*limit, ParseInt());
  }
  if (AcceptKeyword("OFFSET")) {
    ZZ_ASSIGN_OR_RETURN(*offset, ParseInt());
  }
  return Status::Ok();
}

Status Parser::ParseOptionalWhere(std::optional<Expr>* condition) {
  if (!AcceptKeyword("WHERE")) return Status::Ok();
  ZZ_ASSIGN_OR_RETURN(Expr expr, ParseExpr());
  condition->emplace(std::move(expr));
  return Status::Ok();
}

Status Parser::ParseOptionalFrom(std::vector<Measurement>* sources) {
  if (!AcceptKeyword("FROM")) return Status::Ok();
  ZZ_ASSIGN_OR_RETURN(*sources, ParseSources());
  return Status::Ok();
}

Result<std::vector<Measurement>> Parser::ParseSources() {
  std::vector<Measurement> sources;
  do {
    ZZ_ASSIGN_OR_RETURN(Measurement source, ParseSource());
    sources.push_back(std::move(source));
  } while (Accept(TokenKind::kComma));
  return sources;
}

// InfluxDB's reading of segments: three are db.rp.m, two are rp.m (not db.m), one is m; a
// regex after them takes the measurement's place, so `db.rp./re/` and `rp./re/`.
Result<Measurement> Parser::ParseSource() {
  Measurement source;
  const Token& first = Peek();
  if (first.kind == TokenKind::kSlash) {
    ZZ_ASSIGN_OR_RETURN(Node regex, ParseRegex());
    source.regex = std::move(std::get<RegexLiteral>(regex.expr.node).pattern);
    return source;
  }
  if (first.kind == TokenKind::kLParen) return ErrorAt(first.offset, "subqueries are not supported");
  if (first.kind != TokenKind::kIdent) return Unexpected(first, "identifier");
  bool regex_follows = false;
  ZZ_ASSIGN_OR_RETURN(std::vector<std::string> segments, ParseSegments(Next(), true, &regex_follows));
  if (regex_follows) {
    ZZ_ASSIGN_OR_RETURN(Node regex, ParseRegex());
    source.regex = std::move(std::get<RegexLiteral>(regex.expr.node).pattern);
    if (segments.size() == 2) source.database = std::move(segments[0]);
    source.retention_policy = std::move(segments.back());
    return source;
  }
  source.name = std::move(segments.back());
  if (segments.size() >= 2) source.retention_policy = std::move(segments[segments.size() - 2]);
  if (segments.size() == 3) source.database = std::move(segments[0]);
  return source;
}

// Dots bind only when they touch the name before them, as in InfluxDB; `db..m` has an empty
// middle segment.
Result<std::vector<std::string>> Parser::ParseSegments(Token first, bool regex_may_follow, bool* regex_follows) {
  std::vector<std::string> segments = {std::move(first.value)};
  size_t previous_end = first.end;
  *regex_follows = false;
  while (Peek().kind == TokenKind::kDot && Peek().offset == previous_end) {
    previous_end = Next().end;
    const Token& after = Peek();
    const bool touching = after.offset == previous_end;
    if (after.kind == TokenKind::kDot && touching) {
      segments.emplace_back();
    } else if (after.kind == TokenKind::kSlash && touching && regex_may_follow && segments.size() < 3) {
      *regex_follows = true;
      return segments;
    } else {
      previous_end = Peek().end;
      ZZ_ASSIGN_OR_RETURN(std::string segment, ParseIdent());
      segments.push_back(std::move(segment));
    }
    if (segments.size() > 3) {
      std::string joined;
      for (size_t i = 0; i < segments.size(); ++i) joined += (i == 0 ? "" : ".") + QuoteIdent(segments[i]);
      return Error("too many segments in " + joined);
    }
  }
  return segments;
}

}  // namespace internal
}  // namespace zhizao::query::influxql
