#include "query/influxql/functions.h"

#include <algorithm>
#include <iterator>

namespace zhizao::query::influxql::internal {
namespace {

// What a function's first argument must be.
enum class First : uint8_t {
  kField,           // a field, `*` or a regex: mean(x), max(/^t/)
  kFieldOrCall,     // that or a nested call: derivative(mean(x)), difference(x)
  kAny,             // checked elsewhere, or not at all
};

struct Signature {
  std::string_view name;
  size_t min_args;
  size_t max_args;  // kUnbounded: no upper bound
  First first;
};

constexpr size_t kUnbounded = static_cast<size_t>(-1);

// InfluxDB 1.8's functions whose arity it checks while compiling a query.
constexpr Signature kSignatures[] = {
    {"bottom", 2, kUnbounded, First::kAny},
    {"count", 1, 1, First::kField},
    {"cumulative_sum", 1, 1, First::kFieldOrCall},
    {"derivative", 1, 2, First::kFieldOrCall},
    {"difference", 1, 1, First::kFieldOrCall},
    {"distinct", 1, 1, First::kField},
    {"elapsed", 1, 2, First::kFieldOrCall},
    {"first", 1, 1, First::kField},
    {"holt_winters", 3, 3, First::kAny},
    {"holt_winters_with_fit", 3, 3, First::kAny},
    {"integral", 1, 2, First::kField},
    {"last", 1, 1, First::kField},
    {"max", 1, 1, First::kField},
    {"mean", 1, 1, First::kField},
    {"median", 1, 1, First::kField},
    {"min", 1, 1, First::kField},
    {"mode", 1, 1, First::kField},
    {"moving_average", 2, 2, First::kFieldOrCall},
    {"non_negative_derivative", 1, 2, First::kFieldOrCall},
    {"non_negative_difference", 1, 1, First::kFieldOrCall},
    {"percentile", 2, 2, First::kField},
    {"sample", 2, 2, First::kField},
    {"spread", 1, 1, First::kField},
    {"stddev", 1, 1, First::kField},
    {"sum", 1, 1, First::kField},
    {"top", 2, kUnbounded, First::kAny},
};

const Signature* FindSignature(std::string_view name) {
  const auto* it = std::find_if(std::begin(kSignatures), std::end(kSignatures),
                                [&](const Signature& s) { return s.name == name; });
  return it == std::end(kSignatures) ? nullptr : it;
}

bool IsFieldLike(const Expr& e) {
  return std::holds_alternative<VarRef>(e.node) || std::holds_alternative<Wildcard>(e.node) ||
         std::holds_alternative<RegexLiteral>(e.node);
}

bool IsCallNamed(const Expr& e, std::string_view name) {
  const auto* call = std::get_if<Call>(&e.node);
  return call != nullptr && call->name == name;
}

std::string ArityError(const Signature& s, size_t got) {
  std::string expected;
  if (s.min_args == s.max_args) {
    expected = std::to_string(s.min_args);
  } else if (s.max_args == kUnbounded) {
    expected = "at least " + std::to_string(s.min_args);
  } else {
    expected = "at least " + std::to_string(s.min_args) + " but no more than " + std::to_string(s.max_args);
  }
  return "invalid number of arguments for " + std::string(s.name) + ", expected " + expected + ", got " +
         std::to_string(got);
}

// top(field, [tag, ...,] N) and bottom(...).
std::string CheckTopBottom(const Call& call) {
  const Expr& last = call.args.back();
  if (!std::holds_alternative<IntegerLiteral>(last.node)) {
    return "expected integer as last argument in " + call.name + "(), found " + ToString(last);
  }
  if (!std::holds_alternative<VarRef>(call.args.front().node)) {
    return "expected first argument to be a field in " + call.name + "(), found " + ToString(call.args.front());
  }
  for (size_t i = 1; i + 1 < call.args.size(); ++i) {
    if (!std::holds_alternative<VarRef>(call.args[i].node)) {
      return "only fields or tags are allowed in " + call.name + "(), found " + ToString(call.args[i]);
    }
  }
  return "";
}

// The arguments after the first.
std::string CheckTrailingArgs(const Call& call) {
  if (call.name == "top" || call.name == "bottom") return CheckTopBottom(call);
  if (call.args.size() < 2) return "";
  const Expr& second = call.args[1];
  if (call.name == "percentile" && !std::holds_alternative<IntegerLiteral>(second.node) &&
      !std::holds_alternative<NumberLiteral>(second.node)) {
    return "expected float argument in percentile()";
  }
  if (call.name == "sample" && !std::holds_alternative<IntegerLiteral>(second.node)) {
    return "expected integer argument in sample()";
  }
  if (call.name == "moving_average") {
    const auto* n = std::get_if<IntegerLiteral>(&second.node);
    if (n == nullptr) return "second argument for moving_average must be an integer";
    if (n->value <= 1) return "moving_average window must be greater than 1, got " + std::to_string(n->value);
  }
  const bool wants_unit = call.name == "derivative" || call.name == "non_negative_derivative" ||
                          call.name == "elapsed" || call.name == "integral";
  if (wants_unit && !std::holds_alternative<DurationLiteral>(second.node)) {
    return "second argument to " + call.name + " must be a duration";
  }
  return "";
}

std::string CheckCall(const Call& call) {
  const Signature* signature = FindSignature(call.name);
  if (signature != nullptr) {
    if (call.name == "distinct" && call.args.empty()) return "distinct function requires at least one argument";
    if (call.name == "distinct" && call.args.size() > 1) return "distinct function can only have one argument";
    const size_t n = call.args.size();
    if (n < signature->min_args || n > signature->max_args) return ArityError(*signature, n);
    const Expr& first = call.args.front();
    const bool field_ok = IsFieldLike(first) || (call.name == "count" && IsCallNamed(first, "distinct"));
    const bool call_ok = signature->first == First::kFieldOrCall && std::holds_alternative<Call>(first.node);
    if (signature->first != First::kAny && !field_ok && !call_ok) {
      return "expected field argument in " + call.name + "()";
    }
    std::string trailing = CheckTrailingArgs(call);
    if (!trailing.empty()) return trailing;
  }
  for (const Expr& arg : call.args) {
    std::string nested = CheckCalls(arg);
    if (!nested.empty()) return nested;
  }
  return "";
}

}  // namespace

std::string_view BinaryOpText(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd: return "+";
    case BinaryOp::kSub: return "-";
    case BinaryOp::kMul: return "*";
    case BinaryOp::kDiv: return "/";
    case BinaryOp::kMod: return "%";
    case BinaryOp::kEq: return "=";
    case BinaryOp::kNeq: return "!=";
    case BinaryOp::kLt: return "<";
    case BinaryOp::kLte: return "<=";
    case BinaryOp::kGt: return ">";
    case BinaryOp::kGte: return ">=";
    case BinaryOp::kEqRegex: return "=~";
    case BinaryOp::kNeqRegex: return "!~";
    case BinaryOp::kAnd: return "AND";
    case BinaryOp::kOr: return "OR";
  }
  return "?";
}

