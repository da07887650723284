#include "catalog/model_version.h"

#include <array>
#include <string>

namespace zhizao::catalog {
namespace {

constexpr size_t kMaxCardFieldBytes = 4000;
constexpr size_t kMaxModelIdBytes = 64;
constexpr std::array<std::string_view, 3> kActionNames = {"activate", "rollback", "deactivate"};

bool IsBlank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

Status CheckCardField(std::string_view field, std::string_view value, bool required) {
  if (required && IsBlank(value)) {
    return Status::InvalidArgument("the model card's " + std::string(field) + " must not be blank");
  }
  if (value.size() > kMaxCardFieldBytes) {
    return Status::InvalidArgument("the model card's " + std::string(field) + " has " +
                                   std::to_string(value.size()) + " bytes; at most " +
                                   std::to_string(kMaxCardFieldBytes) + " are allowed");
  }
  return Status::Ok();
}

bool IsIdStart(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsIdChar(char c) { return IsIdStart(c) || c == '-' || c == '_' || c == '.'; }

}  // namespace

Status ValidateModelCard(const ModelCard& card) {
  ZZ_RETURN_IF_ERROR(CheckCardField("intended_use", card.intended_use, true));
  ZZ_RETURN_IF_ERROR(CheckCardField("limitations", card.limitations, true));
  ZZ_RETURN_IF_ERROR(CheckCardField("evaluation", card.evaluation, false));
  return CheckCardField("owner", card.owner, false);
}

Status ValidateModelId(std::string_view model_id) {
  if (model_id.empty() || model_id.size() > kMaxModelIdBytes) {
    return Status::InvalidArgument("model id '" + std::string(model_id) + "' must have 1 to 64 characters");
  }
  if (!IsIdStart(model_id.front())) {
    return Status::InvalidArgument("model id '" + std::string(model_id) +
                                   "' must start with a lower-case letter or a digit");
  }
  for (char c : model_id) {
    if (!IsIdChar(c)) {
      return Status::InvalidArgument("model id '" + std::string(model_id) +
                                     "' may hold only lower-case letters, digits, '-', '_' and '.'");
    }
  }
  return Status::Ok();
}

std::string_view ModelActivationActionName(ModelActivation::Action action) {
  return kActionNames[static_cast<size_t>(action)];
}

}  // namespace zhizao::catalog
