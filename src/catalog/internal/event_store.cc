#include "catalog/internal/event_store.h"

#include <string>

#include "catalog/internal/asset_store.h"

namespace zhizao::catalog::internal {
namespace {

// The column list every event query reads, in ReadEvent()'s order.
#define ZZ_EVENT_COLUMNS                                                                        \
  "id, COALESCE(asset_id, 0), asset_path, source, detector, model_id, model_version, severity, " \
  "score, threshold, start_ns, end_ns, last_ns, returns, message, acknowledged_ns, "             \
  "acknowledged_by, shelved_until_ns, shelved_by"

constexpr std::string_view kInsertEvent = R"sql(
INSERT INTO events (asset_id, asset_path, source, detector, model_id, model_version, severity,
                    score, threshold, start_ns, end_ns, last_ns, returns, message)
VALUES (NULLIF(?1, 0), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14))sql";

// The fields the analytics change while an event lives; the alarm-management ones
// (acknowledged, shelved) belong to people and have calls of their own.
constexpr std::string_view kUpdateEvent = R"sql(
UPDATE events SET detector = ?2, severity = ?3, score = ?4, threshold = ?5, end_ns = ?6,
  last_ns = ?7, returns = ?8, message = ?9
WHERE id = ?1)sql";

Status WriteContributions(Db& db, EventId id, const std::vector<Contribution>& contributions) {
  ZZ_ASSIGN_OR_RETURN(Statement clear, db.Prepare("DELETE FROM event_contributions WHERE event_id = ?1"));
  clear.BindInt(1, id);
  ZZ_RETURN_IF_ERROR(clear.Run());
  for (size_t rank = 0; rank < contributions.size(); ++rank) {
    // Prepared per row: the cache hands the statement back reset, ready for new bindings.
    ZZ_ASSIGN_OR_RETURN(Statement insert,
                        db.Prepare("INSERT INTO event_contributions (event_id, rank, tag_id, path, weight) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5)"));
    const Contribution& c = contributions[rank];
    insert.BindInt(1, id);
    insert.BindInt(2, static_cast<int64_t>(rank));
    insert.BindInt(3, c.tag_id);
    insert.BindText(4, c.path);
    insert.BindDouble(5, c.weight);
    ZZ_RETURN_IF_ERROR(insert.Run());
  }
  return Status::Ok();
}

Status ReadContributions(Db& db, Event& event) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("SELECT tag_id, path, weight FROM event_contributions "
                                                 "WHERE event_id = ?1 ORDER BY rank"));
  stmt.BindInt(1, event.id);
  for (;;) {
    ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Status::Ok();
    event.contributions.push_back(
        {static_cast<TagId>(stmt.Int(0)), stmt.Text(1), stmt.OptDouble(2).value_or(0)});
  }
}

Result<Event> ReadEvent(const Statement& row) {
  Event event;
  event.id = row.Int(0);
  event.asset_id = row.Int(1);
  event.asset_path = row.Text(2);
  event.source = row.Text(3);
  event.detector = row.Text(4);
  event.model_id = row.Text(5);
  event.model_version = row.Int(6);
  Result<Severity> severity = ParseSeverity(row.Text(7));
  if (!severity.ok()) return Status::Corruption("event " + std::to_string(event.id) + " holds an unknown severity");
  event.severity = *severity;
  event.score = row.OptDouble(8).value_or(0);
  event.threshold = row.OptDouble(9).value_or(0);
  event.start_ns = row.Int(10);
  event.end_ns = row.Int(11);
  event.last_ns = row.Int(12);
  event.returns = row.Int(13);
  event.message = row.Text(14);
  event.acknowledged_ns = row.Int(15);
  event.acknowledged_by = row.Text(16);
  event.shelved_until_ns = row.Int(17);
  event.shelved_by = row.Text(18);
  return event;
}

void BindChangingFields(Statement& stmt, const Event& event) {
  stmt.BindText(2, event.detector);
  stmt.BindText(3, SeverityName(event.severity));
  stmt.BindDouble(4, event.score);
  stmt.BindDouble(5, event.threshold);
  stmt.BindInt(6, event.end_ns);
  stmt.BindInt(7, event.last_ns);
  stmt.BindInt(8, event.returns);
  stmt.BindText(9, event.message);
}

Status RequireOneChange(Db& db, EventId id) {
  if (db.Changes() == 0) return Status::NotFound("no event with id " + std::to_string(id));
  return Status::Ok();
}

}  // namespace

