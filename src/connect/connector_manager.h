// Owns the configured connectors: creates them from JSON definitions, keeps the definitions
// made through the API in a file of the data dir, starts and stops them, reports status.
//
// A definition is a JSON object with "name" (letters, digits, '_', '-', '.'), "type" (a
// registered type: "modbus", "opcua", "mqtt", "sparkplug"), "enabled" (default true: started
// when created and at every start of the server) and the type's own fields (docs/connectors.md).
// Definitions from the config file's [[connectors]] tables are read-only at run time.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "connect/connector.h"
#include "connect/tag_sink.h"

namespace zhizao::connect {

// Builds a connector from its definition without connecting. InvalidArgument naming the
// field for a bad definition.
using ConnectorFactory =
    std::function<Result<std::unique_ptr<Connector>>(const nlohmann::json& definition, TagSink& sink)>;

struct ConnectorInfo {
  nlohmann::json definition;
  bool from_config = false;
  ConnectorStatus status;
};

// Thread-safe.
class ConnectorManager {
 public:
  // `store_path`: the JSON file that keeps API-made definitions; empty keeps none.
  // REQUIRES: `sink` outlives the manager.
  ConnectorManager(TagSink& sink, std::string store_path);
  ~ConnectorManager();  // stops every connector

  // REQUIRES: before any definition is added.
  void RegisterType(std::string type, ConnectorFactory factory);

  // Adds the config file's definitions, then the stored ones, and starts the enabled ones.
  // A stored definition with a config definition's name is ignored with a warning.
  Status Load(const std::vector<std::string>& config_definitions);

  // AlreadyExists for a taken name; InvalidArgument for a bad definition.
  Result<ConnectorInfo> Create(const nlohmann::json& definition);
  // Replaces the definition (the connector restarts when it runs). NotFound; FailedPrecondition
  // for a definition from the config file; InvalidArgument when the name would change.
  Result<ConnectorInfo> Update(const std::string& name, const nlohmann::json& definition);
  Status Delete(const std::string& name);
  Status Start(const std::string& name);
  Status Stop(const std::string& name);

  std::vector<ConnectorInfo> List() const;
  Result<ConnectorInfo> Get(const std::string& name) const;

  // The connector, shared so that a caller may use it while another thread deletes it.
  Result<std::shared_ptr<Connector>> Find(const std::string& name) const;
  // The connector whose TagPaths() include `tag_path`; NotFound when none does.
  Result<std::shared_ptr<Connector>> FindByTag(const std::string& tag_path) const;

  void StopAll();

  // Where the connectors' tags and samples go; also where browsed nodes are imported.
  TagSink& sink() { return sink_; }

 private:
  struct Entry {
    nlohmann::json definition;
    bool from_config = false;
    std::shared_ptr<Connector> connector;
  };

  Result<std::shared_ptr<Connector>> Build(const nlohmann::json& definition) const;
  Status AddLocked(const nlohmann::json& definition, bool from_config);
  Status SaveLocked() const;
  static ConnectorInfo InfoOf(const Entry& entry);

  TagSink& sink_;
  const std::string store_path_;
  std::map<std::string, ConnectorFactory> factories_;  // written only before use

  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;  // GUARDED_BY(mu_), by name
  // Stored definitions that no longer build (a type this build lacks, say): written back on
  // every save, since the file is the user's. GUARDED_BY(mu_)
  std::vector<nlohmann::json> unbuildable_;
};

}  // namespace zhizao::connect
