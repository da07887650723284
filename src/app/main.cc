// zhizao: the industrial internet + AI platform in one binary.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "app/commands.h"
#include "app/version.h"

namespace zhizao::app {
namespace {

void AddServe(CLI::App& cli, ServeFlags& flags, int& exit_code) {
  CLI::App* serve = cli.add_subcommand("serve", "Run the platform: HTTP API, connectors, simulator");
  serve->add_option("--config", flags.config_file, "TOML configuration file (see `zhizao config defaults`)");
  serve->add_option("--listen", flags.listen, "HOST:PORT to serve HTTP on (default 127.0.0.1:8080)");
  serve->add_option("--data-dir", flags.data_dir, "Directory for the catalog and history");
  serve->add_flag("--demo", flags.demo, "Run the simulated plant (the default without --config)");
  serve->callback([&] { exit_code = RunServe(flags); });
}

void AddSim(CLI::App& cli, SimFlags& flags, int& exit_code) {
  CLI::App* sim = cli.add_subcommand("sim", "Run the plant simulator alone, or backfill history as fast as possible");
  sim->add_option("--seed", flags.seed, "Seed: the same seed gives the same plant history")->capture_default_str();
  sim->add_option("--scale", flags.scale, "Copies of the plant")->check(CLI::PositiveNumber)->capture_default_str();
  sim->add_option("--days", flags.days, "Backfill this many days of history")->check(CLI::NonNegativeNumber);
  sim->add_option("--start", flags.start, "RFC 3339 start of the backfill (default: now minus --days)");
  sim->add_flag("--realtime", flags.realtime, "Produce samples in real time until interrupted");
  sim->add_option("--format", flags.format, "lp (InfluxDB line protocol), csv or none")->capture_default_str();
  sim->add_option("--out", flags.out, "Output file, - for stdout")->capture_default_str();
  sim->add_option("--data-dir", flags.data_dir, "Store the backfill in this data dir, as `serve` would");
  sim->add_option("--faults-per-day", flags.faults_per_day, "Automatic fault episodes per day")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sim->callback([&flags, &exit_code, sim] {
    if (!flags.realtime && flags.days <= 0) {
      std::fprintf(stderr, "zhizao: sim: give --days N to backfill, or --realtime\n");
      exit_code = kExitUsage;
      return;
    }
    if (flags.realtime && !flags.data_dir.empty()) {
      std::fprintf(stderr, "zhizao: sim: --data-dir stores a backfill; use `zhizao serve` to store in real time\n");
      exit_code = kExitUsage;
      return;
    }
    // Storing a backfill prints nothing unless a format is asked for.
    if (!flags.data_dir.empty() && sim->count("--format") == 0) flags.format = "none";
    exit_code = RunSim(flags);
  });
}

void AddConfig(CLI::App& cli, std::string& check_path, int& exit_code) {
  CLI::App* config = cli.add_subcommand("config", "Show or check configuration");
  config->require_subcommand(1);
  config->add_subcommand("defaults", "Print a fully commented configuration with every default")
      ->callback([&] { exit_code = RunConfigDefaults(); });
  CLI::App* check = config->add_subcommand("check", "Check a configuration file; exit 2 on the first problem");
  check->add_option("file", check_path, "TOML file")->required();
  check->callback([&] { exit_code = RunConfigCheck(check_path); });
}

int Main(int argc, char** argv) {
  CLI::App cli{"zhizao (智造): industrial internet + AI platform"};
  cli.require_subcommand(1);
  int exit_code = kExitOk;
  ServeFlags serve_flags;
  SimFlags sim_flags;
  std::string check_path;
  AddServe(cli, serve_flags, exit_code);
  AddSim(cli, sim_flags, exit_code);
  AddConfig(cli, check_path, exit_code);
  cli.add_subcommand("version", "Print the version")->callback([] { std::printf("zhizao %s\n", kVersion); });
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = cli.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  return exit_code;
}

}  // namespace
}  // namespace zhizao::app

int main(int argc, char** argv) { return zhizao::app::Main(argc, argv); }
