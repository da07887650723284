// The one way to write to equipment.
//
// Today the gate checks that the tag exists, is marked writable in the catalog, that the
// value has the tag's data type and lies within the tag's range, and that a running
// connector reads the tag; it logs every request before and its outcome after. Approvals
// and guardrails (the agent issue) attach here, and nowhere else.
#pragma once

#include <string>

#include "catalog/catalog.h"
#include "common/metrics.h"
#include "common/status.h"
#include "connect/connector.h"

namespace zhizao::connect {

class ConnectorManager;

struct WriteRequest {
  std::string tag_path;
  WriteValue value;
  std::string requested_by;  // the principal's name
  std::string reason;        // free text, kept in the log
};

// Thread-safe.
class WriteGate {
 public:
  // REQUIRES: both outlive the gate.
  WriteGate(catalog::Catalog& catalog, ConnectorManager& connectors, MetricsRegistry& metrics);

  // NotFound for an unknown tag; PermissionDenied for a tag not writable; InvalidArgument
  // for a value of another type; OutOfRange beyond the tag's range; FailedPrecondition when
  // no running connector reads the tag; otherwise the connector's answer.
  Status Write(const WriteRequest& request);

 private:
  Status Check(const WriteRequest& request, const catalog::Tag& tag) const;

  catalog::Catalog& catalog_;
  ConnectorManager& connectors_;
  Counter& accepted_;
  Counter& refused_;
  Counter& failed_;
};

}  // namespace zhizao::connect
