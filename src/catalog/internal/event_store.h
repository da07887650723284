// Rows of the events and event_contributions tables; the Catalog's event calls, minus locking.
//
// REQUIRES: external synchronization (the Catalog's mutex). Writers run inside a transaction the
// caller holds, so an event and its contributions commit together. Semantics: see catalog.h.
#pragma once

#include <string_view>
#include <vector>

#include "catalog/event.h"
#include "catalog/internal/sqlite.h"
#include "common/status.h"

namespace zhizao::catalog::internal {

Result<EventId> InsertEvent(Db& db, const Event& event);
Status UpdateEvent(Db& db, const Event& event);
Result<Event> GetEvent(Db& db, EventId id);
Result<std::vector<Event>> ListEvents(Db& db, const EventFilter& filter);
Status AcknowledgeEvent(Db& db, EventId id, std::string_view by, int64_t at_ns);
Status ShelveEvent(Db& db, EventId id, std::string_view by, int64_t until_ns);

}  // namespace zhizao::catalog::internal
