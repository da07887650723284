#include "query/influxql/exec_condition.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <limits>

#include "common/time_format.h"

namespace zhizao::query::influxql::internal {

struct Condition::Node {
  enum class Kind : uint8_t { kTrue, kAnd, kOr, kEquals, kRegex };
  Kind kind = Kind::kTrue;
  bool negate = false;  // != and !~
  std::unique_ptr<Node> lhs, rhs;
  std::string key, value;
  std::shared_ptr<re2::RE2> regex;
};

namespace {

using Node = Condition::Node;

bool IsTime(const Expr& e) {
  const auto* ref = std::get_if<VarRef>(&e.node);
  if (ref == nullptr || ref->name.size() != 4) return false;
  std::string lower = ref->name;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "time";
}

bool IsComparison(BinaryOp op) {
  return op == BinaryOp::kEq || op == BinaryOp::kNeq || op == BinaryOp::kLt || op == BinaryOp::kLte ||
         op == BinaryOp::kGt || op == BinaryOp::kGte || op == BinaryOp::kEqRegex || op == BinaryOp::kNeqRegex;
}

// `5 < time` reads as `time > 5`.
BinaryOp Mirror(BinaryOp op) {
  switch (op) {
    case BinaryOp::kLt: return BinaryOp::kGt;
    case BinaryOp::kLte: return BinaryOp::kGte;
    case BinaryOp::kGt: return BinaryOp::kLt;
    case BinaryOp::kGte: return BinaryOp::kLte;
    default: return op;
  }
}

int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t out = 0;
  if (!__builtin_add_overflow(a, b, &out)) return out;
  return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}

Status Narrow(TimeRange& range, BinaryOp op, int64_t t) {
  switch (op) {
    case BinaryOp::kGt: t = SaturatingAdd(t, 1); [[fallthrough]];
    case BinaryOp::kGte:
      range.from_ns = std::max(range.from_ns, t);
      range.has_from = true;
      return Status::Ok();
    case BinaryOp::kLt: t = SaturatingAdd(t, -1); [[fallthrough]];
    case BinaryOp::kLte:
      range.to_ns = std::min(range.to_ns, t);
      range.has_to = true;
      return Status::Ok();
    case BinaryOp::kEq:
      range.from_ns = std::max(range.from_ns, t);
      range.to_ns = std::min(range.to_ns, t);
      range.has_from = range.has_to = true;
      return Status::Ok();
    default: return Status::InvalidArgument("invalid operator on time: use =, <, <=, > or >=");
  }
}

struct Builder {
  int64_t now_ns;
  const Condition::IsField& is_field;
  TimeRange range;

  Result<std::unique_ptr<Node>> Build(const Expr& expr, bool under_or) {
    const auto* binary = std::get_if<Binary>(&expr.node);
    if (binary == nullptr) {
      return Status::InvalidArgument("invalid condition " + ToString(expr) + ": expected a comparison");
    }
    if (binary->op == BinaryOp::kAnd || binary->op == BinaryOp::kOr) {
      bool is_or = binary->op == BinaryOp::kOr;
      ZZ_ASSIGN_OR_RETURN(std::unique_ptr<Node> lhs, Build(*binary->lhs, under_or || is_or));
      ZZ_ASSIGN_OR_RETURN(std::unique_ptr<Node> rhs, Build(*binary->rhs, under_or || is_or));
      auto node = std::make_unique<Node>();
      node->kind = is_or ? Node::Kind::kOr : Node::Kind::kAnd;
      node->lhs = std::move(lhs);
      node->rhs = std::move(rhs);
      return node;
    }
    if (!IsComparison(binary->op)) {
      return Status::InvalidArgument("invalid condition " + ToString(expr) + ": expected a comparison");
    }
    const Expr* var = binary->lhs.get();
    const Expr* literal = binary->rhs.get();
    BinaryOp op = binary->op;
    if (std::get_if<VarRef>(&var->node) == nullptr) {
      std::swap(var, literal);
      op = Mirror(op);
    }
    if (IsTime(*var)) return Time(op, *literal, under_or);
    const auto* ref = std::get_if<VarRef>(&var->node);
    if (ref == nullptr) {
      return Status::InvalidArgument("invalid condition " + ToString(expr) + ": compare a tag or time");
    }
    if (ref->type == VarType::kField || (ref->type != VarType::kTag && is_field(ref->name))) {
      return Status::InvalidArgument("conditions on fields (" + ToString(expr) +
                                     ") are not supported yet: filter on tags and time");
    }
    return Tag(ref->name, op, *literal, expr);
  }

  Result<std::unique_ptr<Node>> Time(BinaryOp op, const Expr& literal, bool under_or) {
    if (under_or) return Status::InvalidArgument("invalid time condition: time may not be compared under OR");
    ZZ_ASSIGN_OR_RETURN(int64_t t, EvalTime(literal, now_ns));
    ZZ_RETURN_IF_ERROR(Narrow(range, op, t));
    return std::make_unique<Node>();  // kTrue: the range carries it
  }

