#include "connect/lineproto/parsed_line.h"

namespace zhizao::connect::lineproto {

std::string_view FieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::kFloat: return "float";
    case FieldType::kInteger: return "integer";
    case FieldType::kUnsigned: return "unsigned";
    case FieldType::kString: return "string";
    case FieldType::kBoolean: return "boolean";
  }
  return "float";
}

}  // namespace zhizao::connect::lineproto
