// What the parser and the printer know about operators, and the checks on a SELECT list that
// InfluxDB makes while parsing: the arity and argument kinds of its functions, and no
// comparison in a field. Private to influxql/.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "query/influxql.h"

namespace zhizao::query::influxql::internal {

// The first comparison or logical operator in `expr`, which a SELECT field may not hold.
std::optional<BinaryOp> FindConditionOperator(const Expr& expr);

// "+", "=~", "AND", ...
std::string_view BinaryOpText(BinaryOp op);

// InfluxDB's binding strength: OR 1, AND 2, comparisons 4, + - 5, * / % 6. Every level groups
// left to right.
int Precedence(BinaryOp op);

// Empty when every call in `expr` has arguments InfluxDB accepts; else its message, e.g.
// "invalid number of arguments for percentile, expected 2, got 1". Functions it does not know
// (abs, round, ...) are left to the executor; their arguments are still checked.
std::string CheckCalls(const Expr& expr);

}  // namespace zhizao::query::influxql::internal
