#include "query/query_options.h"

#include <string>

namespace zhizao::query {

Result<QualityPolicy> ParseQualityPolicy(std::string_view name) {
  for (QualityPolicy p : {QualityPolicy::kGoodAndUncertain, QualityPolicy::kGoodOnly, QualityPolicy::kAll}) {
    if (name == QualityPolicyName(p)) return p;
  }
  return Status::InvalidArgument("unknown quality policy \"" + std::string(name) +
                                 "\" (expected good_and_uncertain, good_only or all)");
}

std::string_view QualityPolicyName(QualityPolicy policy) {
  switch (policy) {
    case QualityPolicy::kGoodAndUncertain: return "good_and_uncertain";
    case QualityPolicy::kGoodOnly: return "good_only";
    case QualityPolicy::kAll: return "all";
  }
  return "?";
}

Status LimitExceeded(std::string_view verb, int64_t limit, std::string_view name) {
  return Status::ResourceExhausted("query would " + std::string(verb) + " more than " + std::to_string(limit) +
                                   " points (" + std::string(name) + ")");
}

}  // namespace zhizao::query
