// zhizao's configuration: every option, its default and its meaning, in one table.
//
// Sources, lowest precedence first: built-in defaults, the TOML file (--config), environment
// variables ZHIZAO_<SECTION>_<KEY> (e.g. ZHIZAO_SERVER_LISTEN), command-line flags.
// Errors name the source, the key and the problem:
//   "zhizao.toml:3: [server] listen: expected a string, got integer".
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"

namespace zhizao {

struct Config {
  // [server]
  std::string listen = "127.0.0.1:8080";
  int64_t http_threads = 2;
  int64_t worker_threads = 2;
  int64_t query_threads = 1;
  int64_t max_queued_queries = 64;
  int64_t max_body_bytes = 32 << 20;
  int64_t request_timeout_ms = 30'000;
  // [storage]
  std::string data_dir = "zhizao-data";
  std::string fsync = "interval";
  int64_t fsync_interval_ms = 1000;
  int64_t checkpoint_interval_s = 600;
  int64_t retention_days_general = 0;
  int64_t retention_days_important = 0;
  int64_t retention_days_core = 0;
  // [ingest]
  std::string new_series = "auto";
  // [query]
  int64_t max_points_scanned = 100'000'000;
  int64_t max_points_returned = 1'000'000;
  std::string quality = "good_and_uncertain";
  // [analytics]
  bool analytics_enabled = true;
  double analytics_event_threshold = 0.5;
  bool analytics_group_by_asset = true;
  std::string analytics_asset_models = "aakr";
  std::string analytics_asset_setpoints = "input";
  // [log]
  std::string log_level = "info";
  std::string log_format = "text";
  // [sim]
  bool sim_enabled = false;
  int64_t sim_seed = 1;
  int64_t sim_scale = 1;
  double sim_faults_per_day = 4.0;
  // [[connectors]]: each table is one connector's definition, as JSON text (the same object
  // POST /api/v1/connectors takes; docs/connectors.md).
  std::vector<std::string> connector_definitions;
};

using ConfigField =
    std::variant<std::string Config::*, int64_t Config::*, double Config::*, bool Config::*>;

struct ConfigOption {
  std::string_view section;
  std::string_view key;
  std::string_view doc;  // one or more lines, printed as comments by `config defaults`
  ConfigField field;
  // Checks the option's value; empty when any value of its type is accepted.
  std::function<Status(const Config&)> check;
};

// Every option zhizao knows, in the order `config defaults` prints them.
const std::vector<ConfigOption>& ConfigOptions();

// A fully commented TOML file with every option at its default.
std::string DefaultConfigToml();

// Applies the TOML document in `text` (named `source` in errors) over `config`.
// Unknown sections or keys and wrong types are errors.
Status ApplyConfigToml(std::string_view text, std::string_view source, Config& config);

// Reads and applies a TOML file. Missing or unreadable file: an error naming it.
Status ApplyConfigFile(const std::string& path, Config& config);

// Applies ZHIZAO_<SECTION>_<KEY> variables from `environ` ("NAME=value" strings).
// `ignored` lists other ZHIZAO_ names that are not options (e.g. ZHIZAO_ADMIN_TOKEN);
// any other unknown ZHIZAO_ variable is an error, so a typo is not silently ignored.
Status ApplyConfigEnv(const std::vector<std::string>& environ, const std::vector<std::string>& ignored,
                      Config& config);

// Sets one option from text, as a flag or variable would: "server.listen", "127.0.0.1:9000".
Status SetConfigOption(std::string_view section, std::string_view key, std::string_view value,
                       std::string_view source, Config& config);

// Runs every option's check.
Status ValidateConfig(const Config& config);

// Splits "host:port" (port 0..65535; "[::1]:80" for IPv6).
Status ParseHostPort(std::string_view text, std::string& host, uint16_t& port);

}  // namespace zhizao
