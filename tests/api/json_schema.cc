#include "json_schema.h"

#include <cmath>
#include <stdexcept>

namespace zhizao::api::testing {
namespace {

using nlohmann::json;

bool HasType(const json& value, const std::string& type) {
  if (type == "null") return value.is_null();
  if (type == "boolean") return value.is_boolean();
  if (type == "string") return value.is_string();
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "number") return value.is_number();
  if (type == "integer") {
    return value.is_number_integer() || (value.is_number_float() && std::trunc(value.get<double>()) == value.get<double>());
  }
  throw std::invalid_argument("schema names an unknown type: " + type);
}

}  // namespace

const json& SchemaValidator::Resolve(const json& schema) const {
  const json* s = &schema;
  while (s->is_object() && s->contains("$ref")) {
    std::string ref = (*s)["$ref"].get<std::string>();
    const std::string prefix = "#/components/schemas/";
    if (ref.rfind(prefix, 0) != 0) throw std::invalid_argument("unsupported $ref " + ref);
    s = &document_.at("components").at("schemas").at(ref.substr(prefix.size()));
  }
  return *s;
}

std::string SchemaValidator::Validate(const json& value, const json& raw_schema, const std::string& path) const {
  const json& schema = Resolve(raw_schema);
  if (schema.contains("type")) {
    const json& type = schema["type"];
    bool ok = false;
    if (type.is_string()) {
      ok = HasType(value, type.get<std::string>());
    } else {
      for (const json& t : type) ok = ok || HasType(value, t.get<std::string>());
    }
    if (!ok) return path + ": expected type " + type.dump() + ", got " + value.dump().substr(0, 80);
  }
  if (schema.contains("enum")) {
    bool found = false;
    for (const json& e : schema["enum"]) found = found || e == value;
    if (!found) return path + ": " + value.dump() + " is not one of " + schema["enum"].dump();
  }
  if (schema.contains("minimum") && value.is_number() && value.get<double>() < schema["minimum"].get<double>()) {
    return path + ": below the minimum " + schema["minimum"].dump();
  }
  if (schema.contains("maximum") && value.is_number() && value.get<double>() > schema["maximum"].get<double>()) {
    return path + ": above the maximum " + schema["maximum"].dump();
  }
  if (schema.contains("oneOf")) {
    int matches = 0;
    std::string failures;
    for (const json& option : schema["oneOf"]) {
      std::string problem = Validate(value, option, path);
      if (problem.empty()) ++matches;
      else failures += " [" + problem + "]";
    }
    if (matches != 1) return path + ": matches " + std::to_string(matches) + " of oneOf, not exactly one:" + failures;
  }
  if (value.is_object()) return ValidateObject(value, schema, path);
  if (value.is_array() && schema.contains("items")) {
    for (size_t i = 0; i < value.size(); ++i) {
      std::string problem = Validate(value[i], schema["items"], path + "[" + std::to_string(i) + "]");
      if (!problem.empty()) return problem;
    }
  }
  return "";
}

std::string SchemaValidator::ValidateObject(const json& value, const json& schema, const std::string& path) const {
  if (schema.contains("required")) {
    for (const json& name : schema["required"]) {
      if (!value.contains(name.get<std::string>())) return path + ": missing required " + name.get<std::string>();
    }
  }
  const json* properties = schema.contains("properties") ? &schema["properties"] : nullptr;
  for (const auto& [key, field] : value.items()) {
    std::string at = path + "." + key;
    if (properties != nullptr && properties->contains(key)) {
      std::string problem = Validate(field, (*properties)[key], at);
      if (!problem.empty()) return problem;
    } else if (schema.contains("additionalProperties")) {
      const json& extra = schema["additionalProperties"];
      if (extra.is_boolean() && !extra.get<bool>()) return at + ": not allowed";
      if (extra.is_object()) {
        std::string problem = Validate(field, extra, at);
        if (!problem.empty()) return problem;
      }
    } else if (properties != nullptr) {
      return at + ": not in the schema's properties";
    }
  }
  return "";
}

}  // namespace zhizao::api::testing
