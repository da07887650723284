// Reads stored history of several tags as one stream in time order, a slice at a time, for
// training and replay: what live scoring saw as it arrived, replayed from the historian.
#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "common/batch.h"
#include "common/status.h"
#include "query/sample_source.h"

namespace zhizao::analytics::registry {

// Receives one good sample of tags[column]; int64 and bool values arrive as doubles.
using SampleVisitor = std::function<void(size_t column, int64_t ts_ns, double value)>;

// Visits the good-quality samples of `tags` with from_ns <= ts < to_ns in time order (ties in
// column order). Samples of uncertain or bad quality are skipped, as live scoring skips them;
// so are string series. Reads one hour of every tag at a time, so memory stays at one slice.
// Errors: those of the source.
Status VisitHistory(const query::SampleSource& source, std::span<const TagId> tags, int64_t from_ns, int64_t to_ns,
                    const SampleVisitor& visit);

}  // namespace zhizao::analytics::registry
