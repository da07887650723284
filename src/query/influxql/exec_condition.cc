#include "query/influxql/exec_condition.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <limits>

#include "common/time_format.h"
#include "query/influxql/exec_internal.h"

namespace zhizao::query::influxql::internal {

struct Condition::Node {
  enum class Kind : uint8_t { kTrue, kAnd, kOr, kEquals, kRegex, kField };
  Kind kind = Kind::kTrue;
  bool negate = false;  // != and !~
  std::unique_ptr<Node> lhs, rhs;
  std::string key, value;
  std::shared_ptr<re2::RE2> regex;
  BinaryOp op = BinaryOp::kEq;  // kField: the comparison, with the field on the left
  ResultValue literal;          // kField: a double, bool or string (regex: `regex` instead)
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
  std::vector<std::string> fields;  // the fields compared, in order of appearance

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
      return Field(ref->name, op, *literal, expr);
    }
    return Tag(ref->name, op, *literal, expr);
  }

  Result<std::unique_ptr<Node>> Field(const std::string& name, BinaryOp op, const Expr& literal, const Expr& whole) {
    auto node = std::make_unique<Node>();
    node->kind = Node::Kind::kField;
    node->key = name;
    node->op = op;
    if (const auto* re = std::get_if<RegexLiteral>(&literal.node)) {
      ZZ_ASSIGN_OR_RETURN(node->regex, CompileRegex(re->pattern));
    } else if (const auto* i = std::get_if<IntegerLiteral>(&literal.node)) {
      node->literal = static_cast<double>(i->value);
    } else if (const auto* n = std::get_if<NumberLiteral>(&literal.node)) {
      node->literal = n->value;
    } else if (const auto* b = std::get_if<BooleanLiteral>(&literal.node)) {
      node->literal = b->value;
    } else if (const auto* text = std::get_if<StringLiteral>(&literal.node)) {
      node->literal = text->value;
    } else {
      return Status::InvalidArgument("invalid condition " + ToString(whole) + ": compare a field with a literal");
    }
    if ((op == BinaryOp::kEqRegex || op == BinaryOp::kNeqRegex) != (node->regex != nullptr)) {
      return Status::InvalidArgument("invalid condition " + ToString(whole) + ": =~ and !~ take a regex");
    }
    fields.push_back(name);
    return node;
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

template <typename T>
bool Compare(BinaryOp op, const T& a, const T& b) {
  switch (op) {
    case BinaryOp::kEq: return a == b;
    case BinaryOp::kNeq: return a != b;
    case BinaryOp::kLt: return a < b;
    case BinaryOp::kLte: return a <= b;
    case BinaryOp::kGt: return a > b;
    case BinaryOp::kGte: return a >= b;
    default: return false;
  }
}

// A field comparison on one row; a missing value or a pair of unlike types is false.
bool EvalField(const Node& node, const ResultValue* value) {
  if (value == nullptr) return false;
  if (const auto* text = std::get_if<std::string>(value)) {
    if (node.regex) return Search(*node.regex, *text) != (node.op == BinaryOp::kNeqRegex);
    const auto* literal = std::get_if<std::string>(&node.literal);
    return literal != nullptr && Compare(node.op, *text, *literal);
  }
  if (const auto* flag = std::get_if<bool>(value)) {
    const auto* literal = std::get_if<bool>(&node.literal);
    return literal != nullptr && (node.op == BinaryOp::kEq || node.op == BinaryOp::kNeq) &&
           Compare(node.op, *flag, *literal);
  }
  const auto* literal = std::get_if<double>(&node.literal);
  if (literal == nullptr) return false;
  if (const auto* d = std::get_if<double>(value)) return Compare(node.op, *d, *literal);
  if (const auto* i = std::get_if<int64_t>(value)) return Compare(node.op, static_cast<double>(*i), *literal);
  return false;
}

// `field` null: a series-level test, where every field comparison may pass.
bool Eval(const Node& node, const std::vector<std::pair<std::string, std::string>>& tags,
          const Condition::FieldValue* field) {
  static const std::string kEmpty;
  switch (node.kind) {
    case Node::Kind::kTrue: return true;
    case Node::Kind::kAnd: return Eval(*node.lhs, tags, field) && Eval(*node.rhs, tags, field);
    case Node::Kind::kOr: return Eval(*node.lhs, tags, field) || Eval(*node.rhs, tags, field);
    case Node::Kind::kField: return field == nullptr || EvalField(node, (*field)(node.key));
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

const Node* RequiredEquals(const Node& node) {
  if (node.kind == Node::Kind::kEquals && !node.negate && !node.value.empty()) return &node;
  if (node.kind != Node::Kind::kAnd) return nullptr;
  const Node* lhs = RequiredEquals(*node.lhs);
  return lhs != nullptr ? lhs : RequiredEquals(*node.rhs);
}

}  // namespace

Result<int64_t> EvalTime(const Expr& expr, int64_t now_ns) {
  if (const auto* call = std::get_if<Call>(&expr.node)) {
    if (call->name == "now" && call->args.empty()) return now_ns;
  } else if (const auto* text = std::get_if<StringLiteral>(&expr.node)) {
    Result<int64_t> t = ParseRfc3339(text->value);
    // InfluxDB's words: a string that is not RFC 3339 stays a string, which time cannot compare with.
    if (!t.ok()) return Status::InvalidArgument("invalid operation: time and *influxql.StringLiteral are not compatible");
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
  Builder builder{now_ns, is_field, {}, {}};
  ZZ_ASSIGN_OR_RETURN(c.root_, builder.Build(*condition, false));
  c.range_ = builder.range;
  c.fields_ = std::move(builder.fields);
  std::sort(c.fields_.begin(), c.fields_.end());
  c.fields_.erase(std::unique(c.fields_.begin(), c.fields_.end()), c.fields_.end());
  return c;
}

bool Condition::Matches(const std::vector<std::pair<std::string, std::string>>& tags) const {
  return root_ == nullptr || Eval(*root_, tags, nullptr);
}

std::optional<std::pair<std::string, std::string>> Condition::RequiredTag() const {
  const Node* equals = root_ != nullptr ? RequiredEquals(*root_) : nullptr;
  if (equals == nullptr) return std::nullopt;
  return std::pair(equals->key, equals->value);
}

bool Condition::MatchesRow(const std::vector<std::pair<std::string, std::string>>& tags,
                           const FieldValue& field) const {
  return root_ == nullptr || Eval(*root_, tags, &field);
}

void RowFilterSource::AddSeries(const std::vector<TagId>& tags,
                                std::vector<std::pair<std::string, std::string>> series_tags,
                                std::vector<TagId> fields) {
  series_.push_back({std::move(series_tags), std::move(fields)});
  for (TagId tag : tags) series_of_[tag] = series_.size() - 1;
}

namespace {

// Keeps the samples whose `keep` is true, in order.
void Compact(storage::SeriesSamples& s, const std::vector<bool>& keep) {
  size_t out = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!keep[i]) continue;
    s.ts_ns[out] = s.ts_ns[i];
    if (i < s.status.size()) s.status[out] = s.status[i];
    if (i < s.f64.size()) s.f64[out] = s.f64[i];
    if (i < s.i64.size()) s.i64[out] = s.i64[i];
    if (i < s.str.size() && out != i) s.str[out] = std::move(s.str[i]);
    ++out;
  }
  s.ts_ns.resize(out);
  if (s.status.size() > out) s.status.resize(out);
  if (s.f64.size() > out) s.f64.resize(out);
  if (s.i64.size() > out) s.i64.resize(out);
  if (s.str.size() > out) s.str.resize(out);
}

}  // namespace

Status RowFilterSource::Read(TagId tag, int64_t from_ns, int64_t to_ns, storage::SeriesSamples* out) const {
  size_t before = out->size();
  ZZ_RETURN_IF_ERROR(base_.Read(tag, from_ns, to_ns, out));
  auto it = series_of_.find(tag);
  if (it == series_of_.end() || out->size() == before) return Status::Ok();
  const Series& series = series_[it->second];
  // The compared fields over the samples' span: one read each, then a merge by time.
  int64_t from = out->ts_ns[before], to = out->ts_ns.back();
  std::vector<storage::SeriesSamples> fields(series.fields.size());
  for (size_t f = 0; f < fields.size(); ++f) {
    if (series.fields[f] != 0) ZZ_RETURN_IF_ERROR(base_.Read(series.fields[f], from, to, &fields[f]));
  }
  std::vector<size_t> at(fields.size(), 0);
  std::vector<ResultValue> row(fields.size());
  std::vector<const ResultValue*> present(fields.size());
  std::vector<bool> keep(out->size(), true);
  const std::vector<std::string>& names = where_.fields();
  auto value = [&](const std::string& name) -> const ResultValue* {
    auto pos = std::lower_bound(names.begin(), names.end(), name);
    return pos != names.end() && *pos == name ? present[static_cast<size_t>(pos - names.begin())] : nullptr;
  };
  for (size_t i = before; i < out->size(); ++i) {
    int64_t t = out->ts_ns[i];
    for (size_t f = 0; f < fields.size(); ++f) {
      const std::vector<int64_t>& ts = fields[f].ts_ns;
      while (at[f] < ts.size() && ts[at[f]] < t) ++at[f];
      present[f] = nullptr;
      if (at[f] < ts.size() && ts[at[f]] == t) {
        row[f] = SampleValue(fields[f], at[f]);
        present[f] = &row[f];
      }
    }
    keep[i] = where_.MatchesRow(series.tags, value);
  }
  Compact(*out, keep);
  return Status::Ok();
}

Result<std::optional<storage::LastSample>> RowFilterSource::Last(TagId) const {
  return Status::FailedPrecondition("RowFilterSource does not serve Last()");
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
