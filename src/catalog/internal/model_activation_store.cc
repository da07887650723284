// Which version of a model id runs, and the history of how it came to.
#include <string>

#include "catalog/internal/model_store.h"

namespace zhizao::catalog::internal {
namespace {

using Action = ModelActivation::Action;

std::string Quoted(std::string_view model_id) { return "'" + std::string(model_id) + "'"; }

Result<bool> HasCard(Db& db, std::string_view model_id, int64_t version) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("SELECT has_card FROM models WHERE model_id = ?1 AND version = ?2"));
  stmt.BindText(1, model_id);
  stmt.BindInt(2, version);
  ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return NoSuchVersion(db, model_id, version);
  return stmt.Int(0) != 0;
}

// The active version of the model id; 0 when none is.
Result<int64_t> ActiveVersion(Db& db, std::string_view model_id) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("SELECT version FROM models WHERE model_id = ?1 AND active = 1"));
  stmt.BindText(1, model_id);
  ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.Int(0) : 0;
}

// Makes version the only active one of its id; version 0 leaves none active. The old one is
// cleared first: the partial unique index allows no moment with two.
Status SetActive(Db& db, std::string_view model_id, int64_t version, std::string_view by, int64_t at_ns) {
  {
    ZZ_ASSIGN_OR_RETURN(Statement clear,
                        db.Prepare("UPDATE models SET active = 0 WHERE model_id = ?1 AND active = 1"));
    clear.BindText(1, model_id);
    ZZ_RETURN_IF_ERROR(clear.Run());
  }
  if (version == 0) return Status::Ok();
  ZZ_ASSIGN_OR_RETURN(Statement set, db.Prepare("UPDATE models SET active = 1, activated_ns = ?3, activated_by = ?4 "
                                                "WHERE model_id = ?1 AND version = ?2"));
  set.BindText(1, model_id);
  set.BindInt(2, version);
  set.BindInt(3, at_ns);
  set.BindText(4, by);
  return set.Run();
}

Status AppendActivation(Db& db, std::string_view model_id, int64_t version, Action action, std::string_view by,
                        int64_t at_ns) {
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("INSERT INTO model_activations (model_id, version, action, "
                                                 "by_whom, at_ns) VALUES (?1, ?2, ?3, ?4, ?5)"));
  stmt.BindText(1, model_id);
  stmt.BindInt(2, version);
  stmt.BindText(3, ModelActivationActionName(action));
  stmt.BindText(4, by);
  stmt.BindInt(5, at_ns);
  return stmt.Run();
}

Result<Action> ParseAction(std::string_view name) {
  for (Action action : {Action::kActivate, Action::kRollback, Action::kDeactivate}) {
    if (ModelActivationActionName(action) == name) return action;
  }
  return Status::Corruption("model_activations holds an unknown action '" + std::string(name) + "'");
}

// Replays the history into the stack of versions made active, most recent last: an activation
// pushes; a rollback pops down to the version it restored (so a second rollback goes further
// back instead of returning to where the first one came from); a deactivation only stops the
// top from running, so the next activation's rollback returns to it.
std::vector<int64_t> ActivationStack(const std::vector<ModelActivation>& history) {
  std::vector<int64_t> stack;
  for (const ModelActivation& entry : history) {
    if (entry.action == Action::kActivate) {
      if (stack.empty() || stack.back() != entry.version) stack.push_back(entry.version);
    } else if (entry.action == Action::kRollback) {
      while (!stack.empty() && stack.back() != entry.version) stack.pop_back();
      if (stack.empty()) stack.push_back(entry.version);
    }
  }
  return stack;
}

}  // namespace

Status ActivateModelVersion(Db& db, std::string_view model_id, int64_t version, std::string_view by,
                            int64_t at_ns) {
  ZZ_ASSIGN_OR_RETURN(bool has_card, HasCard(db, model_id, version));
  if (!has_card) {
    return Status::FailedPrecondition("model " + Quoted(model_id) + " version " + std::to_string(version) +
                                      " has no model card; write one before activating it");
  }
  ZZ_ASSIGN_OR_RETURN(int64_t active, ActiveVersion(db, model_id));
  if (active == version) return Status::Ok();
  ZZ_RETURN_IF_ERROR(SetActive(db, model_id, version, by, at_ns));
  return AppendActivation(db, model_id, version, Action::kActivate, by, at_ns);
}

Result<int64_t> RollBackModel(Db& db, std::string_view model_id, std::string_view by, int64_t at_ns) {
  ZZ_ASSIGN_OR_RETURN(std::vector<ModelActivation> history, ListModelActivations(db, model_id));
  ZZ_ASSIGN_OR_RETURN(int64_t current, ActiveVersion(db, model_id));
  if (current == 0) {
    return Status::FailedPrecondition("model " + Quoted(model_id) + " has no active version to roll back from");
  }
  std::vector<int64_t> stack = ActivationStack(history);
  for (; !stack.empty(); stack.pop_back()) {
    if (stack.back() == current) continue;
    ZZ_ASSIGN_OR_RETURN(bool has_card, HasCard(db, model_id, stack.back()));
    if (has_card) break;
  }
  if (stack.empty()) {
    return Status::FailedPrecondition("model " + Quoted(model_id) + " has no earlier active version to roll back to");
  }
  int64_t target = stack.back();
  ZZ_RETURN_IF_ERROR(SetActive(db, model_id, target, by, at_ns));
  ZZ_RETURN_IF_ERROR(AppendActivation(db, model_id, target, Action::kRollback, by, at_ns));
  return target;
}

Status DeactivateModel(Db& db, std::string_view model_id, std::string_view by, int64_t at_ns) {
  ZZ_RETURN_IF_ERROR(RequireModel(db, model_id));
  ZZ_ASSIGN_OR_RETURN(int64_t current, ActiveVersion(db, model_id));
  if (current == 0) return Status::FailedPrecondition("model " + Quoted(model_id) + " has no active version");
  ZZ_RETURN_IF_ERROR(SetActive(db, model_id, 0, by, at_ns));
  return AppendActivation(db, model_id, current, Action::kDeactivate, by, at_ns);
}

Result<std::vector<ModelActivation>> ListModelActivations(Db& db, std::string_view model_id) {
  ZZ_RETURN_IF_ERROR(RequireModel(db, model_id));
  ZZ_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("SELECT version, action, by_whom, at_ns FROM model_activations "
                                                 "WHERE model_id = ?1 ORDER BY seq"));
  stmt.BindText(1, model_id);
  std::vector<ModelActivation> history;
  for (;;) {
    ZZ_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return history;
    ZZ_ASSIGN_OR_RETURN(Action action, ParseAction(stmt.Text(1)));
    history.push_back({std::string(model_id), stmt.Int(0), action, stmt.Text(2), stmt.Int(3)});
  }
}

}  // namespace zhizao::catalog::internal
