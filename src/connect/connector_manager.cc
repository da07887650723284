#include "connect/connector_manager.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "catalog/model.h"
#include "common/atomic_file.h"

namespace zhizao::connect {
namespace {

using nlohmann::json;

Result<std::string> NameOf(const json& definition) {
  if (!definition.is_object()) return Status::InvalidArgument("a connector definition must be a JSON object");
  auto name = definition.find("name");
  if (name == definition.end() || !name->is_string()) return Status::InvalidArgument("name: a string is required");
  std::string text = name->get<std::string>();
  ZZ_RETURN_IF_ERROR(catalog::ValidateName(text).WithContext("name"));
  return text;
}

bool IsEnabled(const json& definition) {
  auto enabled = definition.find("enabled");
  return enabled == definition.end() || !enabled->is_boolean() || enabled->get<bool>();
}

}  // namespace

ConnectorManager::ConnectorManager(TagSink& sink, std::string store_path)
    : sink_(sink), store_path_(std::move(store_path)) {}

ConnectorManager::~ConnectorManager() { StopAll(); }

void ConnectorManager::RegisterType(std::string type, ConnectorFactory factory) {
  factories_.emplace(std::move(type), std::move(factory));
}

Result<std::shared_ptr<Connector>> ConnectorManager::Build(const json& definition) const {
  ZZ_RETURN_IF_ERROR(NameOf(definition).status());
  auto enabled = definition.find("enabled");
  if (enabled != definition.end() && !enabled->is_boolean()) return Status::InvalidArgument("enabled: must be true or false");
  auto type = definition.find("type");
  if (type == definition.end() || !type->is_string()) return Status::InvalidArgument("type: a string is required");
  auto factory = factories_.find(type->get<std::string>());
  if (factory == factories_.end()) {
    std::string known;
    for (const auto& [name, _] : factories_) known += (known.empty() ? "" : ", ") + name;
    return Status::InvalidArgument("type: unknown connector type '" + type->get<std::string>() + "' (known: " + known + ")");
  }
  ZZ_ASSIGN_OR_RETURN(std::unique_ptr<Connector> connector, factory->second(definition, sink_));
  return std::shared_ptr<Connector>(std::move(connector));
}

Status ConnectorManager::AddLocked(const json& definition, bool from_config) {
  ZZ_ASSIGN_OR_RETURN(std::string name, NameOf(definition));
  if (entries_.contains(name)) return Status::AlreadyExists("a connector named '" + name + "' exists");
  ZZ_ASSIGN_OR_RETURN(std::shared_ptr<Connector> connector, Build(definition));
  if (IsEnabled(definition)) connector->Start();
  entries_.emplace(name, Entry{definition, from_config, std::move(connector)});
  return Status::Ok();
}

Status ConnectorManager::Load(const std::vector<std::string>& config_definitions) {
  std::lock_guard lock(mu_);
  for (const std::string& text : config_definitions) {
    json definition = json::parse(text, nullptr, false);
    ZZ_RETURN_IF_ERROR(AddLocked(definition, true).WithContext("config file: connector"));
  }
  if (store_path_.empty() || !std::filesystem::exists(store_path_)) return Status::Ok();
  std::ifstream in(store_path_);
  json stored = json::parse(in, nullptr, false);
  if (stored.is_discarded() || !stored.is_object() || !stored.contains("connectors") || !stored["connectors"].is_array()) {
    return Status::Corruption(store_path_ + ": not a connector store ({\"connectors\": [...]}); fix or remove it");
  }
  for (const json& definition : stored["connectors"]) {
    Result<std::string> name = NameOf(definition);
    if (name.ok() && entries_.contains(*name) && entries_[*name].from_config) {
      spdlog::warn("connectors: '{}' in {} is ignored: the config file defines it", *name, store_path_);
      continue;
    }
    Status added = AddLocked(definition, false);
    if (!added.ok()) {
      spdlog::error("connectors: {}: {} (kept in the file, not run)", store_path_, added.message());
      unbuildable_.push_back(definition);
    }
  }
  return Status::Ok();
}

Status ConnectorManager::SaveLocked() const {
  if (store_path_.empty()) return Status::Ok();
  json list = unbuildable_;
  for (const auto& [name, entry] : entries_) {
    if (!entry.from_config) list.push_back(entry.definition);
  }
  return WriteFileAtomically(store_path_, json{{"connectors", std::move(list)}}.dump(2) + "\n");
}

ConnectorInfo ConnectorManager::InfoOf(const Entry& entry) {
  return {entry.definition, entry.from_config, entry.connector->GetStatus()};
}

Result<ConnectorInfo> ConnectorManager::Create(const json& definition) {
  std::lock_guard lock(mu_);
  ZZ_ASSIGN_OR_RETURN(std::string name, NameOf(definition));
  ZZ_RETURN_IF_ERROR(AddLocked(definition, false));
  Status saved = SaveLocked();
  if (!saved.ok()) {
    entries_[name].connector->Stop();
    entries_.erase(name);
    return saved;
  }
  return InfoOf(entries_.at(name));
}

Result<ConnectorInfo> ConnectorManager::Update(const std::string& name, const json& definition) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(name);
  if (it == entries_.end()) return Status::NotFound("no connector named '" + name + "'");
  if (it->second.from_config) {
    return Status::FailedPrecondition("connector '" + name + "' is defined in the config file: change it there");
  }
  ZZ_ASSIGN_OR_RETURN(std::string new_name, NameOf(definition));
  if (new_name != name) return Status::InvalidArgument("name: a connector cannot be renamed ('" + name + "')");
  ZZ_ASSIGN_OR_RETURN(std::shared_ptr<Connector> replacement, Build(definition));
  Entry previous = std::move(it->second);
  previous.connector->Stop();
  it->second = Entry{definition, false, replacement};
  Status saved = SaveLocked();
  if (!saved.ok()) {
    it->second = std::move(previous);
    if (IsEnabled(it->second.definition)) it->second.connector->Start();
    return saved;
  }
  if (IsEnabled(definition)) replacement->Start();
  return InfoOf(it->second);
}

