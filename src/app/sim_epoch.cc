#include "app/sim_epoch.h"

#include <nlohmann/json.hpp>

#include <filesystem>

#include "common/atomic_file.h"

namespace zhizao::app {
namespace {

std::filesystem::path PathIn(const std::string& data_dir) { return std::filesystem::path(data_dir) / "sim.json"; }

}  // namespace

Result<std::optional<SimEpoch>> ReadSimEpoch(const std::string& data_dir) {
  const std::string path = PathIn(data_dir).string();
  Result<std::string> text = ReadWholeFile(path);
  if (!text.ok() && text.status().code() == StatusCode::kNotFound) return std::optional<SimEpoch>();
  if (!text.ok()) return text.status();
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  auto bad = [&] { return Status::Corruption(path + " is not a simulator epoch"); };
  if (!j.is_object()) return bad();
  for (const char* key : {"seed", "scale", "faults_per_day", "start_ns"}) {
    if (!j.contains(key) || !j[key].is_number()) return bad();
  }
  if (!j["seed"].is_number_unsigned() || !j["scale"].is_number_integer() || !j["start_ns"].is_number_integer()) {
    return bad();
  }
  SimEpoch epoch{.seed = j["seed"].get<uint64_t>(),
                 .scale = j["scale"].get<int>(),
                 .faults_per_day = j["faults_per_day"].get<double>(),
                 .start_ns = j["start_ns"].get<int64_t>()};
  return std::optional<SimEpoch>(epoch);
}

Status WriteSimEpoch(const std::string& data_dir, const SimEpoch& epoch) {
  nlohmann::json j = {{"seed", epoch.seed},
                      {"scale", epoch.scale},
                      {"faults_per_day", epoch.faults_per_day},
                      {"start_ns", epoch.start_ns}};
  return WriteFileAtomically(PathIn(data_dir).string(), j.dump(2) + "\n");
}

}  // namespace zhizao::app
