// SPDX-License-Identifier: GPL-3.0-or-later
// lbsim: simulate a two-tier load-balancing layout from a scenario file.
// Exit codes: 0 success, 1 internal error, 2 bad input (usage or scenario), 3 the run
// missed a service-level objective of the scenario's `slo:` (so scenarios can gate CI).
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/child_runs.hpp"
#include "cli/compare.hpp"
#include "cli/replications.hpp"
#include "cli/scenario_file.hpp"
#include "cli/stream.hpp"
#include "cli/stream_commands.hpp"
#include "cli/input_files.hpp"
#include "cli/run_limits.hpp"
#include "reports/words.hpp"
#include "cli/sweep.hpp"
#include "cli/testbed.hpp"
#include "cli/frames.hpp"
#include "cli/import.hpp"
#include "cli/quiz.hpp"
#include "cli/trace.hpp"
#include "cli/export.hpp"
#include "cli/route.hpp"
#include "balancing/registry.hpp"
#include "config/limits.hpp"
#include "config/schema.hpp"
#include "util/strings.hpp"
#include "models/simulation.hpp"
#include "reports/html/report.hpp"
#include "reports/output_files.hpp"
#include "reports/outputs.hpp"
#include "reports/slo.hpp"
#include "reports/summary.hpp"
#include "topology/topology.hpp"
#include "util/units.hpp"