Status ConnectorManager::Delete(const std::string& name) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(name);
  if (it == entries_.end()) return Status::NotFound("no connector named '" + name + "'");
  if (it->second.from_config) {
    return Status::FailedPrecondition("connector '" + name + "' is defined in the config file: remove it there");
  }
  Entry removed = std::move(it->second);
  entries_.erase(it);
  Status saved = SaveLocked();
  if (!saved.ok()) {
    entries_.emplace(name, std::move(removed));
    return saved;
  }
  removed.connector->Stop();
  return Status::Ok();
}

Status ConnectorManager::Start(const std::string& name) {
  ZZ_ASSIGN_OR_RETURN(std::shared_ptr<Connector> connector, Find(name));
  if (connector->GetStatus().state == ConnectorState::kStopped) connector->Start();
  return Status::Ok();
}

Status ConnectorManager::Stop(const std::string& name) {
  ZZ_ASSIGN_OR_RETURN(std::shared_ptr<Connector> connector, Find(name));
  connector->Stop();
  return Status::Ok();
}

std::vector<ConnectorInfo> ConnectorManager::List() const {
  std::lock_guard lock(mu_);
  std::vector<ConnectorInfo> list;
  for (const auto& [name, entry] : entries_) list.push_back(InfoOf(entry));
  return list;
}

Result<ConnectorInfo> ConnectorManager::Get(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(name);
  if (it == entries_.end()) return Status::NotFound("no connector named '" + name + "'");
  return InfoOf(it->second);
}

Result<std::shared_ptr<Connector>> ConnectorManager::Find(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(name);
  if (it == entries_.end()) return Status::NotFound("no connector named '" + name + "'");
  return it->second.connector;
}

Result<std::shared_ptr<Connector>> ConnectorManager::FindByTag(const std::string& tag_path) const {
  std::lock_guard lock(mu_);
  for (const auto& [name, entry] : entries_) {
    for (const std::string& path : entry.connector->TagPaths()) {
      if (path == tag_path) return entry.connector;
    }
  }
  return Status::NotFound("no connector reads tag '" + tag_path + "'");
}

void ConnectorManager::StopAll() {
  std::lock_guard lock(mu_);
  for (auto& [name, entry] : entries_) entry.connector->Stop();
}

}  // namespace zhizao::connect
