// ToString and DefaultColumnName. The printer's contract is that its text parses back to the
// same tree (the fuzzer checks it), so every choice here is about what the lexer reads back:
// spaces around operators keep `a - -1` from becoming a `--` comment, numbers always carry a
// '.', and parentheses go exactly where precedence would otherwise regroup.
#include <utility>

#include "query/influxql.h"
#include "query/influxql/functions.h"
#include "query/influxql/literal.h"

namespace zhizao::query::influxql {
namespace {

using internal::BinaryOpText;
using internal::FormatDuration;
using internal::FormatNumber;
using internal::QuoteIdent;
using internal::Precedence;
using internal::QuoteString;

std::string_view TypeSuffix(VarType type) {
  switch (type) {
    case VarType::kUnknown: return "";
    case VarType::kFloat: return "::float";
    case VarType::kInteger: return "::integer";
    case VarType::kUnsigned: return "::unsigned";
    case VarType::kString: return "::string";
    case VarType::kBoolean: return "::boolean";
    case VarType::kField: return "::field";
    case VarType::kTag: return "::tag";
  }
  return "";
}

std::string PrintRegex(std::string_view pattern) {
  std::string text = "/";
  for (const char c : pattern) {
    if (c == '/') text += '\\';
    text += c;
  }
  return text + "/";
}

// Operands of a binary node: a child of lower precedence needs parentheses on either side, one
// of equal precedence only on the right, since every level groups left to right.
std::string PrintOperand(const Expr& child, int parent_precedence, bool right) {
  const auto* binary = std::get_if<Binary>(&child.node);
  if (binary == nullptr) return ToString(child);
  const int precedence = Precedence(binary->op);
  const bool parens = precedence < parent_precedence || (right && precedence == parent_precedence);
  return parens ? "(" + ToString(child) + ")" : ToString(child);
}

struct ExprPrinter {
  std::string operator()(const VarRef& ref) const { return QuoteIdent(ref.name) + std::string(TypeSuffix(ref.type)); }
  std::string operator()(const Wildcard& wildcard) const { return "*" + std::string(TypeSuffix(wildcard.type)); }
  std::string operator()(const Call& call) const {
    // distinct is a keyword; the parser reads `distinct(` as the call, bare is clearer.
    std::string text = (call.name == "distinct" ? call.name : QuoteIdent(call.name)) + "(";
    for (size_t i = 0; i < call.args.size(); ++i) text += (i == 0 ? "" : ", ") + ToString(call.args[i]);
    return text + ")";
  }
  std::string operator()(const Binary& binary) const {
    const int precedence = Precedence(binary.op);
    return PrintOperand(*binary.lhs, precedence, false) + " " + std::string(BinaryOpText(binary.op)) + " " +
           PrintOperand(*binary.rhs, precedence, true);
  }
  std::string operator()(const StringLiteral& s) const { return QuoteString(s.value); }
  std::string operator()(const IntegerLiteral& i) const { return std::to_string(i.value); }
  std::string operator()(const NumberLiteral& n) const { return FormatNumber(n.value); }
  std::string operator()(const BooleanLiteral& b) const { return b.value ? "true" : "false"; }
  std::string operator()(const DurationLiteral& d) const { return FormatDuration(d.ns); }
  std::string operator()(const RegexLiteral& r) const { return PrintRegex(r.pattern); }
};

std::string PrintSource(const Measurement& m) {
  std::string prefix;
  if (!m.database.empty()) {
    prefix = QuoteIdent(m.database) + "." + (m.retention_policy.empty() ? "" : QuoteIdent(m.retention_policy)) + ".";
  } else if (!m.retention_policy.empty()) {
    prefix = QuoteIdent(m.retention_policy) + ".";
  }
  return prefix + (m.regex ? PrintRegex(*m.regex) : QuoteIdent(m.name));
}

std::string PrintSources(std::string_view keyword, const std::vector<Measurement>& sources) {
  if (sources.empty()) return "";
  std::string text = std::string(keyword);
  for (size_t i = 0; i < sources.size(); ++i) text += (i == 0 ? "" : ", ") + PrintSource(sources[i]);
  return text;
}

std::string PrintOn(const std::string& database) { return database.empty() ? "" : " ON " + QuoteIdent(database); }

std::string PrintWhere(const std::optional<Expr>& condition) {
  return condition ? " WHERE " + ToString(*condition) : "";
}

std::string PrintLimitOffset(int64_t limit, int64_t offset) {
  std::string text;
  if (limit != 0) text += " LIMIT " + std::to_string(limit);
  if (offset != 0) text += " OFFSET " + std::to_string(offset);
  return text;
}

std::string PrintGroupBy(const GroupBy& g) {
  std::vector<std::string> dimensions;
  if (g.time) {
    std::string time = "time(" + FormatDuration(g.time->interval_ns);
    if (g.time->offset_now) {
      time += ", now()";
    } else if (g.time->offset_ns != 0) {
      time += ", " + FormatDuration(g.time->offset_ns);
    }
    dimensions.push_back(time + ")");
  }
  for (const std::string& tag : g.tags) dimensions.push_back(QuoteIdent(tag));
  for (const std::string& regex : g.tag_regexes) dimensions.push_back(PrintRegex(regex));
  if (g.all_tags) dimensions.emplace_back("*");
  if (dimensions.empty()) return "";
  std::string text = " GROUP BY ";
  for (size_t i = 0; i < dimensions.size(); ++i) text += (i == 0 ? "" : ", ") + dimensions[i];
  return text;
}

std::string PrintFill(const Fill& fill) {
  switch (fill.mode) {
    case FillMode::kNull: return "";
    case FillMode::kNone: return " fill(none)";
    case FillMode::kPrevious: return " fill(previous)";
    case FillMode::kLinear: return " fill(linear)";
    case FillMode::kValue: break;
  }
  if (const auto* i = std::get_if<int64_t>(&fill.value)) return " fill(" + std::to_string(*i) + ")";
  return " fill(" + FormatNumber(std::get<double>(fill.value)) + ")";
}

std::string Print(const SelectStatement& s) {
  std::string text = "SELECT ";
  for (size_t i = 0; i < s.fields.size(); ++i) {
    text += (i == 0 ? "" : ", ") + ToString(s.fields[i].expr);
    if (!s.fields[i].alias.empty()) text += " AS " + QuoteIdent(s.fields[i].alias);
  }
  text += PrintSources(" FROM ", s.sources) + PrintWhere(s.condition) + PrintGroupBy(s.group_by) + PrintFill(s.fill);
  if (s.descending) text += " ORDER BY time DESC";
  text += PrintLimitOffset(s.limit, s.offset);
  if (s.slimit != 0) text += " SLIMIT " + std::to_string(s.slimit);
  if (s.soffset != 0) text += " SOFFSET " + std::to_string(s.soffset);
  if (!s.timezone.empty()) text += " tz(" + QuoteString(s.timezone) + ")";
  return text;
}

std::string Print(const ShowDatabasesStatement&) { return "SHOW DATABASES"; }

std::string Print(const ShowRetentionPoliciesStatement& s) { return "SHOW RETENTION POLICIES" + PrintOn(s.database); }

std::string Print(const ShowMeasurementsStatement& s) {
  std::string text = "SHOW MEASUREMENTS" + PrintOn(s.database);
  if (s.filter) {
    text += " WITH MEASUREMENT ";
    text += s.filter->regex ? "=~ " + PrintRegex(*s.filter->regex) : "= " + QuoteIdent(s.filter->name);
  }
  return text + PrintWhere(s.condition) + PrintLimitOffset(s.limit, s.offset);
}

std::string Print(const ShowTagKeysStatement& s) {
  return "SHOW TAG KEYS" + PrintOn(s.database) + PrintSources(" FROM ", s.sources) + PrintWhere(s.condition) +
         PrintLimitOffset(s.limit, s.offset);
}

std::string PrintKeyFilter(const ShowTagValuesStatement& s) {
  switch (s.key_op) {
    case KeyOp::kEqRegex: return "=~ " + PrintRegex(s.key_regex);
    case KeyOp::kNeqRegex: return "!~ " + PrintRegex(s.key_regex);
    case KeyOp::kEq: return "= " + (s.keys.empty() ? QuoteIdent("") : QuoteIdent(s.keys[0]));
    case KeyOp::kNeq: return "!= " + (s.keys.empty() ? QuoteIdent("") : QuoteIdent(s.keys[0]));
    case KeyOp::kIn: break;
  }
  std::string text = "IN (";
  for (size_t i = 0; i < s.keys.size(); ++i) text += (i == 0 ? "" : ", ") + QuoteIdent(s.keys[i]);
  return text + ")";
}

std::string Print(const ShowTagValuesStatement& s) {
  return "SHOW TAG VALUES" + PrintOn(s.database) + PrintSources(" FROM ", s.sources) + " WITH KEY " +
         PrintKeyFilter(s) + PrintWhere(s.condition) + PrintLimitOffset(s.limit, s.offset);
}

std::string Print(const ShowFieldKeysStatement& s) {
  return "SHOW FIELD KEYS" + PrintOn(s.database) + PrintSources(" FROM ", s.sources) +
         PrintLimitOffset(s.limit, s.offset);
}

std::string Print(const ShowSeriesStatement& s) {
  return "SHOW SERIES" + PrintOn(s.database) + PrintSources(" FROM ", s.sources) + PrintWhere(s.condition) +
         PrintLimitOffset(s.limit, s.offset);
}

std::string Print(const CreateDatabaseStatement& s) {
  std::string options;
  if (s.duration_ns) options += " DURATION " + (*s.duration_ns == 0 ? "INF" : FormatDuration(*s.duration_ns));
  if (s.replication) options += " REPLICATION " + std::to_string(*s.replication);
  if (s.shard_duration_ns) options += " SHARD DURATION " + FormatDuration(*s.shard_duration_ns);
  if (!s.retention_policy_name.empty()) options += " NAME " + QuoteIdent(s.retention_policy_name);
  return "CREATE DATABASE " + QuoteIdent(s.name) + (options.empty() ? "" : " WITH" + options);
}

// InfluxDB's binaryExprNameVisitor: references and calls, left to right, not inside calls.
void CollectNames(const Expr& expr, std::vector<std::string>* names) {
  if (const auto* ref = std::get_if<VarRef>(&expr.node)) {
    names->push_back(ref->name);
  } else if (const auto* call = std::get_if<Call>(&expr.node)) {
    names->push_back(call->name);
  } else if (const auto* binary = std::get_if<Binary>(&expr.node)) {
    CollectNames(*binary->lhs, names);
    CollectNames(*binary->rhs, names);
  }
}

}  // namespace

std::string ToString(const Expr& expr) { return std::visit(ExprPrinter{}, expr.node); }

std::string ToString(const Statement& statement) {
  return std::visit([](const auto& s) { return Print(s); }, statement);
}

std::string DefaultColumnName(const Field& field) {
  if (!field.alias.empty()) return field.alias;
  std::vector<std::string> names;
  CollectNames(field.expr, &names);
  std::string name;
  for (size_t i = 0; i < names.size(); ++i) name += (i == 0 ? "" : "_") + names[i];
  return name;
}

}  // namespace zhizao::query::influxql
