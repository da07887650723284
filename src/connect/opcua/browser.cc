#include "connect/opcua/browser.h"

#include <algorithm>
#include <set>

#include "connect/opcua/data_types.h"

namespace zhizao::connect::opcua {
namespace {

constexpr uint32_t kNodeClassObject = 1;
constexpr uint32_t kNodeClassVariable = 2;
constexpr uint8_t kAccessCurrentWrite = 0x02;
constexpr int kMaxBrowseNextRounds = 1000;

struct Pending {
  NodeId node;
  std::string path;
  int depth = 0;
};

// Every reference of one Browse result, following its continuation points.
Result<std::vector<ReferenceDescription>> AllReferences(Client& client, BrowseResult result) {
  std::vector<ReferenceDescription> refs = std::move(result.references);
  for (int round = 0; !result.continuation_point.empty(); ++round) {
    if (round == kMaxBrowseNextRounds) return Status::ResourceExhausted("browse continues without end");
    BrowseNextRequest next;
    next.continuation_points = {result.continuation_point};
    ZZ_ASSIGN_OR_RETURN(BrowseNextResponse response, (client.Call<BrowseNextRequest, BrowseNextResponse>(next)));
    if (response.results.size() != 1) return Status::Corruption("BrowseNext answered with a wrong result count");
    result = std::move(response.results[0]);
    refs.insert(refs.end(), std::make_move_iterator(result.references.begin()),
                std::make_move_iterator(result.references.end()));
  }
  return refs;
}

// Reads DataType and AccessLevel of the variables in `nodes` and fills their fields.
Status DescribeVariables(Client& client, std::vector<BrowsedNode>& nodes, std::vector<NodeId>& ids,
                         size_t per_request) {
  std::vector<size_t> variables;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].is_variable) variables.push_back(i);
  }
  for (size_t from = 0; from < variables.size(); from += per_request) {
    ReadRequest read;
    const size_t to = std::min(variables.size(), from + per_request);
    for (size_t k = from; k < to; ++k) {
      read.nodes.push_back({ids[variables[k]], attribute_id::kDataType});
      read.nodes.push_back({ids[variables[k]], attribute_id::kAccessLevel});
    }
    ZZ_ASSIGN_OR_RETURN(ReadResponse response, (client.Call<ReadRequest, ReadResponse>(read)));
    if (response.results.size() != read.nodes.size()) return Status::Corruption("Read answered with a wrong result count");
    for (size_t k = from; k < to; ++k) {
      BrowsedNode& node = nodes[variables[k]];
      const DataValue& type = response.results[2 * (k - from)];
      const DataValue& access = response.results[2 * (k - from) + 1];
      node.data_type = "string";
      if (type.value.is_scalar()) {
        if (auto* id = std::get_if<NodeId>(&type.value.values[0])) {
          if (auto builtin = BuiltinTypeOfDataType(*id)) node.data_type = DataTypeName(CatalogTypeOf(*builtin));
        }
      }
      if (access.value.is_scalar()) {
        if (auto* level = std::get_if<uint64_t>(&access.value.values[0])) node.writable = (*level & kAccessCurrentWrite) != 0;
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<BrowsedNode>> BrowseTree(Client& client, const NodeId& start, bool skip_namespace_zero,
                                            const BrowseLimits& limits) {
  std::vector<BrowsedNode> nodes;
  std::vector<NodeId> ids;
  std::set<std::string> seen = {start.ToString()};
  std::vector<Pending> level = {{start, "", 0}};
  while (!level.empty() && nodes.size() < limits.max_nodes) {
    std::vector<Pending> next_level;
    for (size_t from = 0; from < level.size(); from += limits.nodes_per_request) {
      const size_t to = std::min(level.size(), from + limits.nodes_per_request);
      BrowseRequest browse;
      browse.max_references_per_node = limits.references_per_node;
      for (size_t i = from; i < to; ++i) browse.nodes.push_back(level[i].node);
      ZZ_ASSIGN_OR_RETURN(BrowseResponse response, (client.Call<BrowseRequest, BrowseResponse>(browse)));
      if (response.results.size() != browse.nodes.size()) {
        return Status::Corruption("Browse answered with a wrong result count");
      }
      for (size_t i = from; i < to; ++i) {
        ZZ_ASSIGN_OR_RETURN(std::vector<ReferenceDescription> refs,
                            AllReferences(client, std::move(response.results[i - from])));
        for (ReferenceDescription& ref : refs) {
          const bool kept_class = ref.node_class == kNodeClassObject || ref.node_class == kNodeClassVariable;
          const bool local = ref.node_id.namespace_uri.empty() && ref.node_id.server_index == 0;
          if (!ref.is_forward || !kept_class || !local || nodes.size() >= limits.max_nodes) continue;
          if (skip_namespace_zero && ref.node_id.node.ns == 0) continue;
          if (!seen.insert(ref.node_id.node.ToString()).second) continue;
          BrowsedNode node;
          node.node_id = ref.node_id.node.ToString();
          node.browse_path = level[i].path.empty() ? ref.browse_name.name : level[i].path + "/" + ref.browse_name.name;
          node.is_variable = ref.node_class == kNodeClassVariable;
          if (!node.is_variable && level[i].depth + 1 < limits.max_depth) {
            next_level.push_back({ref.node_id.node, node.browse_path, level[i].depth + 1});
          }
          nodes.push_back(std::move(node));
          ids.push_back(std::move(ref.node_id.node));
        }
      }
    }
    level = std::move(next_level);
  }
  const size_t variables_per_read =
      limits.nodes_per_read == 0 ? limits.nodes_per_request
                                 : std::max<size_t>(1, std::min<size_t>(limits.nodes_per_request, limits.nodes_per_read / 2));
  ZZ_RETURN_IF_ERROR(DescribeVariables(client, nodes, ids, variables_per_read));
  return nodes;
}

}  // namespace zhizao::connect::opcua