int Precedence(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr: return 1;
    case BinaryOp::kAnd: return 2;
    case BinaryOp::kAdd:
    case BinaryOp::kSub: return 5;
    case BinaryOp::kMul:
    case BinaryOp::kDiv:
    case BinaryOp::kMod: return 6;
    default: return 4;  // comparisons
  }
}

std::optional<BinaryOp> FindConditionOperator(const Expr& expr) {
  if (const auto* binary = std::get_if<Binary>(&expr.node)) {
    switch (binary->op) {
      case BinaryOp::kAdd:
      case BinaryOp::kSub:
      case BinaryOp::kMul:
      case BinaryOp::kDiv:
      case BinaryOp::kMod:
        break;
      default:
        return binary->op;
    }
    if (auto op = FindConditionOperator(*binary->lhs)) return op;
    return FindConditionOperator(*binary->rhs);
  }
  if (const auto* call = std::get_if<Call>(&expr.node)) {
    for (const Expr& arg : call->args) {
      if (auto op = FindConditionOperator(arg)) return op;
    }
  }
  return std::nullopt;
}

std::string CheckCalls(const Expr& expr) {
  if (const auto* call = std::get_if<Call>(&expr.node)) return CheckCall(*call);
  if (const auto* binary = std::get_if<Binary>(&expr.node)) {
    std::string lhs = CheckCalls(*binary->lhs);
    return lhs.empty() ? CheckCalls(*binary->rhs) : lhs;
  }
  return "";
}

}  // namespace zhizao::query::influxql::internal
