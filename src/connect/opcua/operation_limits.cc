#include "connect/opcua/operation_limits.h"

#include <algorithm>

#include "connect/opcua/services.h"
#include "connect/opcua/status_codes.h"

namespace zhizao::connect::opcua {
namespace {
// Numeric ids in namespace 0 (the standard's NodeIds.csv).
constexpr uint32_t kMaxNodesPerRead = 11705;
constexpr uint32_t kMaxNodesPerBrowse = 11710;
constexpr uint32_t kMaxMonitoredItemsPerCall = 11714;

uint32_t LimitIn(const DataValue& value) {
  if (ua_status::IsBad(value.status) || !value.value.is_scalar()) return 0;
  const uint64_t* limit = std::get_if<uint64_t>(&value.value.values[0]);
  return limit == nullptr ? 0 : static_cast<uint32_t>(std::min<uint64_t>(*limit, UINT32_MAX));
}

std::string Text(uint32_t limit) { return limit == 0 ? "-" : std::to_string(limit); }
}  // namespace

std::string OperationLimits::ToString() const {
  return "read " + Text(nodes_per_read) + ", browse " + Text(nodes_per_browse) + ", monitored items " +
         Text(monitored_items_per_call);
}

Result<OperationLimits> ReadOperationLimits(Client& client) {
  // One node per Read: a server whose MaxNodesPerRead is below three still answers.
  auto read_limit = [&client](uint32_t id) -> Result<uint32_t> {
    ReadRequest read;
    read.nodes.push_back({NodeId::Numeric(0, id), attribute_id::kValue});
    ZZ_ASSIGN_OR_RETURN(ReadResponse response, (client.Call<ReadRequest, ReadResponse>(read)));
    if (response.results.size() != 1) return Status::Corruption("Read answered with a wrong result count");
    return LimitIn(response.results[0]);
  };
  OperationLimits limits;
  ZZ_ASSIGN_OR_RETURN(limits.nodes_per_read, read_limit(kMaxNodesPerRead));
  ZZ_ASSIGN_OR_RETURN(limits.nodes_per_browse, read_limit(kMaxNodesPerBrowse));
  ZZ_ASSIGN_OR_RETURN(limits.monitored_items_per_call, read_limit(kMaxMonitoredItemsPerCall));
  return limits;
}

}  // namespace zhizao::connect::opcua
