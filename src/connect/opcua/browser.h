// Walks a server's address space below a node: Browse with BrowseNext along hierarchical
// references, then a Read of each variable's DataType and AccessLevel.
#pragma once

#include <cstddef>
#include <vector>

#include "common/status.h"
#include "connect/connector.h"
#include "connect/opcua/client.h"

namespace zhizao::connect::opcua {

struct BrowseLimits {
  // Levels below the start node. Default: 8.
  int max_depth = 8;
  // Nodes returned at most; the walk stops there. Default: 10,000.
  size_t max_nodes = 10'000;
  // Nodes per Browse request, and variables per Read of their attributes. Default: 100.
  size_t nodes_per_request = 100;
  // The server's MaxNodesPerRead (each variable costs two: its DataType and AccessLevel);
  // 0: none. Default: 0.
  uint32_t nodes_per_read = 0;
  // References per node in one Browse answer; the rest come through BrowseNext. Default: 0,
  // the server's choice.
  uint32_t references_per_node = 0;
};

// The objects and variables below `start` (not `start` itself), breadth first. When
// `skip_namespace_zero` is set, nodes of namespace 0 (the server's own objects) are left out.
// Variables are leaves: their properties are not listed.
Result<std::vector<BrowsedNode>> BrowseTree(Client& client, const NodeId& start, bool skip_namespace_zero,
                                            const BrowseLimits& limits);

}  // namespace zhizao::connect::opcua