Result<EventId> InsertEvent(Db& db, const Event& event) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare(kInsertEvent));
  stmt.BindInt(1, event.asset_id);
  stmt.BindText(2, event.asset_path);
  stmt.BindText(3, event.source);
  stmt.BindText(4, event.detector);
  stmt.BindText(5, event.model_id);
  stmt.BindInt(6, event.model_version);
  stmt.BindText(7, SeverityName(event.severity));
  stmt.BindDouble(8, event.score);
  stmt.BindDouble(9, event.threshold);
  stmt.BindInt(10, event.start_ns);
  stmt.BindInt(11, event.end_ns);
  stmt.BindInt(12, event.last_ns);
  stmt.BindInt(13, event.returns);
  stmt.BindText(14, event.message);
  ZZ_RETURN_IF_ERROR(stmt.Run());
  EventId id = db.LastInsertId();
  ZZ_RETURN_IF_ERROR(WriteContributions(db, id, event.contributions));
  return id;
}

Status UpdateEvent(Db& db, const Event& event) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare(kUpdateEvent));
  stmt.BindInt(1, event.id);
  BindChangingFields(stmt, event);
  ZZ_RETURN_IF_ERROR(stmt.Run());
  ZZ_RETURN_IF_ERROR(RequireOneChange(db, event.id));
  return WriteContributions(db, event.id, event.contributions);
}

Result<Event> GetEvent(Db& db, EventId id) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("SELECT " ZZ_EVENT_COLUMNS " FROM events WHERE id = ?1"));
  stmt.BindInt(1, id);
  ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Status::NotFound("no event with id " + std::to_string(id));
  ZZ_ASSIGN_OR_RETURN(Event event, ReadEvent(stmt));
  ZZ_RETURN_IF_ERROR(ReadContributions(db, event));
  return event;
}

Result<std::vector<Event>> ListEvents(Db& db, const EventFilter& filter) {
  std::string prefix;
  if (filter.asset_id) {
    ZZ_ASSIGN_OR_RETURN(Asset asset, GetAsset(db, *filter.asset_id));
    prefix = asset.path;
  }
  // One statement for every filter: an unset condition binds a value that lets every row pass.
  ZZ_ASSIGN_OR_RETURN(
      Statement stmt,
      db.Prepare("SELECT " ZZ_EVENT_COLUMNS " FROM events WHERE "
                 "(?1 = '' OR asset_path = ?1 OR (asset_path >= ?1 || '/' AND asset_path < ?1 || '0')) "
                 "AND (?2 = 0 OR source = ?3) AND (?4 = 0 OR end_ns = 0) "
                 "AND (?5 = 0 OR shelved_until_ns <= ?6) "
                 "AND start_ns <= ?8 AND (end_ns = 0 OR end_ns >= ?7) "
                 "AND (?11 = 0 OR id IN (SELECT event_id FROM event_contributions WHERE tag_id = ?11)) "
                 "ORDER BY start_ns DESC, id DESC LIMIT ?9 OFFSET ?10"));
  stmt.BindText(1, prefix);
  stmt.BindInt(2, filter.source ? 1 : 0);
  stmt.BindText(3, filter.source.value_or(""));
  stmt.BindInt(4, filter.active_only ? 1 : 0);
  stmt.BindInt(5, filter.hide_shelved ? 1 : 0);
  stmt.BindInt(6, filter.now_ns);
  stmt.BindInt(7, filter.from_ns);
  stmt.BindInt(8, filter.to_ns);
  stmt.BindInt(9, filter.limit == 0 ? -1 : static_cast<int64_t>(filter.limit));
  stmt.BindInt(10, static_cast<int64_t>(filter.offset));
  stmt.BindInt(11, filter.tag.value_or(0));  // tag ids start at 1
  std::vector<Event> events;
  for (;;) {
    ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    ZZ_ASSIGN_OR_RETURN(Event event, ReadEvent(stmt));
    events.push_back(std::move(event));
  }
  for (Event& event : events) ZZ_RETURN_IF_ERROR(ReadContributions(db, event));
  return events;
}

Status AcknowledgeEvent(Db& db, EventId id, std::string_view by, int64_t at_ns) {
  // The first acknowledgement stands: who saw it first is what the audit needs.
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("UPDATE events SET acknowledged_ns = ?2, acknowledged_by = ?3 "
                                                 "WHERE id = ?1 AND acknowledged_ns = 0"));
  stmt.BindInt(1, id);
  stmt.BindInt(2, at_ns);
  stmt.BindText(3, by);
  ZZ_RETURN_IF_ERROR(stmt.Run());
  if (db.Changes() == 0) return GetEvent(db, id).status();  // NotFound, or already acknowledged: Ok
  return Status::Ok();
}

Status ShelveEvent(Db& db, EventId id, std::string_view by, int64_t until_ns) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt,
                      db.Prepare("UPDATE events SET shelved_until_ns = ?2, shelved_by = ?3 WHERE id = ?1"));
  stmt.BindInt(1, id);
  stmt.BindInt(2, until_ns);
  stmt.BindText(3, by);
  ZZ_RETURN_IF_ERROR(stmt.Run());
  return RequireOneChange(db, id);
}

}  // namespace zhizao::catalog::internal
