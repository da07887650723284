// The recursive-descent InfluxQL parser behind ParseInfluxQL. Private to influxql/.
//
// Split by concern: parser.cc holds the token helpers and the statement dispatch,
// parser_show.cc the SHOW and CREATE statements, parser_select.cc SELECT's clauses,
// parser_expr.cc expressions. Every error is InvalidArgument with InfluxDB's wording, prefixed
// "error parsing query: ".
//
// Not thread-safe; one per parse.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "query/influxql.h"
#include "query/influxql/lexer.h"

namespace zhizao::query::influxql::internal {

// Parentheses, calls and signs: the parser's recursion.
inline constexpr int kMaxNesting = 64;
// Operators on one path from an expression's root: what a walker of the tree recurses over.
inline constexpr int kMaxHeight = 512;

class Parser {
 public:
  explicit Parser(std::string_view text) : lexer_(text) {}

  Result<std::vector<Statement>> ParseAll();

 private:
  // An expression and the height of its tree, so that the height is checked as it grows.
  struct Node {
    Expr expr;
    int height = 0;
  };

  // Tokens (parser.cc).
  const Token& Peek();
  Token Next();
  bool PeekKeyword(std::string_view keyword);
  bool AcceptKeyword(std::string_view keyword);
  bool Accept(TokenKind kind);
  bool PeekIdentNamed(std::string_view lower_name);
  Status ExpectKeyword(std::string_view keyword);
  Status Expect(TokenKind kind, std::string_view what);
  Token ScanRegexAtSlash();  // REQUIRES: Peek() is kSlash

  // Errors (parser.cc).
  Status Error(std::string_view message) const;
  Status ErrorAt(size_t offset, std::string_view message) const;
  Status Unexpected(const Token& found, std::string_view expected) const;
  std::string Where(const Token& token) const;

  // Pieces shared by the statements (parser.cc).
  Result<Statement> ParseStatement();
  Result<std::string> ParseIdent();
  Result<int64_t> ParseInt();
  Status ParseOnDatabase(std::string* database);
  Status ParseLimitOffset(int64_t* limit, int64_t* offset);
  Status ParseOptionalWhere(std::optional<Expr>* condition);
  Status ParseOptionalFrom(std::vector<Measurement>* sources);
  Result<std::vector<Measurement>> ParseSources();
  Result<Measurement> ParseSource();
  Result<std::vector<std::string>> ParseSegments(Token first, bool regex_may_follow, bool* regex_follows);

  // SHOW and CREATE (parser_show.cc).
  Result<Statement> ParseShow();
  Result<Statement> ParseShowMeasurements();
  Result<Statement> ParseShowTagValues();
  Status ParseTagKeyFilter(ShowTagValuesStatement* statement);
  Result<Statement> ParseCreate();
  Status ParseCreateDatabaseOptions(CreateDatabaseStatement* statement);

  // SELECT (parser_select.cc).
  Result<Statement> ParseSelect();
  Result<Field> ParseField();
  Status ParseGroupBy(GroupBy* group_by);
  Status AddDimension(Expr dimension, GroupBy* group_by);
  Status ParseFill(Fill* fill);
  Status ParseOrderBy(bool* descending);
  Status ParseTimezone(std::string* timezone);

  // Expressions (parser_expr.cc).
  Result<Expr> ParseExpr();
  Result<Node> ParseBinary(int min_precedence, int nesting);
  Result<Node> ParseUnary(int nesting);
  Result<Node> ParseSigned(const Token& sign, int nesting);
  Result<Node> ParseCall(const Token& name, int nesting);
  Result<Node> ParseVarRef(const Token& first);
  Result<Node> ParseWildcard();
  Result<Node> ParseRegex();
  Result<Node> ParseNumeric(const Token& token, bool negative);
  Result<VarType> ParseCast(bool wildcard);

  Lexer lexer_;
  std::optional<Token> peeked_;
  // The last token consumed, for InfluxDB's position of EOF (see Where).
  TokenKind last_kind_ = TokenKind::kEof;
  bool last_quoted_ = false;
  size_t last_end_ = 0;
};

}  // namespace zhizao::query::influxql::internal
