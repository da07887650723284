// SELECT and its clauses, in InfluxDB's fixed order: fields, FROM, WHERE, GROUP BY, fill,
// ORDER BY, LIMIT, OFFSET, SLIMIT, SOFFSET, tz.
#include <utility>

#include "query/influxql/functions.h"
#include "query/influxql/literal.h"
#include "query/influxql/parser.h"

namespace zhizao::query::influxql::internal {

Result<Statement> Parser::ParseSelect() {
  Next();  // SELECT
  SelectStatement select;
  do {
    ZZ_ASSIGN_OR_RETURN(Field field, ParseField());
    select.fields.push_back(std::move(field));
  } while (Accept(TokenKind::kComma));
  if (PeekKeyword("INTO")) return ErrorAt(Peek().offset, "SELECT INTO is not supported");
  ZZ_RETURN_IF_ERROR(ExpectKeyword("FROM"));
  ZZ_ASSIGN_OR_RETURN(select.sources, ParseSources());
  ZZ_RETURN_IF_ERROR(ParseOptionalWhere(&select.condition));
  ZZ_RETURN_IF_ERROR(ParseGroupBy(&select.group_by));
  ZZ_RETURN_IF_ERROR(ParseFill(&select.fill));
  ZZ_RETURN_IF_ERROR(ParseOrderBy(&select.descending));
  ZZ_RETURN_IF_ERROR(ParseLimitOffset(&select.limit, &select.offset));
  if (AcceptKeyword("SLIMIT")) {
    ZZ_ASSIGN_OR_RETURN(select.slimit, ParseInt());
  }
  if (AcceptKeyword("SOFFSET")) {
    ZZ_ASSIGN_OR_RETURN(select.soffset, ParseInt());
  }
  ZZ_RETURN_IF_ERROR(ParseTimezone(&select.timezone));
  return Statement{std::move(select)};
}

Result<Field> Parser::ParseField() {
  const size_t start = Peek().offset;
  ZZ_ASSIGN_OR_RETURN(Expr expr, ParseExpr());
  if (const std::optional<BinaryOp> op = FindConditionOperator(expr)) {
    const LineChar at = LocateOffset(lexer_.text(), start);
    return Error("invalid operator " + std::string(BinaryOpText(*op)) + " in SELECT clause at line " +
                 std::to_string(at.line) + ", char " + std::to_string(at.character) +
                 "; operator is intended for WHERE clause");
  }
  const std::string invalid = CheckCalls(expr);
  if (!invalid.empty()) return Error(invalid);
  Field field{std::move(expr), {}};
  if (AcceptKeyword("AS")) {
    ZZ_ASSIGN_OR_RETURN(field.alias, ParseIdent());
  }
  return field;
}

// Dimensions are parsed as operands and then judged, as InfluxDB does, so that its messages
// for `GROUP BY 'time'` or `time` without parentheses come out the same.
Status Parser::ParseGroupBy(GroupBy* group_by) {
  if (!AcceptKeyword("GROUP")) return Status::Ok();
  ZZ_RETURN_IF_ERROR(ExpectKeyword("BY"));
  do {
    ZZ_ASSIGN_OR_RETURN(Node dimension, ParseUnary(0));
    ZZ_RETURN_IF_ERROR(AddDimension(std::move(dimension.expr), group_by));
  } while (Accept(TokenKind::kComma));
  return Status::Ok();
}

// A tag named time, quoted or not, is refused as InfluxDB does: time is only ever the call.
Status Parser::AddDimension(Expr dimension, GroupBy* group_by) {
  if (auto* ref = std::get_if<VarRef>(&dimension.node)) {
    if (ToLower(ref->name) == "time") {
      return Error("time() is a function and expects at least one argument");
    }
    group_by->tags.push_back(std::move(ref->name));
    return Status::Ok();
  }
  if (std::holds_alternative<Wildcard>(dimension.node)) {
    group_by->all_tags = true;
    return Status::Ok();
  }
  if (auto* regex = std::get_if<RegexLiteral>(&dimension.node)) {
    group_by->tag_regexes.push_back(std::move(regex->pattern));
    return Status::Ok();
  }
  auto* call = std::get_if<Call>(&dimension.node);
  if (call == nullptr || call->name != "time") return Error("only time and tag dimensions allowed");
  if (group_by->time) return Error("multiple time dimensions not allowed");
  if (call->args.empty() || call->args.size() > 2) return Error("time dimension expected 1 or 2 arguments");
  const auto* interval = std::get_if<DurationLiteral>(&call->args[0].node);
  if (interval == nullptr) return Error("time dimension must have duration argument");
  if (interval->ns <= 0) return Error("time dimension must have a positive duration");
  TimeDimension time{.interval_ns = interval->ns};
  if (call->args.size() == 2) {
    const Expr& offset = call->args[1];
    const auto* now = std::get_if<Call>(&offset.node);
    if (const auto* duration = std::get_if<DurationLiteral>(&offset.node)) {
      time.offset_ns = duration->ns;
    } else if (now != nullptr && now->name == "now" && now->args.empty()) {
      time.offset_now = true;
    } else {
      return Error("time dimension offset must be duration or now()");
    }
  }
  group_by->time = time;
  return Status::Ok();
}

Status Parser::ParseFill(Fill* fill) {
  if (!PeekIdentNamed("fill")) return Status::Ok();
  ZZ_ASSIGN_OR_RETURN(Expr expr, ParseExpr());
  const auto* call = std::get_if<Call>(&expr.node);
  if (call == nullptr) return Error("fill must be a function call");
  if (call->args.size() != 1) return Error("fill requires an argument, e.g.: 0, null, none, previous, linear");
  const Expr& arg = call->args[0];
  if (const auto* ref = std::get_if<VarRef>(&arg.node); ref != nullptr && ref->type == VarType::kUnknown) {
    const std::string word = ToLower(ref->name);
    if (word == "null") return fill->mode = FillMode::kNull, Status::Ok();
    if (word == "none") return fill->mode = FillMode::kNone, Status::Ok();
    if (word == "previous") return fill->mode = FillMode::kPrevious, Status::Ok();
    if (word == "linear") return fill->mode = FillMode::kLinear, Status::Ok();
  }
  fill->mode = FillMode::kValue;
  if (const auto* integer = std::get_if<IntegerLiteral>(&arg.node)) {
    fill->value = integer->value;
  } else if (const auto* number = std::get_if<NumberLiteral>(&arg.node)) {
    fill->value = number->value;
  } else {
    return Error("expected number argument in fill()");
  }
  return Status::Ok();
}

Status Parser::ParseOrderBy(bool* descending) {
  if (!AcceptKeyword("ORDER")) return Status::Ok();
  ZZ_RETURN_IF_ERROR(ExpectKeyword("BY"));
  const Token& first = Peek();
  if (first.kind == TokenKind::kIdent) {
    if (ToLower(first.value) != "time") return Error("only ORDER BY time supported at this time");
    Next();
  } else if (!PeekKeyword("ASC") && !PeekKeyword("DESC")) {
    return Unexpected(first, "identifier, ASC, DESC");
  }
  if (AcceptKeyword("DESC")) {
    *descending = true;
  } else {
    AcceptKeyword("ASC");
  }
  if (Accept(TokenKind::kComma)) {
    ZZ_RETURN_IF_ERROR(ParseIdent().status());
    return Error("only ORDER BY time supported at this time");
  }
  return Status::Ok();
}

Status Parser::ParseTimezone(std::string* timezone) {
  if (!PeekIdentNamed("tz")) return Status::Ok();
  Next();
  ZZ_RETURN_IF_ERROR(Expect(TokenKind::kLParen, "("));
  if (Peek().kind != TokenKind::kString) return Unexpected(Peek(), "string");
  *timezone = Next().value;
  return Expect(TokenKind::kRParen, ")");
}

}  // namespace zhizao::query::influxql::internal
