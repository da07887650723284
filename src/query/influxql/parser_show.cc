// SHOW and CREATE statements.
#include <utility>

#include "query/influxql/literal.h"
#include "query/influxql/parser.h"

namespace zhizao::query::influxql::internal {

Result<Statement> Parser::ParseShow() {
  Next();  // SHOW
  if (AcceptKeyword("DATABASES")) return Statement{ShowDatabasesStatement{}};
  if (PeekKeyword("MEASUREMENTS")) return ParseShowMeasurements();
  if (AcceptKeyword("RETENTION")) {
    ZZ_RETURN_IF_ERROR(ExpectKeyword("POLICIES"));
    ShowRetentionPoliciesStatement statement;
    ZZ_RETURN_IF_ERROR(ParseOnDatabase(&statement.database));
    return Statement{std::move(statement)};
  }
  if (AcceptKeyword("TAG")) {
    if (PeekKeyword("VALUES")) return ParseShowTagValues();
    ZZ_RETURN_IF_ERROR(ExpectKeyword("KEYS"));
    ShowTagKeysStatement statement;
    ZZ_RETURN_IF_ERROR(ParseOnDatabase(&statement.database));
    ZZ_RETURN_IF_ERROR(ParseOptionalFrom(&statement.sources));
    ZZ_RETURN_IF_ERROR(ParseOptionalWhere(&statement.condition));
    ZZ_RETURN_IF_ERROR(ParseLimitOffset(&statement.limit, &statement.offset));
    return Statement{std::move(statement)};
  }
  if (AcceptKeyword("FIELD")) {
    ZZ_RETURN_IF_ERROR(ExpectKeyword("KEYS"));
    ShowFieldKeysStatement statement;
    ZZ_RETURN_IF_ERROR(ParseOnDatabase(&statement.database));
    ZZ_RETURN_IF_ERROR(ParseOptionalFrom(&statement.sources));
    ZZ_RETURN_IF_ERROR(ParseLimitOffset(&statement.limit, &statement.offset));
    return Statement{std::move(statement)};
  }
  if (AcceptKeyword("SERIES")) {
    if (PeekKeyword("CARDINALITY") || PeekKeyword("EXACT")) {
      return ErrorAt(Peek().offset, "SHOW SERIES " + Peek().value + " is not supported");
    }
    ShowSeriesStatement statement;
    ZZ_RETURN_IF_ERROR(ParseOnDatabase(&statement.database));
    ZZ_RETURN_IF_ERROR(ParseOptionalFrom(&statement.sources));
    ZZ_RETURN_IF_ERROR(ParseOptionalWhere(&statement.condition));
    ZZ_RETURN_IF_ERROR(ParseLimitOffset(&statement.limit, &statement.offset));
    return Statement{std::move(statement)};
  }
  const Token& token = Peek();
  for (std::string_view known : {"CONTINUOUS", "DIAGNOSTICS", "GRANTS", "MEASUREMENT", "QUERIES", "SHARD", "SHARDS",
                                 "STATS", "SUBSCRIPTIONS", "USERS"}) {
    if (PeekKeyword(known)) return ErrorAt(token.offset, "SHOW " + token.value + " is not supported");
  }
  return Unexpected(token,
                    "CONTINUOUS, DATABASES, DIAGNOSTICS, FIELD, GRANTS, MEASUREMENT, MEASUREMENTS, QUERIES, "
                    "RETENTION, SERIES, SHARD, SHARDS, STATS, SUBSCRIPTIONS, TAG, USERS");
}

Result<Statement> Parser::ParseShowMeasurements() {
  Next();  // MEASUREMENTS
  ShowMeasurementsStatement statement;
  ZZ_RETURN_IF_ERROR(ParseOnDatabase(&statement.database));
  if (AcceptKeyword("WITH")) {
    ZZ_RETURN_IF_ERROR(ExpectKeyword("MEASUREMENT"));
    MeasurementFilter filter;
    if (Accept(TokenKind::kEq)) {
      ZZ_ASSIGN_OR_RETURN(filter.name, ParseIdent());
    } else if (Accept(TokenKind::kEqRegex)) {
      ZZ_ASSIGN_OR_RETURN(Node regex, ParseRegex());
      filter.regex = std::move(std::get<RegexLiteral>(regex.expr.node).pattern);
    } else {
      return Unexpected(Peek(), "=, =~");
    }
    statement.filter = std::move(filter);
  }
  ZZ_RETURN_IF_ERROR(ParseOptionalWhere(&statement.condition));
  ZZ_RETURN_IF_ERROR(ParseLimitOffset(&statement.limit, &statement.offset));
  return Statement{std::move(statement)};
}

Result<Statement> Parser::ParseShowTagValues() {
  Next();  // VALUES
  ShowTagValuesStatement statement;
  ZZ_RETURN_IF_ERROR(ParseOnDatabase(&statement.database));
  ZZ_RETURN_IF_ERROR(ParseOptionalFrom(&statement.sources));
  ZZ_RETURN_IF_ERROR(ExpectKeyword("WITH"));
  ZZ_RETURN_IF_ERROR(ExpectKeyword("KEY"));
  ZZ_RETURN_IF_ERROR(ParseTagKeyFilter(&statement));
  ZZ_RETURN_IF_ERROR(ParseOptionalWhere(&statement.condition));
  ZZ_RETURN_IF_ERROR(ParseLimitOffset(&statement.limit, &statement.offset));
  return Statement{std::move(statement)};
}

// `= k`, `!= k`, `=~ /re/`, `!~ /re/` or `IN (k1, k2)`; keys are identifiers, as in InfluxDB,
// so Grafana's `WITH KEY = "host"` is the key host.
Status Parser::ParseTagKeyFilter(ShowTagValuesStatement* statement) {
  const Token op = Next();
  switch (op.kind) {
    case TokenKind::kEq:
    case TokenKind::kNeq: {
      statement->key_op = op.kind == TokenKind::kEq ? KeyOp::kEq : KeyOp::kNeq;
      ZZ_ASSIGN_OR_RETURN(std::string key, ParseIdent());
      statement->keys.push_back(std::move(key));
      return Status::Ok();
    }
    case TokenKind::kEqRegex:
    case TokenKind::kNeqRegex: {
      statement->key_op = op.kind == TokenKind::kEqRegex ? KeyOp::kEqRegex : KeyOp::kNeqRegex;
      ZZ_ASSIGN_OR_RETURN(Node regex, ParseRegex());
      statement->key_regex = std::move(std::get<RegexLiteral>(regex.expr.node).pattern);
      return Status::Ok();
    }
    default:
      break;
  }
  if (op.kind != TokenKind::kKeyword || op.value != "IN") return Unexpected(op, "=, !=, =~, !~, IN");
  statement->key_op = KeyOp::kIn;
  ZZ_RETURN_IF_ERROR(Expect(TokenKind::kLParen, "("));
  do {
    ZZ_ASSIGN_OR_RETURN(std::string key, ParseIdent());
    statement->keys.push_back(std::move(key));
  } while (Accept(TokenKind::kComma));
  return Expect(TokenKind::kRParen, ")");
}

Result<Statement> Parser::ParseCreate() {
  Next();  // CREATE
  if (AcceptKeyword("DATABASE")) {
    CreateDatabaseStatement statement;
    ZZ_ASSIGN_OR_RETURN(statement.name, ParseIdent());
    if (AcceptKeyword("WITH")) ZZ_RETURN_IF_ERROR(ParseCreateDatabaseOptions(&statement));
    return Statement{std::move(statement)};
  }
  const Token& token = Peek();
  for (std::string_view known : {"CONTINUOUS", "USER", "RETENTION", "SUBSCRIPTION"}) {
    if (PeekKeyword(known)) return ErrorAt(token.offset, "CREATE " + token.value + " is not supported");
  }
  return Unexpected(token, "CONTINUOUS, DATABASE, USER, RETENTION, SUBSCRIPTION");
}

// InfluxDB's order: [DURATION d|INF] [REPLICATION n] [SHARD DURATION d] [NAME rp], at least one.
Status Parser::ParseCreateDatabaseOptions(CreateDatabaseStatement* statement) {
  const auto parse_duration = [this]() -> Result<int64_t> {
    const Token& token = Peek();
    if (token.kind == TokenKind::kKeyword && token.value == "INF") {
      Next();
      return int64_t{0};
    }
    if (token.kind != TokenKind::kDuration && token.kind != TokenKind::kInteger) return Unexpected(token, "duration");
    const std::optional<int64_t> ns = ParseDuration(token.text);
    if (!ns) return ErrorAt(token.offset, "invalid duration");
    Next();
    return *ns;
  };
  bool any = false;
  if (AcceptKeyword("DURATION")) {
    ZZ_ASSIGN_OR_RETURN(statement->duration_ns, parse_duration());
    any = true;
  }
  if (AcceptKeyword("REPLICATION")) {
    const size_t at = Peek().offset;
    ZZ_ASSIGN_OR_RETURN(int64_t n, ParseInt());
    if (n < 1 || n > 2147483647) {
      return ErrorAt(at, "invalid value " + std::to_string(n) + ": must be 1 <= n <= 2147483647");
    }
    statement->replication = n;
    any = true;
  }
  if (AcceptKeyword("SHARD")) {
    ZZ_RETURN_IF_ERROR(ExpectKeyword("DURATION"));
    ZZ_ASSIGN_OR_RETURN(statement->shard_duration_ns, parse_duration());
    any = true;
  }
  if (AcceptKeyword("NAME")) {
    ZZ_ASSIGN_OR_RETURN(statement->retention_policy_name, ParseIdent());
    any = true;
  }
  if (!any) return Unexpected(Peek(), "DURATION, NAME, REPLICATION, SHARD");
  return Status::Ok();
}

}  // namespace zhizao::query::influxql::internal