  Result<std::unique_ptr<Node>> Tag(const std::string& key, BinaryOp op, const Expr& literal, const Expr& whole) {
    auto node = std::make_unique<Node>();
    node->key = key;
    if (op == BinaryOp::kEqRegex || op == BinaryOp::kNeqRegex) {
      const auto* re = std::get_if<RegexLiteral>(&literal.node);
      if (re == nullptr) return Status::InvalidArgument("invalid condition " + ToString(whole) + ": expected a regex");
      ZZ_ASSIGN_OR_RETURN(node->regex, CompileRegex(re->pattern));
      node->kind = Node::Kind::kRegex;
      node->negate = op == BinaryOp::kNeqRegex;
      return node;
    }
    if (op != BinaryOp::kEq && op != BinaryOp::kNeq) {
      return Status::InvalidArgument("invalid condition " + ToString(whole) + ": tags compare with = != =~ !~");
    }
    const auto* text = std::get_if<StringLiteral>(&literal.node);
    if (text == nullptr) {
      return Status::InvalidArgument("invalid condition " + ToString(whole) + ": compare a tag with a 'string'");
    }
    node->kind = Node::Kind::kEquals;
    node->value = text->value;
    node->negate = op == BinaryOp::kNeq;
    return node;
  }
};

const std::string* TagValue(const std::vector<std::pair<std::string, std::string>>& tags, const std::string& key) {
  auto it = std::lower_bound(tags.begin(), tags.end(), key,
                             [](const auto& tag, const std::string& k) { return tag.first < k; });
  return it != tags.end() && it->first == key ? &it->second : nullptr;
}

bool Eval(const Node& node, const std::vector<std::pair<std::string, std::string>>& tags) {
  static const std::string kEmpty;
  switch (node.kind) {
    case Node::Kind::kTrue: return true;
    case Node::Kind::kAnd: return Eval(*node.lhs, tags) && Eval(*node.rhs, tags);
    case Node::Kind::kOr: return Eval(*node.lhs, tags) || Eval(*node.rhs, tags);
    case Node::Kind::kEquals: {
      const std::string* v = TagValue(tags, node.key);
      return ((v != nullptr ? *v : kEmpty) == node.value) != node.negate;
    }
    case Node::Kind::kRegex: {
      const std::string* v = TagValue(tags, node.key);
      return Search(*node.regex, v != nullptr ? *v : kEmpty) != node.negate;
    }
  }
  return false;
}

}  // namespace

Result<int64_t> EvalTime(const Expr& expr, int64_t now_ns) {
  if (const auto* call = std::get_if<Call>(&expr.node)) {
    if (call->name == "now" && call->args.empty()) return now_ns;
  } else if (const auto* text = std::get_if<StringLiteral>(&expr.node)) {
    Result<int64_t> t = ParseRfc3339(text->value);
    if (!t.ok()) return Status::InvalidArgument("invalid time '" + text->value + "': use RFC 3339");
    return t;
  } else if (const auto* integer = std::get_if<IntegerLiteral>(&expr.node)) {
    return integer->value;
  } else if (const auto* number = std::get_if<NumberLiteral>(&expr.node)) {
    return static_cast<int64_t>(number->value);
  } else if (const auto* duration = std::get_if<DurationLiteral>(&expr.node)) {
    return duration->ns;
  } else if (const auto* binary = std::get_if<Binary>(&expr.node)) {
    if (binary->op == BinaryOp::kAdd || binary->op == BinaryOp::kSub) {
      ZZ_ASSIGN_OR_RETURN(int64_t lhs, EvalTime(*binary->lhs, now_ns));
      ZZ_ASSIGN_OR_RETURN(int64_t rhs, EvalTime(*binary->rhs, now_ns));
      if (binary->op == BinaryOp::kSub) {
        rhs = rhs == std::numeric_limits<int64_t>::min() ? std::numeric_limits<int64_t>::max() : -rhs;
      }
      return SaturatingAdd(lhs, rhs);
    }
  }
  return Status::InvalidArgument("invalid time expression " + ToString(expr));
}

Condition::Condition() = default;
Condition::~Condition() = default;
Condition::Condition(Condition&&) noexcept = default;
Condition& Condition::operator=(Condition&&) noexcept = default;

Result<Condition> Condition::Compile(const Expr* condition, int64_t now_ns, const IsField& is_field) {
  Condition c;
  if (condition == nullptr) return c;
  Builder builder{now_ns, is_field, {}};
  ZZ_ASSIGN_OR_RETURN(c.root_, builder.Build(*condition, false));
  c.range_ = builder.range;
  return c;
}

bool Condition::Matches(const std::vector<std::pair<std::string, std::string>>& tags) const {
  return root_ == nullptr || Eval(*root_, tags);
}

Result<std::shared_ptr<re2::RE2>> CompileRegex(const std::string& pattern) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<re2::RE2>(pattern, options);
  if (!re->ok()) return Status::InvalidArgument("invalid regex /" + pattern + "/: " + re->error());
  return re;
}

bool Search(const re2::RE2& re, const std::string& text) { return re2::RE2::PartialMatch(text, re); }

}  // namespace zhizao::query::influxql::internal
