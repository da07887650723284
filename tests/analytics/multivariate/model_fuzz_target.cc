#include "model_fuzz_target.h"

#include <cstdlib>
#include <string_view>
#include <vector>

#include "analytics/multivariate/model.h"

namespace zhizao::analytics::multivariate {

void FuzzModelLoad(const uint8_t* data, size_t size) {
  const std::string_view blob(reinterpret_cast<const char*>(data), size);
  auto model = Model::Load(blob);
  if (!model.ok()) return;
  if (model->Save() != blob) std::abort();
  Scorer scorer(*model);
  const std::vector<double> row(model->variable_names().size(), 0.5);
  for (size_t i = 0; i < model->window() + 1; ++i) (void)scorer.Push(row);
}

}  // namespace zhizao::analytics::multivariate
