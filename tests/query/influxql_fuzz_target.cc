#include "influxql_fuzz_target.h"

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "common/check.h"
#include "query/influxql.h"

namespace zhizao::query::influxql {
namespace {

std::string PrintAll(const std::vector<Statement>& statements) {
  std::string text;
  for (const Statement& statement : statements) text += ToString(statement) + ";\n";
  return text;
}

}  // namespace

void FuzzInfluxQL(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Result<std::vector<Statement>> parsed = ParseInfluxQL(text);
  if (!parsed.ok()) {
    const Status status = parsed.status();
    ZZ_CHECK(status.code() == StatusCode::kInvalidArgument, "a parse error must be InvalidArgument");
    ZZ_CHECK(status.message().starts_with("error parsing query: "), "a parse error must say so");
    return;
  }
  for (const Statement& statement : *parsed) {
    if (const auto* select = std::get_if<SelectStatement>(&statement)) {
      ZZ_CHECK(!select->fields.empty() && !select->sources.empty(), "a SELECT has fields and sources");
      for (const Field& field : select->fields) (void)DefaultColumnName(field);
    }
  }
  const std::string printed = PrintAll(*parsed);
  Result<std::vector<Statement>> again = ParseInfluxQL(printed);
  if (!again.ok() || again->size() != parsed->size() || PrintAll(*again) != printed) {
    std::fprintf(stderr, "input:   %.*s\nprinted: %s\nagain:   %s\n", static_cast<int>(text.size()), text.data(),
                 printed.c_str(), again.ok() ? PrintAll(*again).c_str() : again.status().message().c_str());
    ZZ_CHECK(false, "printed statements must parse back to the same statements");
  }
}

}  // namespace zhizao::query::influxql
