// Small operations on SeriesSamples that the engine's head, merge and reads share.
#pragma once

#include <iterator>
#include <string>
#include <utility>

#include "common/batch.h"
#include "common/status.h"
#include "storage/encoding/series_samples.h"

namespace zhizao::storage {

// InvalidArgument naming both types when a source of `tag` holds samples of another type than
// the read's.
inline Status CheckSampleType(const SeriesSamples& samples, DataType type, TagId tag) {
  if (samples.type == type) return Status::Ok();
  return Status::InvalidArgument("tag " + std::to_string(tag) + " holds " + std::string(DataTypeName(samples.type)) +
                                 " samples, not " + std::string(DataTypeName(type)));
}

// Appends sample `i` of `from` to `to`. REQUIRES: same type; i < from.size().
inline void AppendSample(SeriesSamples& to, const SeriesSamples& from, size_t i) {
  to.ts_ns.push_back(from.ts_ns[i]);
  to.status.push_back(from.status[i]);
  switch (from.type) {
    case DataType::kFloat64: to.f64.push_back(from.f64[i]); break;
    case DataType::kInt64:
    case DataType::kBool: to.i64.push_back(from.i64[i]); break;
    case DataType::kString: to.str.push_back(from.str[i]); break;
  }
}

// Appends every sample of `from` to `to`, moving them (from is left valid but unspecified).
// REQUIRES: same type.
inline void MoveAllSamples(SeriesSamples& to, SeriesSamples&& from) {
  if (to.size() == 0) {
    std::swap(to, from);
    return;
  }
  to.ts_ns.insert(to.ts_ns.end(), from.ts_ns.begin(), from.ts_ns.end());
  to.status.insert(to.status.end(), from.status.begin(), from.status.end());
  to.f64.insert(to.f64.end(), from.f64.begin(), from.f64.end());
  to.i64.insert(to.i64.end(), from.i64.begin(), from.i64.end());
  to.str.insert(to.str.end(), std::make_move_iterator(from.str.begin()), std::make_move_iterator(from.str.end()));
}

// The value of sample `i`; a string value reads as Value::StringAt(0) (its text is in str[i]).
inline Value ValueAt(const SeriesSamples& s, size_t i) {
  switch (s.type) {
    case DataType::kFloat64: return Value::Float64(s.f64[i]);
    case DataType::kInt64: return Value::Int64(s.i64[i]);
    case DataType::kBool: return Value::Bool(s.i64[i] != 0);
    case DataType::kString: return Value::StringAt(0);
  }
  return Value();
}

}  // namespace zhizao::storage
