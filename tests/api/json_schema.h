// A JSON Schema validator for the subset the API document uses: type (a name or an array of
// names, "integer" a subset of "number"), properties, required, additionalProperties (a schema
// or false), items, enum, oneOf (exactly one must match), minimum, maximum, and $ref to
// "#/components/schemas/<name>". Test code: it returns the first violation found, by JSON path.
//
// Stricter than JSON Schema in one way, so that the document cannot fall behind the code: an
// object schema with "properties" and no "additionalProperties" admits no other keys.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace zhizao::api::testing {

class SchemaValidator {
 public:
  // REQUIRES: `document` (the OpenAPI document, for $ref) outlives the validator.
  explicit SchemaValidator(const nlohmann::json& document) : document_(document) {}

  // "" when `value` satisfies `schema`; else the first violation, "$.a[2].b: expected integer".
  std::string Validate(const nlohmann::json& value, const nlohmann::json& schema, const std::string& path = "$") const;

 private:
  const nlohmann::json& Resolve(const nlohmann::json& schema) const;
  std::string ValidateObject(const nlohmann::json& value, const nlohmann::json& schema, const std::string& path) const;

  const nlohmann::json& document_;
};

}  // namespace zhizao::api::testing
