// InfluxDB 1.x's JSON answer to /query, written straight into a string: the results of an
// InfluxQL run as {"results":[{"statement_id":0,"series":[{"name":…,"tags":{…},"columns":[…],
// "values":[[…],…]}]}]}, keys in InfluxDB's order.
//
// Why not nlohmann::json: building a json value per cell (an allocation each) and formatting it
// cost more than the query for a few thousand rows. The text is the one nlohmann's compact dump
// wrote before (tests/api/influx_json_test.cc compares them on random results): the same
// escaping (invalid UTF-8 replaced by U+FFFD), a whole float within int64 as an integer (as Go's
// encoding/json spells 70.0), other floats in nlohmann's layout of their shortest round-trip
// digits (std::to_chars), NaN and infinities as null.
//
// Thread-safe (no state). Pure functions of their arguments.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "query/influxql_exec.h"

namespace zhizao::api {

// `divisor`: times as integers in units of `divisor` ns (truncated toward zero, as Go divides);
// 0 writes them as RFC 3339 strings.
void AppendInfluxResult(const query::influxql::StatementResult& result, int64_t divisor, std::string& out);

// InfluxDB's chunked answer to one statement (?chunked=true): one {"results":[...]} document
// per line. The rows of a SELECT come at most `chunk_size` per document, each document holding
// one series; a series continued in the next document says "partial":true, and so does the
// result while documents of the statement follow (InfluxDB 1.x's emitter). An error, a SHOW
// answer or an empty result is one document, as InfluxDB sends them. 0: no limit.
void AppendInfluxChunks(const query::influxql::StatementResult& result, size_t chunk_size, int64_t divisor,
                        std::string& out);

// {"results":[...]} for all of `results`, compact (no whitespace).
std::string InfluxResultsJson(const std::vector<query::influxql::StatementResult>& results, int64_t divisor);

// A float as the answer spells it (see above): "70", "0.1", "1e-05", "-0.0", "null".
void AppendInfluxFloat(double x, std::string& out);

}  // namespace zhizao::api
