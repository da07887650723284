// The server's OperationLimits (OPC UA Part 5, 6.3.11; the nodes of
// Server/ServerCapabilities/OperationLimits): how many operations one request may carry. A
// request beyond them is refused whole with BadTooManyOperations, so every request the client
// builds from a list (reads, monitored items, browses) is split by them.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/status.h"
#include "connect/opcua/client.h"

namespace zhizao::connect::opcua {

struct OperationLimits {
  // 0: the server states none (or did not answer for it).
  uint32_t nodes_per_read = 0;
  uint32_t nodes_per_browse = 0;
  uint32_t monitored_items_per_call = 0;

  // `configured` lowered to the server's `limit` when it has one; at least 1.
  static size_t Within(size_t configured, uint32_t limit) {
    return limit == 0 ? configured : std::max<size_t>(1, std::min<size_t>(configured, limit));
  }
  // "read 100, browse 50, monitored items 1000" (- for none), for the log.
  std::string ToString() const;
};

// Reads the limits (a Read each). A limit the server does not have (a node it does not know, a
// bad status, a value that is not an unsigned integer) reads as 0. Errors: the Read's own.
Result<OperationLimits> ReadOperationLimits(Client& client);

}  // namespace zhizao::connect::opcua
