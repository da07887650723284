// Test helper: the NewSeries that makes one tag for `name` (Catalog::CreateSeries,
// SeriesIndex::Create), as a writer that sends each field on a line of its own would ask.
#pragma once

#include "catalog/model.h"

namespace zhizao::catalog {

inline NewSeries OneField(const SeriesName& name, DataType type = DataType::kFloat64) {
  return {.database = name.database, .measurement = name.measurement, .tags = name.tags,
          .series_key = name.series_key, .fields = {{name.field, type}}};
}

}  // namespace zhizao::catalog