namespace {

constexpr int kExitBadInput = 2;
constexpr int kExitSloMissed = 3;

using lbsim::config::ScenarioSpec;

// What a plain run takes is what replications take, and the stream's own options.
struct RunArgs : lbsim::cli::ReplicationArgs {
  bool stream = false;
  std::string speed = "max";
  std::string tick = "500ms";
  std::optional<std::string> sample_every;  // --sample-every: the stream's sampled requests
};

// CLI11 checked the name: en or ko.
lbsim::text::Language language_of(const RunArgs& args) { return lbsim::text::language_named(args.language).value_or(lbsim::text::Language::en); }

// A progress bar on the terminal, for runs that last more than a couple of seconds, and
// only when stderr is a terminal (not in logs, pipes or CI).
class ProgressBar {
public:
  ProgressBar(double until_s, bool enabled) : until_s_(until_s), enabled_(enabled) {}
  bool enabled() const { return enabled_; }
  void show(double now) {
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    if (wall < 2.0) return;
    constexpr int kWidth = 30;
    const double share = std::min(1.0, now / until_s_);
    const int filled = static_cast<int>(share * kWidth);
    // Past the traffic's end, answers still come in (up to drain_timeout).
    std::cerr << fmt::format("\r  [{}{}] {:3.0f}%  {:.0f} s simulated in {:.0f} s{} ", std::string(filled, '#'),
                             std::string(kWidth - filled, '.'), 100 * share, now, wall, now > until_s_ ? ", draining" : "")
              << std::flush;
    shown_ = true;
  }
  void clear() {
    if (shown_) std::cerr << '\r' << std::string(72, ' ') << '\r' << std::flush;
  }

private:
  double until_s_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

// The exit code the objectives give, with one line on stderr naming those missed (the
// table above, printed unless -q, has the figures).
int slo_gate(const lbsim::reports::SloReport& slo) {
  if (slo.passed) return 0;
  std::string missed;
  for (const auto& objective : slo.objectives)
    if (!objective.passed) missed += (missed.empty() ? "" : "; ") + objective.text;
  std::cerr << "lbsim: service-level objective missed: " << missed << '\n';
  return kExitSloMissed;
}

// The run's end: a model bug (counts that do not add up) outranks a missed objective.
int run_outcome(const ScenarioSpec& spec, const lbsim::results::RunResult& result) {
  for (const auto& problem : result.accounting_problems)
    std::cerr << "lbsim: internal error: the run's counts do not add up: " << problem << '\n';
  if (!result.accounting_problems.empty()) return 1;
  return slo_gate(lbsim::reports::evaluate_slo(spec, result));
}

// --stream: newline-delimited JSON events on stdout, commands on stdin (cli/stream.hpp).
// A tick is one line per zone and node: finer than this floods a watcher without showing more.
constexpr double kMinTickSeconds = 0.01;
int run_streamed(const ScenarioSpec& spec, const RunArgs& args) {
  lbsim::cli::StreamOptions options;
  const auto speed = lbsim::cli::parse_speed(args.speed);
  const auto tick = lbsim::config::limits::parse_duration(args.tick);
  if (!speed || !tick || *tick < kMinTickSeconds) {
    std::cerr << "lbsim: error: "
              << (!speed ? "--speed: expected max, realtime or a factor from 0.001x to 1000000x such as 10x, got '" + lbsim::printable(args.speed) + "'"
                         : "--tick: expected a duration such as 500ms, at least 10ms and at most 1000000s, got '" + lbsim::printable(args.tick) + "'")
              << '\n';
    return kExitBadInput;
  }
  options.speed = *speed;
  options.tick_s = *tick;
  if (args.sample_every) {
    const auto every = lbsim::config::limits::parse_duration(*args.sample_every);
    if (!every || *every < kMinTickSeconds) {
      std::cerr << "lbsim: error: --sample-every: expected a duration such as 100ms, at least 10ms, got '" << lbsim::printable(*args.sample_every) << "'\n";
      return kExitBadInput;
    }
    options.sample_every_s = *every;
  }
  lbsim::reports::StreamWriter writer(spec, std::cout);
  const lbsim::results::RunResult result = lbsim::cli::run_streamed(spec, options, writer);
  const auto summary = lbsim::reports::summary_json(spec, result);
  writer.end(summary);
  if (!args.out_dir.empty()) lbsim::reports::write_run_outputs(args.out_dir, spec, result, summary, language_of(args));
  return run_outcome(spec, result);
}

int run(const RunArgs& args) {
  if (!args.collect.empty()) return lbsim::cli::run_replications(args);
  if (args.file.empty()) {
    std::cerr << "lbsim: error: run: expected FILE (or --collect DIR)\n";
    return kExitBadInput;
  }
  if (args.slurm && args.replications < 2) {
    std::cerr << "lbsim: error: --slurm runs replications: expected --replications N with N >= 2\n";
    return kExitBadInput;
  }
  if (args.replications > 1) {
    if (args.stream) {
      std::cerr << "lbsim: error: --replications runs child processes and cannot --stream; stream one run\n";
      return kExitBadInput;
    }
    return lbsim::cli::run_replications(args);
  }
  ScenarioSpec spec = lbsim::cli::load_scenario_file(args.file, args.variant, lbsim::cli::parse_set_options(args.sets));
  // A plain run of a file with variants runs the file as written: say how to run them.
  if (const auto note = lbsim::cli::variants_note(spec, args.file); !note.empty() && !args.quiet) std::cerr << note << '\n';
  if (args.seed) spec.seed = *args.seed;
  if (args.duration) {
    const auto seconds = lbsim::config::limits::parse_duration(*args.duration);
    if (!seconds || *seconds <= 0) {
      std::cerr << "lbsim: error: --duration: expected a positive duration such as 500ms or 30s, at most 1000000s, got '" << *args.duration << "'\n";
      return kExitBadInput;
    }
    spec.duration_s = *seconds;
  }
  lbsim::cli::refuse_if_beyond_limits(spec);  // before a run that could not finish
  if (!args.out_dir.empty()) lbsim::reports::prepare_output_folder(args.out_dir);  // a bad --out costs no simulation
  if (args.stream) return run_streamed(spec, args);
  ProgressBar progress(spec.duration_s, !args.quiet && ::isatty(STDERR_FILENO) == 1);
  lbsim::models::LiveHooks hooks;
  hooks.tick_s = std::max(0.1, spec.duration_s / 100);
  hooks.on_tick = [&progress](const lbsim::results::RunMetrics&, double now) { progress.show(now); };
  // A sample of requests is traced hop by hop when the run writes files (traces.md).
  const std::vector<std::uint64_t> sampled = args.out_dir.empty() ? std::vector<std::uint64_t>{} : std::vector<std::uint64_t>{1, 10, 100, 1000};
  lbsim::models::RunOptions options;
  options.live = progress.enabled() ? &hooks : nullptr;
  options.trace = sampled;
  const lbsim::results::RunResult result = lbsim::models::run_scenario(spec, options);
  progress.clear();
  const auto summary = lbsim::reports::summary_json(spec, result);
  const lbsim::text::Language language = language_of(args);
  if (!args.quiet) lbsim::reports::print_summary(std::cout, summary, language);
  if (!args.out_dir.empty()) {
    lbsim::reports::write_run_outputs(args.out_dir, spec, result, summary, language);
    lbsim::reports::html::write_report(std::filesystem::path(args.out_dir) / "report.html", spec, result, summary, language);
    if (!args.quiet) std::cout << "\n  " << lbsim::reports::say("sum.wrote", language, {args.out_dir}) << '\n';
  }
  return run_outcome(spec, result);
}

// The schema the loader executes, as docs; or a doc's tables brought up to date.
int print_schema(const std::string& format, const std::string& doc) {
  namespace schema = lbsim::config::schema;
  if (!doc.empty()) {
    std::ifstream in(doc);
    if (!in) {
      std::cerr << doc << ": error: cannot read the file\n";
      return kExitBadInput;
    }
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    lbsim::reports::write_file(doc, schema::with_generated_tables(text));
    return 0;
  }
  std::cout << (format == "json" ? schema::json_schema() : schema::markdown());
  return 0;
}

// Each algorithm as its descriptor states it: what it does, its nature, its own keys.
int list_algorithms() {
  using lbsim::balancing::Hashing;
  for (const auto* a : lbsim::balancing::algorithms()) {
    std::cout << fmt::format("  {:<28} {}\n", a->name, a->summary);
    std::string nature = a->hashing == Hashing::consistent ? "consistent hash: adding a target moves only its share"
                         : a->hashing == Hashing::modulo   ? "modulo hash: adding a target moves most flows"
                         : a->load_aware                   ? "reads the balancer's load counts; slow start can steer it"
                                                           : "slow start can steer it";
    nature += a->weighted ? "; reads target_groups.<g>.weights" : "; ignores weights";
    std::cout << fmt::format("  {:<28}   ({})\n", "", nature);
    for (const auto& t : a->tunables)
      std::cout << fmt::format("  {:<28}   {}: {} to {}, default {}: {}\n", "", t.key, t.min, t.max, t.default_value(), t.doc);
  }
  return 0;
}

// Without --variant, the file and every one of its variants.
int validate(const std::string& file, const std::optional<std::string>& variant) {
  const auto specs = variant ? std::vector<ScenarioSpec>{lbsim::cli::load_scenario_file(file, variant)}
                             : lbsim::cli::load_file_and_variants(file);
  // Valid means a run would also be accepted: its estimated cost is within the limits.
  for (const auto& spec : specs) lbsim::cli::refuse_if_beyond_limits(spec);
  for (const auto& spec : specs) {
    std::cout << file << (spec.variant.empty() ? "" : " --variant " + spec.variant) << ": ok (" << spec.name << ", "
              << (spec.has_l7() ? "l4+l7" : "l4-only") << ", " << spec.topology.zones.size() << " zones); a run needs "
              << lbsim::config::estimate_cost(spec).describe() << '\n';
  }
  return 0;
}

int topology(const std::string& file, bool dot) {
  const ScenarioSpec spec = lbsim::cli::load_scenario_file(file);
  const lbsim::topology::Topology topo(spec);
  if (dot) {
    topo.write_dot(std::cout);
    return 0;
  }
  const auto& g = topo.graph();
  std::cout << spec.name << ": " << boost::num_vertices(g) << " nodes, " << boost::num_edges(g) << " links\n";
  for (auto v : boost::make_iterator_range(boost::vertices(g))) {
    const auto& n = g[v];
    std::cout << "  " << n.name << " (" << lbsim::topology::to_string(n.kind) << (n.zone.empty() ? "" : ", zone " + n.zone)
              << ") -> " << boost::out_degree(v, g) << " targets\n";
  }
  return 0;
}

// --allow-path, --max-input-size, --max-memory and --max-run-time, on every command
// that reads a scenario.
struct InputOptions {
  std::vector<std::string> allowed_folders;
  std::optional<std::string> max_size;
  std::optional<std::string> max_memory;
  std::optional<std::string> max_run_time;
};

void add_input_options(CLI::App* cmd, InputOptions& options) {
  cmd->add_option("--allow-path", options.allowed_folders,
                  "DIR: a folder whose files a scenario may read besides its own (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--max-input-size", options.max_size, "the largest scenario or samples file read, such as 256MiB (default 64MiB)");
  cmd->add_option("--max-memory", options.max_memory,
                  "refuse a run whose estimated memory is beyond this, such as 8GB (default 2GB)");
  cmd->add_option("--max-run-time", options.max_run_time,
                  "refuse a run whose estimated wall-clock time is beyond this, such as 2d (default 6h)");
}

// The input policy the options ask for, or a one-line error.
std::optional<std::string> apply_input_options(const InputOptions& options) {
  lbsim::cli::InputPolicy policy;
  for (const auto& folder : options.allowed_folders) {
    std::error_code error;
    if (!std::filesystem::is_directory(folder, error)) return "--allow-path: expected a folder, got '" + lbsim::printable(folder) + "'";
    policy.allowed_folders.emplace_back(folder);
  }
  if (options.max_size) {
    const auto bytes = lbsim::cli::parse_input_size(*options.max_size);
    if (!bytes) return "--max-input-size: expected a size from 1B to 16GiB such as 256MiB, got '" + lbsim::printable(*options.max_size) + "'";
    policy.max_bytes = *bytes;
  }
  lbsim::cli::set_input_policy(std::move(policy));
  lbsim::config::CostLimits limits = lbsim::cli::run_limits();
  if (options.max_memory) {
    const auto bytes = lbsim::cli::parse_memory_limit(*options.max_memory);
    if (!bytes) return "--max-memory: expected a size from 64MB to 1TB such as 8GB, got '" + lbsim::printable(*options.max_memory) + "'";
    limits.memory_bytes = *bytes;
  }
  if (options.max_run_time) {
    const auto seconds = lbsim::cli::parse_run_time_limit(*options.max_run_time);
    if (!seconds)
      return "--max-run-time: expected a duration from 1s to 1000000s such as 2h, got '" + lbsim::printable(*options.max_run_time) + "'";
    limits.wall_seconds = *seconds;
  }
  lbsim::cli::set_run_limits(limits);
  return std::nullopt;
}

}  // namespace

int lbsim_main(int argc, char** argv) {
  // Past a file-size limit (ulimit -f) a write then fails with EFBIG and is reported as
  // such, instead of the signal killing the run after its figures were computed.
  std::signal(SIGXFSZ, SIG_IGN);
  CLI::App app{"lbsim: simulate clients -> L4 tier -> per-zone L7 tier -> backends"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "lbsim 0.1.0");

  RunArgs run_args;
  CLI::App* run_cmd = app.add_subcommand("run", "simulate a scenario and print its summary");
  run_cmd->add_option("FILE", run_args.file, "scenario file (YAML); not with --collect");
  lbsim::cli::add_variant_and_set_options(*run_cmd, run_args.variant, run_args.sets, "run");
  lbsim::cli::add_seed_option(*run_cmd, run_args.seed, "override the scenario's seed");
  run_cmd->add_option("--duration", run_args.duration, "override the traffic duration (e.g. 30s)");
  run_cmd->add_option("--out", run_args.out_dir, "write summary.json into this directory");
  run_cmd->add_flag("-q,--quiet", run_args.quiet, "print nothing on success");
  CLI::Option* stream_flag = run_cmd->add_flag("--stream", run_args.stream,
                    "write events as JSON lines on stdout and read commands (fault, recover, pause, resume, speed) on stdin");
  // The stream's own options mean nothing without it: refused, not ignored.
  run_cmd->add_option("--speed", run_args.speed, "with --stream: max (default), realtime, or a factor such as 10x")->needs(stream_flag);
  run_cmd->add_option("--tick", run_args.tick, "with --stream: simulated time between ticks (default 500ms)")->needs(stream_flag);
  run_cmd->add_option("--sample-every", run_args.sample_every,
                      "with --stream: follow one request every this much simulated time, such as 100ms, and stream its way hop by hop "
                      "(the window's slow mode draws them travelling)")
      ->needs(stream_flag);
  run_cmd->add_option("--replications", run_args.replications,
                      "run N times with independent seeds and give each figure's mean and 95 % confidence interval")
      ->check(CLI::Range(1u, 1000u));
  run_cmd->add_option("--jobs", run_args.jobs, "with --replications: runs at a time (default: the number of cores)")
      ->check(CLI::PositiveNumber);
  run_cmd->add_flag("--slurm", run_args.slurm, "with --replications: submit them to Slurm as a job array (sbatch); needs --out");
  run_cmd->add_flag("--wait", run_args.wait, "with --slurm: wait for the array to finish, then merge its results");
  lbsim::cli::add_language_option(*run_cmd, run_args.language, "the terminal summary, report.html and traces.md");
  run_cmd->add_option("--collect", run_args.collect, "merge the replications of a --slurm run written to this folder");

  std::string validate_file;
  std::optional<std::string> validate_variant;
  CLI::App* validate_cmd = app.add_subcommand("validate", "check a scenario file and its variants; exit 0 if valid, 2 if not");
  validate_cmd->add_option("FILE", validate_file, "scenario file (YAML)")->required();
  validate_cmd->add_option("--variant", validate_variant, "check only this variant of the file");

  std::string topology_file;
  bool dot = false;
  CLI::App* topology_cmd = app.add_subcommand("topology", "show the layout a scenario describes");
  topology_cmd->add_option("FILE", topology_file, "scenario file (YAML)")->required();
  topology_cmd->add_flag("--dot", dot, "print Graphviz DOT");

  CLI::App* algorithms_cmd = app.add_subcommand("algorithms", "list the balancing algorithms");

  std::string schema_format = "markdown";
  std::string schema_doc;
  CLI::App* schema_cmd = app.add_subcommand("schema", "print the scenario file's schema: its keys, types, defaults and ranges");
  schema_cmd->add_flag_function("--markdown", [&](std::int64_t) { schema_format = "markdown"; }, "as Markdown key tables (default)");
  schema_cmd->add_flag_function("--json", [&](std::int64_t) { schema_format = "json"; },
                                "as a JSON Schema, for an editor's completion (docs/scenario.schema.json)");
  schema_cmd->add_option("--update-doc", schema_doc,
                         "regenerate the tables between '<!-- schema: PATH -->' and '<!-- /schema -->' in this Markdown file");

  lbsim::cli::CompareArgs compare_args;
  CLI::App* compare_cmd = lbsim::cli::add_compare_command(app, compare_args);

  lbsim::cli::SweepArgs sweep_args;
  CLI::App* sweep_cmd = lbsim::cli::add_sweep_command(app, sweep_args);

  CLI::App* trace_cmd = nullptr;
  const auto run_trace = lbsim::cli::add_trace_command(app, trace_cmd);

  CLI::App* quiz_cmd = nullptr;
  const auto run_quiz = lbsim::cli::add_quiz_command(app, quiz_cmd);

  CLI::App* import_cmd = nullptr;
  const auto run_import = lbsim::cli::add_import_command(app, import_cmd);

  CLI::App* frames_cmd = nullptr;
  const auto run_frames = lbsim::cli::add_frames_command(app, frames_cmd);

  CLI::App* export_cmd = nullptr;
  const auto run_export = lbsim::cli::add_export_command(app, export_cmd);
  CLI::App* route_cmd = nullptr;
  const auto run_route = lbsim::cli::add_route_command(app, route_cmd);

  CLI::App* testbed_cmd = nullptr;
  CLI::App* crosscheck_cmd = nullptr;
  CLI::App* testbed_node_cmd = nullptr;
  const auto run_testbed = lbsim::cli::add_testbed_commands(app, testbed_cmd, crosscheck_cmd, testbed_node_cmd);

  InputOptions input_options;
  for (CLI::App* reads_scenarios : {run_cmd, validate_cmd, topology_cmd, compare_cmd, sweep_cmd, trace_cmd, quiz_cmd, export_cmd, route_cmd, testbed_cmd, crosscheck_cmd})
    add_input_options(reads_scenarios, input_options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "lbsim: error: " << lbsim::printable(e.what()) << " (see lbsim --help)\n";
    return kExitBadInput;
  }
  if (const auto problem = apply_input_options(input_options)) {
    std::cerr << "lbsim: error: " << *problem << '\n';
    return kExitBadInput;
  }

  try {
    if (*run_cmd) return run(run_args);
    if (*validate_cmd) return validate(validate_file, validate_variant);
    if (*compare_cmd) return lbsim::cli::compare(compare_args);
    if (*sweep_cmd) return lbsim::cli::sweep(sweep_args);
    if (*topology_cmd) return topology(topology_file, dot);
    if (*trace_cmd) return run_trace();
    if (*quiz_cmd) return run_quiz();
    if (*frames_cmd) return run_frames();
    if (*import_cmd) return run_import();
    if (*export_cmd) return run_export();
    if (*route_cmd) return run_route();
    if (*testbed_cmd || *crosscheck_cmd || *testbed_node_cmd) return run_testbed();
    if (*algorithms_cmd) return list_algorithms();
    if (*schema_cmd) return print_schema(schema_format, schema_doc);
  } catch (const lbsim::config::ConfigError& e) {
    std::cerr << e.what() << '\n';
    return kExitBadInput;
  } catch (const lbsim::reports::OutputError& e) {
    std::cerr << "lbsim: error: " << lbsim::printable(e.what()) << '\n';
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "lbsim: internal error: " << lbsim::printable(e.what()) << '\n';
    return 1;
  }
  return 0;
}

int main(int argc, char** argv) { return lbsim_main(argc, argv); }
