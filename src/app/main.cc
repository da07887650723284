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

void AddConnection(CLI::App& command, ConnectionFlags& flags) {
  command.add_option("--url", flags.url, "Server URL")->envname("ZHIZAO_URL")->capture_default_str();
  command.add_option("--token", flags.token, "API token, sent as `Authorization: Token <t>`")->envname("ZHIZAO_TOKEN");
  command.add_option("--timeout", flags.timeout_s, "Seconds to wait for each answer")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
}

void AddQuery(CLI::App& cli, QueryFlags& flags, int& exit_code) {
  CLI::App* query = cli.add_subcommand("query", "Run InfluxQL on a running server and print the results");
  query->add_option("query", flags.query, "InfluxQL statements, or - to read them from stdin")->required();
  query->add_option("--db", flags.db, "Default database of the statements")->envname("ZHIZAO_DB");
  query->add_option("--format", flags.format, "table, csv or json (the server's answer as is)")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  query->add_option("--epoch", flags.epoch, "Times as integers in ns, u, ms, s, m or h (default RFC 3339)")
      ->check(CLI::IsMember({"ns", "n", "u", "us", "ms", "s", "m", "h"}));
  AddConnection(*query, flags.connection);
  query->callback([&] { exit_code = RunQuery(flags); });
}

void AddWrite(CLI::App& cli, WriteFlags& flags, int& exit_code) {
  CLI::App* write = cli.add_subcommand("write", "Send line protocol to a running server");
  write->add_option("file", flags.file, "Line protocol file, - for stdin")->capture_default_str();
  write->add_option("--db", flags.db, "Database to write to")->envname("ZHIZAO_DB")->required();
  write->add_option("--precision", flags.precision, "Unit of the timestamps")
      ->check(CLI::IsMember({"ns", "us", "ms", "s"}))
      ->capture_default_str();
  write->add_option("--batch-bytes", flags.batch_bytes, "Largest request body (4MiB, 512KiB, ...)")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  write->add_flag("--gzip", flags.gzip, "Compress the request bodies");
  AddConnection(*write, flags.connection);
  write->callback([&] { exit_code = RunWrite(flags); });
}

void AddExport(CLI::App& cli, ExportFlags& flags, int& exit_code) {
  CLI::App* exp = cli.add_subcommand("export", "Export the raw samples of tags from a running server");
  exp->add_option("--tags", flags.tags, "Glob over tag paths, e.g. 'demo/plant1/*/pump01/*'")->required();
  exp->add_option("--from", flags.from, "RFC 3339 start, inclusive")->required();
  exp->add_option("--to", flags.to, "RFC 3339 end, exclusive")->required();
  exp->add_option("--format", flags.format, "csv, lp (line protocol) or json")
      ->check(CLI::IsMember({"csv", "lp", "json"}))
      ->capture_default_str();
  exp->add_option("--out", flags.out, "Output file, - for stdout")->capture_default_str();
  AddConnection(*exp, flags.connection);
  exp->callback([&] { exit_code = RunExport(flags); });
}

void AddImport(CLI::App& cli, ImportFlags& flags, int& exit_code) {
  CLI::App* imp = cli.add_subcommand("import", "Send a CSV file to a running server as line protocol");
  imp->add_option("file", flags.file, "CSV file with a header row, - for stdin")->required();
  imp->add_option("--db", flags.db, "Database to write to (tags named by path say their own)")->envname("ZHIZAO_DB");
  imp->add_option("--measurement", flags.measurement, "Measurement of every row (default: the measurement column)");
  imp->add_option("--precision", flags.precision, "Unit of epoch times in the time column")
      ->check(CLI::IsMember({"ns", "us", "ms", "s"}))
      ->capture_default_str();
  imp->add_option("--batch-bytes", flags.batch_bytes, "Largest request body (4MiB, 512KiB, ...)")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  imp->add_flag("--gzip", flags.gzip, "Compress the request bodies");
  AddConnection(*imp, flags.connection);
  imp->callback([&] { exit_code = RunImport(flags); });
}

