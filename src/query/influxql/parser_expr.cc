// Expressions: precedence climbing over unary operands, InfluxDB's precedence and its
// left-to-right grouping at every level.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <memory>
#include <utility>

#include "query/influxql/functions.h"
#include "query/influxql/literal.h"
#include "query/influxql/parser.h"

namespace zhizao::query::influxql::internal {
namespace {

std::optional<BinaryOp> BinaryOpOf(const Token& token) {
  switch (token.kind) {
    case TokenKind::kPlus: return BinaryOp::kAdd;
    case TokenKind::kMinus: return BinaryOp::kSub;
    case TokenKind::kStar: return BinaryOp::kMul;
    case TokenKind::kSlash: return BinaryOp::kDiv;
    case TokenKind::kPercent: return BinaryOp::kMod;
    case TokenKind::kEq: return BinaryOp::kEq;
    case TokenKind::kNeq: return BinaryOp::kNeq;
    case TokenKind::kLt: return BinaryOp::kLt;
    case TokenKind::kLte: return BinaryOp::kLte;
    case TokenKind::kGt: return BinaryOp::kGt;
    case TokenKind::kGte: return BinaryOp::kGte;
    case TokenKind::kEqRegex: return BinaryOp::kEqRegex;
    case TokenKind::kNeqRegex: return BinaryOp::kNeqRegex;
    case TokenKind::kKeyword:
      if (token.value == "AND") return BinaryOp::kAnd;
      if (token.value == "OR") return BinaryOp::kOr;
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::string HeightError() { return "expression has more than " + std::to_string(kMaxHeight) + " nested operators"; }

}  // namespace

Result<Expr> Parser::ParseExpr() {
  ZZ_ASSIGN_OR_RETURN(Node node, ParseBinary(0, 0));
  return std::move(node.expr);
}

// A chain at one level (a + b + c) loops here instead of recursing, so the recursion is
// bounded by the precedence levels times the nesting, not by the length of the input.
Result<Parser::Node> Parser::ParseBinary(int min_precedence, int nesting) {
  ZZ_ASSIGN_OR_RETURN(Node lhs, ParseUnary(nesting));
  while (true) {
    const std::optional<BinaryOp> op = BinaryOpOf(Peek());
    if (!op || Precedence(*op) < min_precedence) return lhs;
    const size_t op_offset = Next().offset;
    Node rhs;
    if (*op == BinaryOp::kEqRegex || *op == BinaryOp::kNeqRegex) {
      ZZ_ASSIGN_OR_RETURN(rhs, ParseRegex());
    } else {
      ZZ_ASSIGN_OR_RETURN(rhs, ParseBinary(Precedence(*op) + 1, nesting));
    }
    const int height = 1 + std::max(lhs.height, rhs.height);
    if (height > kMaxHeight) return ErrorAt(op_offset, HeightError());
    Binary binary{*op, std::make_unique<Expr>(std::move(lhs.expr)), std::make_unique<Expr>(std::move(rhs.expr))};
    lhs = Node{Expr{std::move(binary)}, height};
  }
}

Result<Parser::Node> Parser::ParseUnary(int nesting) {
  const Token& token = Peek();
  if (nesting >= kMaxNesting) {
    return ErrorAt(token.offset, "expression nested more than " + std::to_string(kMaxNesting) + " levels deep");
  }
  switch (token.kind) {
    case TokenKind::kLParen: {
      Next();
      ZZ_ASSIGN_OR_RETURN(Node inner, ParseBinary(0, nesting + 1));
      ZZ_RETURN_IF_ERROR(Expect(TokenKind::kRParen, ")"));
      return inner;
    }
    case TokenKind::kIdent: {
      const Token name = Next();
      if (Peek().kind == TokenKind::kLParen) return ParseCall(name, nesting);
      return ParseVarRef(name);
    }
    case TokenKind::kString: return Node{Expr{StringLiteral{Next().value}}, 0};
    case TokenKind::kInteger:
    case TokenKind::kNumber:
    case TokenKind::kDuration: return ParseNumeric(Next(), false);
    case TokenKind::kStar: return ParseWildcard();
    case TokenKind::kSlash: return ParseRegex();
    case TokenKind::kMinus:
    case TokenKind::kPlus: return ParseSigned(Next(), nesting);
    case TokenKind::kKeyword:
      if (token.value == "TRUE" || token.value == "FALSE") {
        return Node{Expr{BooleanLiteral{Next().value == "TRUE"}}, 0};
      }
      if (token.value == "DISTINCT") {
        const Token distinct = Next();
        if (Peek().kind == TokenKind::kLParen) return ParseCall(distinct, nesting);
        if (Peek().kind != TokenKind::kIdent) return Unexpected(Peek(), "(, identifier");
        ZZ_ASSIGN_OR_RETURN(Node field, ParseVarRef(Next()));
        Call call{"distinct", {}};
        call.args.push_back(std::move(field.expr));
        return Node{Expr{std::move(call)}, 1};
      }
      break;
    default:
      break;
  }
  return Unexpected(token, "identifier, string, number, bool");
}

// A sign folds into a number or duration (so -9223372036854775808 is an integer); before
// anything else it is InfluxDB's -1 * operand.
Result<Parser::Node> Parser::ParseSigned(const Token& sign, int nesting) {
  const bool negative = sign.kind == TokenKind::kMinus;
  const Token& next = Peek();
  if (next.kind == TokenKind::kInteger || next.kind == TokenKind::kNumber || next.kind == TokenKind::kDuration) {
    return ParseNumeric(Next(), negative);
  }
  if (next.kind != TokenKind::kIdent && next.kind != TokenKind::kLParen) {
    return Unexpected(next, "identifier, number, duration, (");
  }
  ZZ_ASSIGN_OR_RETURN(Node operand, ParseUnary(nesting + 1));
  if (!negative) return operand;
  const int height = operand.height + 1;
  if (height > kMaxHeight) return ErrorAt(sign.offset, HeightError());
  Binary binary{BinaryOp::kMul, std::make_unique<Expr>(Expr{IntegerLiteral{-1}}),
                std::make_unique<Expr>(std::move(operand.expr))};
  return Node{Expr{std::move(binary)}, height};
}

Result<Parser::Node> Parser::ParseCall(const Token& name, int nesting) {
  Next();  // (
  Call call{ToLower(name.value), {}};
  int height = 1;
  if (!Accept(TokenKind::kRParen)) {
    while (true) {
      ZZ_ASSIGN_OR_RETURN(Node arg, ParseBinary(0, nesting + 1));
      height = std::max(height, arg.height + 1);
      call.args.push_back(std::move(arg.expr));
      if (Accept(TokenKind::kRParen)) break;
      if (!Accept(TokenKind::kComma)) return Unexpected(Peek(), ",, )");
    }
  }
  if (height > kMaxHeight) return ErrorAt(name.offset, HeightError());
  return Node{Expr{std::move(call)}, height};
}

Result<Parser::Node> Parser::ParseVarRef(const Token& first) {
  bool regex_follows = false;
  ZZ_ASSIGN_OR_RETURN(std::vector<std::string> segments, ParseSegments(first, false, &regex_follows));
  VarRef ref;
  for (size_t i = 0; i < segments.size(); ++i) ref.name += (i == 0 ? "" : ".") + segments[i];
  if (Accept(TokenKind::kDoubleColon)) {
    ZZ_ASSIGN_OR_RETURN(ref.type, ParseCast(false));
  }
  return Node{Expr{std::move(ref)}, 0};
}

Result<Parser::Node> Parser::ParseWildcard() {
  Next();  // *
  Wildcard wildcard;
  if (Accept(TokenKind::kDoubleColon)) {
    ZZ_ASSIGN_OR_RETURN(wildcard.type, ParseCast(true));
  }
  return Node{Expr{wildcard}, 0};
}

Result<VarType> Parser::ParseCast(bool wildcard) {
  static constexpr std::pair<std::string_view, VarType> kTypes[] = {
      {"field", VarType::kField},     {"tag", VarType::kTag},        {"float", VarType::kFloat},
      {"integer", VarType::kInteger}, {"unsigned", VarType::kUnsigned}, {"string", VarType::kString},
      {"boolean", VarType::kBoolean}};
  const Token& token = Peek();
  const size_t allowed = wildcard ? 2 : std::size(kTypes);
  if (token.kind == TokenKind::kIdent || token.kind == TokenKind::kKeyword) {
    const std::string lower = ToLower(token.text);
    for (size_t i = 0; i < allowed; ++i) {
      if (kTypes[i].first == lower) {
        Next();
        return kTypes[i].second;
      }
    }
  }
  return Unexpected(token, wildcard ? "field, tag" : "float, integer, unsigned, string, boolean, field, tag");
}

Result<Parser::Node> Parser::ParseRegex() {
  if (Peek().kind != TokenKind::kSlash) return Unexpected(Peek(), "regex");
  Token regex = ScanRegexAtSlash();
  if (regex.kind != TokenKind::kRegex) return Unexpected(regex, "regex");
  return Node{Expr{RegexLiteral{std::move(regex.value)}}, 0};
}

Result<Parser::Node> Parser::ParseNumeric(const Token& token, bool negative) {
  const char* begin = token.text.data();
  const char* end = begin + token.text.size();
  if (token.kind == TokenKind::kDuration) {
    const std::optional<int64_t> ns = ParseDuration(token.text);
    if (!ns) return ErrorAt(token.offset, "invalid duration " + std::string(token.text));
    return Node{Expr{DurationLiteral{negative ? -*ns : *ns}}, 0};
  }
  if (token.kind == TokenKind::kNumber) {
    double value = 0;
    const auto [stop, error] = std::from_chars(begin, end, value);
    if (error != std::errc() || stop != end || !std::isfinite(value)) {
      return ErrorAt(token.offset, "unable to parse number");
    }
    return Node{Expr{NumberLiteral{negative ? -value : value}}, 0};
  }
  uint64_t magnitude = 0;
  const auto [stop, error] = std::from_chars(begin, end, magnitude);
  const uint64_t limit = uint64_t{std::numeric_limits<int64_t>::max()} + (negative ? 1 : 0);
  if (error != std::errc() || stop != end || magnitude > limit) return ErrorAt(token.offset, "unable to parse integer");
  // Negating in unsigned arithmetic reaches INT64_MIN without signed overflow.
  const int64_t value = negative ? static_cast<int64_t>(~magnitude + 1) : static_cast<int64_t>(magnitude);
  return Node{Expr{IntegerLiteral{value}}, 0};
}

}  // namespace zhizao::query::influxql::internal
