// Browse and BrowseNext; Read and Write.
#include "connect/opcua/services.h"

namespace zhizao::connect::opcua {
namespace {

constexpr uint32_t kHierarchicalReferences = 33;
constexpr uint32_t kBrowseForward = 0;
constexpr uint32_t kAllResultFields = 0x3F;

ReferenceDescription DecodeReference(BinaryReader& r) {
  ReferenceDescription ref;
  ref.reference_type = DecodeNodeId(r);
  ref.is_forward = r.Bool();
  ref.node_id = DecodeExpandedNodeId(r);
  ref.browse_name = DecodeQualifiedName(r);
  ref.display_name = DecodeLocalizedText(r);
  ref.node_class = r.U32();
  DecodeExpandedNodeId(r);  // type definition
  return ref;
}

BrowseResult DecodeBrowseResult(BinaryReader& r) {
  BrowseResult result;
  result.status = r.U32();
  result.continuation_point = r.String();
  result.references = DecodeArray<ReferenceDescription>(r, 18, DecodeReference);
  return result;
}

std::vector<BrowseResult> DecodeBrowseResults(BinaryReader& r) {
  auto results = DecodeArray<BrowseResult>(r, 12, DecodeBrowseResult);
  SkipDiagnosticInfoArray(r);
  return results;
}

}  // namespace

void BrowseRequest::Encode(BinaryWriter& w) const {
  EncodeNodeId(w, NodeId{});  // view: the whole address space
  w.I64(0);
  w.U32(0);
  w.U32(max_references_per_node);
  EncodeArray(w, nodes, [](BinaryWriter& out, const NodeId& node) {
    EncodeNodeId(out, node);
    out.U32(kBrowseForward);
    EncodeNodeId(out, NodeId::Numeric(0, kHierarchicalReferences));
    out.Bool(true);  // include subtypes
    out.U32(0);      // every node class
    out.U32(kAllResultFields);
  });
}

void BrowseResponse::Decode(BinaryReader& r) { results = DecodeBrowseResults(r); }

void BrowseNextRequest::Encode(BinaryWriter& w) const {
  w.Bool(release);
  EncodeStringArray(w, continuation_points);
}

void BrowseNextResponse::Decode(BinaryReader& r) { results = DecodeBrowseResults(r); }

void EncodeReadValueId(BinaryWriter& w, const ReadValueId& id) {
  EncodeNodeId(w, id.node);
  w.U32(id.attribute);
  w.NullString();  // index range
  w.U16(0);        // data encoding: the null QualifiedName (the default encoding); an empty
  w.NullString();  // name instead makes node-opcua answer BadDataEncodingInvalid
}

void ReadRequest::Encode(BinaryWriter& w) const {
  w.F64(0);  // max age: a fresh value
  w.U32(kTimestampsBoth);
  EncodeArray(w, nodes, EncodeReadValueId);
}

void ReadResponse::Decode(BinaryReader& r) {
  results = DecodeArray<DataValue>(r, 1, DecodeDataValue);
  SkipDiagnosticInfoArray(r);
}

void WriteRequest::Encode(BinaryWriter& w) const {
  EncodeArray(w, nodes, [](BinaryWriter& out, const WriteNodeValue& v) {
    EncodeNodeId(out, v.node);
    out.U32(attribute_id::kValue);
    out.NullString();  // index range
    EncodeDataValue(out, v.value);
  });
}

void WriteResponse::Decode(BinaryReader& r) {
  results = DecodeU32Array(r);
  SkipDiagnosticInfoArray(r);
}

}  // namespace zhizao::connect::opcua
