// How OPC UA values become zhizao samples and zhizao write values become OPC UA Variants.
#pragma once

#include <cstdint>
#include <optional>

#include "common/batch.h"
#include "common/status.h"
#include "connect/connector.h"
#include "connect/opcua/types.h"

namespace zhizao::connect::opcua {

// The built-in type that carries values of the DataType node `data_type` (ns=0 built-ins and
// their common subtypes: Duration, UtcTime, enumerations, ...); nullopt for structures and
// types zhizao does not know.
std::optional<BuiltinType> BuiltinTypeOfDataType(const NodeId& data_type);

// The catalog type a value of `type` is stored as: Boolean as bool; integers, StatusCode and
// DateTime (as Unix ns) as int64; Float and Double as float64; the rest as string.
DataType CatalogTypeOf(BuiltinType type);

// Appends one point of `tag` to `batch`: the value converted to `type`, the DataValue's status
// (BadTypeMismatch when the value cannot be converted: an array, a null, text for a number),
// and its source timestamp, else its server timestamp, else `receive_ns`.
void AppendSample(Batch& batch, TagId tag, DataType type, const DataValue& value, int64_t receive_ns);

// The Variant of built-in `type` that carries `value`. InvalidArgument when the value does not
// fit the type (text for a number, 300 for a Byte, a fraction for an integer).
Result<Variant> VariantForWrite(const WriteValue& value, BuiltinType type);

}  // namespace zhizao::connect::opcua
