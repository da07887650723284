#include "app/sim_epoch.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace zhizao::app {
namespace {

std::filesystem::path PathIn(const std::string& data_dir) { return std::filesystem::path(data_dir) / "sim.json"; }

}  // namespace

Result<std::optional<SimEpoch>> ReadSimEpoch(const std::string& data_dir) {
  const std::filesystem::path path = PathIn(data_dir);
  std::error_code error;
  if (!std::filesystem::exists(path, error) && !error) return std::optional<SimEpoch>();
  std::ifstream in(path);
  if (error || !in) return Status::IOError("cannot read " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  auto bad = [&] { return Status::Corruption(path.string() + " is not a simulator epoch"); };
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
  const std::filesystem::path path = PathIn(data_dir);
  const std::filesystem::path tmp = path.string() + ".tmp";
  nlohmann::json j = {{"seed", epoch.seed},
                      {"scale", epoch.scale},
                      {"faults_per_day", epoch.faults_per_day},
                      {"start_ns", epoch.start_ns}};
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << j.dump(2) << '\n';
    out.flush();
    if (!out) return Status::IOError("cannot write " + tmp.string());
  }
  std::error_code error;
  std::filesystem::rename(tmp, path, error);
  if (error) return Status::IOError("cannot rename " + tmp.string() + ": " + error.message());
  return Status::Ok();
}

}  // namespace zhizao::app