void AddEval(CLI::App& cli, EvalFlags& flags, int& exit_code) {
  CLI::App* eval = cli.add_subcommand("eval", "Score the analytics on a public benchmark (docs/benchmarks.md)");
  eval->require_subcommand(1);
  CLI::App* nab = eval->add_subcommand("nab", "Numenta Anomaly Benchmark v1.1: standard, low-FP and low-FN scores");
  nab->add_option("--data", flags.data_dir, "NAB's folder (with data/ and labels/)")->required()->check(CLI::ExistingDirectory);
  nab->add_flag("--per-file", flags.per_file, "Also print one line per file");
  nab->callback([&] { exit_code = RunEvalNab(flags); });
  CLI::App* tep = eval->add_subcommand("tep", "Tennessee Eastman: Yin et al.'s PCA table reproduced, then PCA, DPCA and CVA");
  tep->add_option("--data", flags.data_dir, "The folder of d00.dat ... d21_te.dat")->required()->check(CLI::ExistingDirectory);
  tep->callback([&] { exit_code = RunEvalTep(flags); });
  CLI::App* cmapss = eval->add_subcommand("cmapss", "C-MAPSS turbofan remaining life: train on train_, score test_ (RMSE, PHM08)");
  cmapss->add_option("--data", flags.data_dir, "The folder of train_FD00x.txt, test_FD00x.txt, RUL_FD00x.txt")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmapss->add_option("--subset", flags.subset, "FD001, FD002, FD003 or FD004")->capture_default_str();
  cmapss->add_flag("--per-unit", flags.per_file, "Also print one line per test unit");
  cmapss->callback([&] { exit_code = RunEvalCmapss(flags); });
  CLI::App* sim = eval->add_subcommand("sim", "The live analytics on the simulated plant, scored against its fault episodes");
  sim->add_option("--days", flags.days, "Simulated days")->check(CLI::Range(1, 365))->capture_default_str();
  sim->add_option("--seed", flags.seed, "The simulator's seed (defaults were tuned on seed 1)")->capture_default_str();
  sim->add_option("--history-days", flags.history_days, "Days simulated and learnt from before the judged ones")
      ->check(CLI::Range(0, 7))
      ->capture_default_str();
  sim->add_option("--asset-models", flags.asset_models,
                  "A model per asset, as serve's [analytics] asset_models: aakr, pca or off (serve's default is "
                  "aakr; `--asset-models aakr --historian` runs what serve does)")
      ->check(CLI::IsMember({"off", "pca", "aakr"}))
      ->capture_default_str();
  sim->add_option("--setpoints", flags.setpoints, "Setpoints in the asset models, as [analytics] asset_setpoints")
      ->check(CLI::IsMember({"input", "monitored", "left_out"}))
      ->capture_default_str();
  sim->add_flag("--no-fault-records", flags.no_fault_records,
                "The models learn from the plant's fault episodes too (serve leaves them out, as maintenance records "
                "would mark them)");
  sim->add_flag("--historian", flags.historian,
                "Store the run in a historian (a temporary one), as serve does: the models learn from it and "
                "refit daily");
  sim->add_flag("--per-tag", flags.per_tag,
                "Every tag's alarms are events of their own, as before alarms were grouped by equipment");
  sim->add_flag("--list", flags.per_file, "Also print every episode and every judged alert, true or false");
  sim->callback([&] { exit_code = RunEvalSim(flags); });
}

