#include "common/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

namespace zhizao {
namespace {

Status Positive(const char* name, int64_t v) {
  if (v > 0) return Status::Ok();
  return Status::InvalidArgument(std::string(name) + ": must be positive, got " + std::to_string(v));
}

// Retention in days: 0 (forever) up to a century, which keeps cutoffs far from overflow.
Status RetentionDaysValid(const char* name, int64_t v) {
  if (v >= 0 && v <= 36'500) return Status::Ok();
  return Status::InvalidArgument(std::string(name) + ": must be from 0 (keep forever) to 36500, got " +
                                 std::to_string(v));
}

std::vector<ConfigOption> BuildOptions() {
  return {
      {"server", "listen", "Address and port of the HTTP API and console. Use 0.0.0.0 to serve other hosts.",
       &Config::listen,
       [](const Config& c) {
         std::string host;
         uint16_t port = 0;
         return ParseHostPort(c.listen, host, port);
       }},
      {"server", "http_threads", "Threads reading and writing HTTP connections.", &Config::http_threads,
       [](const Config& c) { return Positive("http_threads", c.http_threads); }},
      {"server", "worker_threads", "Threads running request handlers (writes, the catalog, ...), apart from queries.",
       &Config::worker_threads, [](const Config& c) { return Positive("worker_threads", c.worker_threads); }},
      {"server", "query_threads",
       "Threads running queries (/query, /api/v1/series/...): at most this many at once, so that\n"
       "queries never hold up writes.",
       &Config::query_threads, [](const Config& c) { return Positive("query_threads", c.query_threads); }},
      {"server", "max_queued_queries", "Queries running or waiting for a query thread; beyond, HTTP 429.",
       &Config::max_queued_queries,
       [](const Config& c) { return Positive("max_queued_queries", c.max_queued_queries); }},
      {"server", "max_body_bytes", "Largest request body accepted; larger requests get HTTP 413.",
       &Config::max_body_bytes, [](const Config& c) { return Positive("max_body_bytes", c.max_body_bytes); }},
      {"server", "request_timeout_ms",
       "A connection that has not sent a whole request within this time is closed.",
       &Config::request_timeout_ms,
       [](const Config& c) { return Positive("request_timeout_ms", c.request_timeout_ms); }},
      {"storage", "data_dir",
       "Directory holding the catalog, the history and the admin token's hash. Created if missing;\n"
       "one zhizao process at a time may use it.",
       &Config::data_dir,
       [](const Config& c) {
         return c.data_dir.empty() ? Status::InvalidArgument("data_dir: must not be empty") : Status::Ok();
       }},
      {"storage", "fsync",
       "When a write is acknowledged: \"always\" after the WAL is fsynced (survives power loss),\n"
       "\"interval\" after write(2), fsyncing every fsync_interval_ms (a power loss may lose that\n"
       "window; a crash of zhizao alone loses nothing), or \"none\" (fsync only at checkpoints).",
       &Config::fsync,
       [](const Config& c) {
         if (c.fsync == "always" || c.fsync == "interval" || c.fsync == "none") return Status::Ok();
         return Status::InvalidArgument("fsync: expected \"always\", \"interval\" or \"none\", got '" + c.fsync +
                                        "'");
       }},
      {"storage", "fsync_interval_ms", "With fsync = \"interval\": the longest a written byte waits for fsync.",
       &Config::fsync_interval_ms,
       [](const Config& c) { return Positive("fsync_interval_ms", c.fsync_interval_ms); }},
      {"storage", "checkpoint_interval_s",
       "Every this many seconds the history in memory is sealed into the chunk store and the WAL\n"
       "truncated: the longest replay after a crash.",
       &Config::checkpoint_interval_s,
       [](const Config& c) { return Positive("checkpoint_interval_s", c.checkpoint_interval_s); }},
      {"storage", "retention_days_general",
       "Days of history kept for tags classified general (一般) that set no retention of their own;\n"
       "0 keeps everything. Applied after each checkpoint, in whole chunks (up to 2 h more).",
       &Config::retention_days_general, [](const Config& c) { return RetentionDaysValid("retention_days_general", c.retention_days_general); }},
      {"storage", "retention_days_important", "The same for tags classified important (重要).",
       &Config::retention_days_important, [](const Config& c) { return RetentionDaysValid("retention_days_important", c.retention_days_important); }},
      {"storage", "retention_days_core", "The same for tags classified core (核心).", &Config::retention_days_core,
       [](const Config& c) { return RetentionDaysValid("retention_days_core", c.retention_days_core); }},
      {"ingest", "new_series",
       "What a line-protocol write (/write, /api/v2/write, `zhizao write`) does with a field the\n"
       "catalog has no tag for: \"auto\" makes the tag (typed by the first value), \"reject\" refuses\n"
       "the line (HTTP 400 naming it) and stores the others.",
       &Config::new_series,
       [](const Config& c) {
         if (c.new_series == "auto" || c.new_series == "reject") return Status::Ok();
         return Status::InvalidArgument("new_series: expected \"auto\" or \"reject\", got '" + c.new_series + "'");
       }},
      {"query", "max_points_scanned",
       "A query (REST or InfluxQL) that would read more samples than this fails with HTTP 422\n"
       "\"query would scan more than N points (max_points_scanned)\": 100,000,000 is three years of\n"
       "one tag at 1 s.",
       &Config::max_points_scanned, [](const Config& c) { return Positive("max_points_scanned", c.max_points_scanned); }},
      {"query", "max_points_returned",
       "A query whose answer could hold more rows than this fails before reading anything (HTTP 422,\n"
       "naming max_points_returned).",
       &Config::max_points_returned,
       [](const Config& c) { return Positive("max_points_returned", c.max_points_returned); }},
      {"query", "quality",
       "Which samples aggregates and reads count: \"good_and_uncertain\" (OPC UA Part 13's default),\n"
       "\"good_only\", or \"all\" (bad ones too, as a database without quality would).",
       &Config::quality,
       [](const Config& c) {
         if (c.quality == "good_and_uncertain" || c.quality == "good_only" || c.quality == "all") return Status::Ok();
         return Status::InvalidArgument("quality: expected \"good_and_uncertain\", \"good_only\" or \"all\", got '" +
                                        c.quality + "'");
       }},
      {"analytics", "enabled",
       "Watch every numeric tag with the streaming detectors and raise events (GET /api/v1/events).",
       &Config::analytics_enabled, {}},
      {"analytics", "event_threshold",
       "The detector score (0 to 1) at which a sample raises or holds an event. Each detector maps\n"
       "its own alarm level to 0.5; higher values keep only the more extreme anomalies.",
       &Config::analytics_event_threshold,
       [](const Config& c) {
         if (c.analytics_event_threshold > 0 && c.analytics_event_threshold <= 1) return Status::Ok();
         return Status::InvalidArgument("event_threshold: expected a score above 0 and at most 1");
       }},
      {"analytics", "group_by_asset",
       "One event for the tags of an asset that alarm together (a machine that stops moves them\n"
       "all), named after the first to alarm and listing the others (ISA-18.2 flood suppression);\n"
       "false gives every tag events of its own.",
       &Config::analytics_group_by_asset, {}},
      {"analytics", "asset_models",
       "A model per asset over its float64 tags, learnt from up to a week of its stored history at\n"
       "start (or live for 6 h when less is stored): \"aakr\" (kernel regression, which compares\n"
       "each moment with remembered ones of the same operating state), \"pca\", or \"off\"; learnt\n"
       "again daily. Once an asset's model scores, the tags it judges keep only their sensor-fault\n"
       "rules and process changes come from the model, as events of source asset:<path> naming the\n"
       "tags behind them.\n"
       "On the simulated plant, with a week stored: 5-7 alerts a day at 76-86 % precision, more\n"
       "episodes found than by the tags alone; from a fresh start (refit daily): under a third of the\n"
       "alerts at 2-3 times the precision, and as many episodes found with their root cause\n"
       "(docs/analytics/sim_eval.md). Tags made by line protocol, and assets with more than 128\n"
       "float64 tags, are judged by their own detectors only.",
       &Config::analytics_asset_models,
       [](const Config& c) {
         const std::string& m = c.analytics_asset_models;
         if (m == "off" || m == "aakr" || m == "pca") return Status::Ok();
         return Status::InvalidArgument("asset_models: expected \"off\", \"aakr\" or \"pca\", got '" + m + "'");
       }},
      {"analytics", "asset_setpoints",
       "What the writable tags (setpoints, commands) are to an asset's kernel regression model:\n"
       "\"input\" (they select the remembered states but are not judged: a person moving a setpoint\n"
       "is not a fault), \"monitored\" (judged like the others) or \"left_out\".",
       &Config::analytics_asset_setpoints,
       [](const Config& c) {
         const std::string& m = c.analytics_asset_setpoints;
         if (m == "input" || m == "monitored" || m == "left_out") return Status::Ok();
         return Status::InvalidArgument("asset_setpoints: expected \"input\", \"monitored\" or \"left_out\", got '" +
                                        m + "'");
       }},
      {"log", "level", "One of trace, debug, info, warn, error, critical, off.", &Config::log_level,
       [](const Config& c) {
         static const char* kLevels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
         for (const char* l : kLevels) {
           if (c.log_level == l) return Status::Ok();
         }
         return Status::InvalidArgument("level: unknown log level '" + c.log_level + "'");
       }},
      {"log", "format", "\"text\" for people, \"json\" (one object per line) for log collectors.",
       &Config::log_format,
       [](const Config& c) {
         if (c.log_format == "text" || c.log_format == "json") return Status::Ok();
         return Status::InvalidArgument("format: expected \"text\" or \"json\", got '" + c.log_format + "'");
       }},
      {"sim", "enabled",
       "Run the built-in plant simulator (a pumping station, a CNC cell, a moulding line, utilities).\n"
       "`zhizao serve` without --config, or with --demo, turns it on.",
       &Config::sim_enabled, nullptr},
      {"sim", "seed", "Seed of the simulator: the same seed gives the same plant history.", &Config::sim_seed,
       nullptr},
      {"sim", "scale",
       "Copies of the plant to simulate; each adds its assets and tags (see docs/simulator.md).",
       &Config::sim_scale, [](const Config& c) { return Positive("scale", c.sim_scale); }},
      {"sim", "faults_per_day", "Fault episodes the simulator starts by itself per day; 0 for none.",
       &Config::sim_faults_per_day,
       [](const Config& c) {
         if (c.sim_faults_per_day >= 0 && std::isfinite(c.sim_faults_per_day)) return Status::Ok();
         return Status::InvalidArgument("faults_per_day: must be a finite number >= 0");
       }},
  };
}

const ConfigOption* FindOption(std::string_view section, std::string_view key) {
  for (const ConfigOption& o : ConfigOptions()) {
    if (o.section == section && o.key == key) return &o;
  }
  return nullptr;
}

std::string QuoteToml(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string FormatDouble(double v) {
  std::ostringstream out;
  out << v;
  std::string s = out.str();
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

std::string FormatValue(const Config& c, const ConfigField& field) {
  return std::visit(
      [&](auto member) -> std::string {
        using T = std::decay_t<decltype(c.*member)>;
        if constexpr (std::is_same_v<T, std::string>) return QuoteToml(c.*member);
        if constexpr (std::is_same_v<T, int64_t>) return std::to_string(c.*member);
        if constexpr (std::is_same_v<T, double>) return FormatDouble(c.*member);
        if constexpr (std::is_same_v<T, bool>) return c.*member ? "true" : "false";
      },
      field);
}

std::string_view TomlTypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return "string";
    case toml::node_type::integer: return "integer";
    case toml::node_type::floating_point: return "float";
    case toml::node_type::boolean: return "boolean";
    case toml::node_type::table: return "table";
    case toml::node_type::array: return "array";
    default: return "date/time";
  }
}

// Sets one field from a TOML node; the error names what was expected.
Status SetFromNode(const toml::node& node, const ConfigField& field, Config& config) {
  return std::visit(
      [&](auto member) -> Status {
        using T = std::decay_t<decltype(config.*member)>;
        std::string got = std::string(TomlTypeName(node));
        if constexpr (std::is_same_v<T, std::string>) {
          if (!node.is_string()) return Status::InvalidArgument("expected a string, got " + got);
          config.*member = *node.value<std::string>();
        } else if constexpr (std::is_same_v<T, int64_t>) {
          if (!node.is_integer()) return Status::InvalidArgument("expected an integer, got " + got);
          config.*member = *node.value<int64_t>();
        } else if constexpr (std::is_same_v<T, double>) {
          if (!node.is_number()) return Status::InvalidArgument("expected a number, got " + got);
          config.*member = *node.value<double>();
        } else {
          if (!node.is_boolean()) return Status::InvalidArgument("expected true or false, got " + got);
          config.*member = *node.value<bool>();
        }
        return Status::Ok();
      },
      field);
}

Status SetFromText(std::string_view text, const ConfigField& field, Config& config) {
  return std::visit(
      [&](auto member) -> Status {
        using T = std::decay_t<decltype(config.*member)>;
        if constexpr (std::is_same_v<T, std::string>) {
          config.*member = std::string(text);
        } else if constexpr (std::is_same_v<T, int64_t>) {
          int64_t v = 0;
          auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
          if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
            return Status::InvalidArgument("expected an integer, got '" + std::string(text) + "'");
          }
          config.*member = v;
        } else if constexpr (std::is_same_v<T, double>) {
          std::string copy(text);
          char* end = nullptr;
          errno = 0;
          double v = std::strtod(copy.c_str(), &end);
          if (copy.empty() || *end != '\0' || errno != 0) {
            return Status::InvalidArgument("expected a number, got '" + copy + "'");
          }
          config.*member = v;
        } else {
          if (text == "true" || text == "1") {
            config.*member = true;
          } else if (text == "false" || text == "0") {
            config.*member = false;
          } else {
            return Status::InvalidArgument("expected true or false, got '" + std::string(text) + "'");
          }
        }
        return Status::Ok();
      },
      field);
}

std::string Where(std::string_view source, const toml::node& node) {
  return std::string(source) + ":" + std::to_string(node.source().begin.line);
}

std::string UpperName(std::string_view section, std::string_view key) {
  std::string name = "ZHIZAO_" + std::string(section) + "_" + std::string(key);
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

// [[connectors]] tables become JSON definitions; the connectors check their fields when built.
Status ApplyConnectors(const toml::node& node, std::string_view source, Config& config) {
  const toml::array* list = node.as_array();
  if (list == nullptr || !list->is_array_of_tables()) {
    return Status::InvalidArgument(Where(source, node) + ": connectors must be an array of tables ([[connectors]])");
  }
  for (const toml::node& table : *list) {
    std::ostringstream json;
    json << toml::json_formatter{*table.as_table()};
    config.connector_definitions.push_back(json.str());
  }
  return Status::Ok();
}

Status ApplyTable(const toml::table& root, std::string_view source, Config& config) {
  for (const auto& [section_key, section_node] : root) {
    std::string section(section_key.str());
    if (section == "connectors") {
      ZZ_RETURN_IF_ERROR(ApplyConnectors(section_node, source, config));
      continue;
    }
    const toml::table* table = section_node.as_table();
    if (table == nullptr) {
      return Status::InvalidArgument(Where(source, section_node) + ": unknown key '" + section +
                                     "' (options live in sections such as [server])");
    }
    for (const auto& [key, node] : *table) {
      const ConfigOption* option = FindOption(section, key.str());
      std::string name = "[" + section + "] " + std::string(key.str());
      if (option == nullptr) {
        return Status::InvalidArgument(Where(source, node) + ": unknown key " + name);
      }
      ZZ_RETURN_IF_ERROR(SetFromNode(node, option->field, config).WithContext(Where(source, node) + ": " + name));
    }
  }
  return Status::Ok();
}

}  // namespace

const std::vector<ConfigOption>& ConfigOptions() {
  static const std::vector<ConfigOption> options = BuildOptions();
  return options;
}

std::string DefaultConfigToml() {
  Config defaults;
  std::string out =
      "# zhizao configuration. Every option is shown at its default.\n"
      "# Each can also be set by an environment variable ZHIZAO_<SECTION>_<KEY>\n"
      "# (e.g. ZHIZAO_SERVER_LISTEN) or, for some, by a flag of `zhizao serve`;\n"
      "# flags win over variables, and variables over this file.\n";
  std::string_view section;
  for (const ConfigOption& o : ConfigOptions()) {
    if (o.section != section) {
      section = o.section;
      out += "\n[" + std::string(section) + "]\n";
    }
    std::string_view doc = o.doc;
    while (!doc.empty()) {
      size_t nl = doc.find('\n');
      out += "# " + std::string(doc.substr(0, nl)) + "\n";
      doc = nl == std::string_view::npos ? std::string_view() : doc.substr(nl + 1);
    }
    out += "# Environment: " + UpperName(o.section, o.key) + "\n";
    out += std::string(o.key) + " = " + FormatValue(defaults, o.field) + "\n";
  }
  return out;
}

Status ApplyConfigToml(std::string_view text, std::string_view source, Config& config) {
  try {
    toml::table root = toml::parse(text, source);
    return ApplyTable(root, source, config);
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(std::string(source) + ":" + std::to_string(e.source().begin.line) + ": " +
                                   std::string(e.description()));
  }
}

Status ApplyConfigFile(const std::string& path, Config& config) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read config file " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return ApplyConfigToml(text.str(), path, config);
}

Status ApplyConfigEnv(const std::vector<std::string>& environ, const std::vector<std::string>& ignored,
                      Config& config) {
  for (const std::string& entry : environ) {
    if (entry.rfind("ZHIZAO_", 0) != 0) continue;
    size_t eq = entry.find('=');
    std::string name = entry.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : entry.substr(eq + 1);
    if (std::find(ignored.begin(), ignored.end(), name) != ignored.end()) continue;
    const ConfigOption* match = nullptr;
    for (const ConfigOption& o : ConfigOptions()) {
      if (UpperName(o.section, o.key) == name) match = &o;
    }
    if (match == nullptr) {
      return Status::InvalidArgument("environment variable " + name + ": not a zhizao option");
    }
    ZZ_RETURN_IF_ERROR(SetFromText(value, match->field, config).WithContext("environment variable " + name));
  }
  return Status::Ok();
}

Status SetConfigOption(std::string_view section, std::string_view key, std::string_view value,
                       std::string_view source, Config& config) {
  const ConfigOption* option = FindOption(section, key);
  if (option == nullptr) {
    return Status::InvalidArgument(std::string(source) + ": unknown option " + std::string(section) + "." +
                                   std::string(key));
  }
  return SetFromText(value, option->field, config).WithContext(source);
}

Status ValidateConfig(const Config& config) {
  for (const ConfigOption& o : ConfigOptions()) {
    if (!o.check) continue;
    ZZ_RETURN_IF_ERROR(o.check(config).WithContext("[" + std::string(o.section) + "]"));
  }
  return Status::Ok();
}

Status ParseHostPort(std::string_view text, std::string& host, uint16_t& port) {
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return Status::InvalidArgument("listen: expected HOST:PORT, got '" + std::string(text) + "'");
  }
  std::string_view host_part = text.substr(0, colon);
  if (host_part.size() >= 2 && host_part.front() == '[' && host_part.back() == ']') {
    host_part = host_part.substr(1, host_part.size() - 2);
  }
  std::string_view port_part = text.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port_part.data(), port_part.data() + port_part.size(), value);
  if (ec != std::errc() || end != port_part.data() + port_part.size() || port_part.empty() || value > 65535) {
    return Status::InvalidArgument("listen: port must be a number from 0 to 65535, got '" +
                                   std::string(port_part) + "'");
  }
  host = std::string(host_part);
  port = static_cast<uint16_t>(value);
  return Status::Ok();
}

}  // namespace zhizao