void AddModel(CLI::App& cli, ModelFlags& flags, int& exit_code) {
  CLI::App* model = cli.add_subcommand("model", "Train, describe and activate the analytic models of a running server");
  model->require_subcommand(1);
  const CLI::Range kVersions(1, 1'000'000'000);
  auto action = [&](const char* name, const char* help) {
    CLI::App* sub = model->add_subcommand(name, help);
    sub->add_flag("--json", flags.json, "Print the server's JSON answer as is");
    AddConnection(*sub, flags.connection);
    sub->callback([&flags, &exit_code, name] {
      flags.action = name;
      exit_code = RunModel(flags);
    });
    return sub;
  };
  auto card = [&](CLI::App* sub, bool required) {
    CLI::Option* use =
        sub->add_option("--intended-use", flags.intended_use, "Card: what decisions it supports, on which equipment");
    CLI::Option* limits = sub->add_option("--limitations", flags.limitations, "Card: where it must not be trusted");
    if (required) {
      use->required();
      limits->required();
    }
    sub->add_option("--evaluation", flags.evaluation, "Card: how it was checked beyond the stored metrics");
    sub->add_option("--owner", flags.owner, "Card: who answers for it");
  };
  CLI::App* train = action("train", "Train a new version on a range of an asset's (or, --method rul, a fleet's) history");
  train->add_option("--id", flags.id, "Model id: lower-case letters, digits, - _ .")->required();
  train->add_option("--asset", flags.asset, "The asset it watches (path or id); not with --method rul");
  train->add_option("--tags", flags.tags, "Input tags, comma-separated: names under the asset, paths or ids")
      ->required()
      ->delimiter(',');
  train->add_option("--from", flags.from, "Start of the training range: RFC 3339, epoch ms or now-6h")->required();
  train->add_option("--to", flags.to, "End of the training range, exclusive")->required();
  train->add_option("--step", flags.step, "Grid step, e.g. 1s, 10s (default 1s)");
  train->add_option("--method", flags.method, "pca, dpca, cva, aakr (kernel regression) or rul (remaining life; default pca)")
      ->check(CLI::IsMember({"pca", "dpca", "cva", "aakr", "rul"}));
  train->add_option("--assets", flags.assets, "rul: the fleet, comma-separated asset paths or ids")->delimiter(',');
  train->add_option("--cycle", flags.cycle, "rul: one row per asset per cycle, e.g. 1h");
  train->add_option("--failure", flags.failures, "rul: a failure, asset@time (repeat the flag for each)");
  train->add_option("--window", flags.window, "rul: trailing window in cycles (default 30)")->check(CLI::Range(2, 10000));
  train->add_option("--rul-cap", flags.rul_cap, "rul: remaining life is learnt up to this many cycles (default 135)")
      ->check(CLI::PositiveNumber);
  card(train, false);
  CLI::App* list = action("list", "List model versions as a table");
  list->add_option("--asset", flags.asset, "Only models of this asset and the assets below it");
  list->add_flag("--active", flags.active_only, "Only the active versions");
  CLI::App* show = action("show", "Show a model's versions and activation history, or one version");
  show->add_option("id", flags.id, "Model id")->required();
  show->add_option("version", flags.version, "A version to show in full")->check(kVersions);
  CLI::App* write_card = action("card", "Write a version's model card (needed before it may run)");
  write_card->add_option("id", flags.id, "Model id")->required();
  write_card->add_option("version", flags.version, "Version")->required()->check(kVersions);
  card(write_card, true);
  CLI::App* activate = action("activate", "Make a version the one that runs live");
  activate->add_option("id", flags.id, "Model id")->required();
  activate->add_option("version", flags.version, "Version")->required()->check(kVersions);
  action("rollback", "Run again the version that ran before the active one")
      ->add_option("id", flags.id, "Model id")
      ->required();
  action("deactivate", "Stop running the model live")->add_option("id", flags.id, "Model id")->required();
}

void AddAnalyze(CLI::App& cli, AnalyzeFlags& flags, int& exit_code) {
  CLI::App* analyze = cli.add_subcommand("analyze", "Replay a model over a past range: the events it would have raised");
  analyze->add_option("--model", flags.model, "Model id")->required();
  analyze->add_option("--version", flags.version, "Version (default: the active one, else the newest)")
      ->check(CLI::Range(1, 1'000'000'000));
  analyze->add_option("--from", flags.from, "Start: RFC 3339, epoch ms or now-1h")->required();
  analyze->add_option("--to", flags.to, "End, exclusive")->required();
  analyze->add_flag("--json", flags.json, "Print the server's JSON answer as is");
  AddConnection(*analyze, flags.connection);
  analyze->callback([&] { exit_code = RunAnalyze(flags); });
}

// The flags of every subcommand, alive until parsing has run the chosen one.
struct AllFlags {
  ServeFlags serve;
  SimFlags sim;
  std::string check_path;
  QueryFlags query;
  WriteFlags write;
  ExportFlags exp;
  ImportFlags imp;
  EvalFlags eval;
  ModelFlags model;
  AnalyzeFlags analyze;
};

int Main(int argc, char** argv) {
  CLI::App cli{"zhizao (智造): industrial internet + AI platform"};
  cli.require_subcommand(1);
  int exit_code = kExitOk;
  AllFlags flags;
  AddServe(cli, flags.serve, exit_code);
  AddSim(cli, flags.sim, exit_code);
  AddConfig(cli, flags.check_path, exit_code);
  AddQuery(cli, flags.query, exit_code);
  AddWrite(cli, flags.write, exit_code);
  AddExport(cli, flags.exp, exit_code);
  AddImport(cli, flags.imp, exit_code);
  AddEval(cli, flags.eval, exit_code);
  AddModel(cli, flags.model, exit_code);
  AddAnalyze(cli, flags.analyze, exit_code);
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
