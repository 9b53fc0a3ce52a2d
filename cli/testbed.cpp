// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/testbed.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/child_runs.hpp"
#include "cli/scenario_file.hpp"
#include "config/limits.hpp"
#include "reports/crosscheck.hpp"
#include "reports/html/markup.hpp"
#include "reports/html/report.hpp"
#include "reports/output_files.hpp"
#include "reports/outputs.hpp"
#include "reports/summary.hpp"
#include "testbed/host_cpu.hpp"
#include "testbed/netns.hpp"
#include "testbed/plan.hpp"
#include "testbed/testbed_run.hpp"

namespace lbsim::cli {
namespace {

constexpr int kExitBadInput = 2;

struct TestbedArgs {
  std::string file;
  std::optional<std::string> variant;
  std::vector<std::string> sets;
  std::string out_dir;
  std::string duration;
  double scale = 1;  // --scale: rates and pools divided by it
  bool quiet = false;
  bool keep = false;
  std::string pcap_dir;
  std::vector<std::string> engines;  // crosscheck --engines: one testbed run per L7 engine
};

struct NodeArgs {
  std::string pcap_dir;
  std::string file;
  std::string role;
  std::string node;
  std::string work_dir;
  double start_at = 0;
  bool no_session_tickets = false;
};

// The scenario as the command line asks for it, and a work folder holding it as the
// children load it (the file with every override, --duration included).
struct Prepared {
  config::ScenarioSpec spec;
  std::filesystem::path work;
  std::filesystem::path scenario;
  nlohmann::json scale;  // what --scale changed (null without it), for the reports
  std::vector<config::SetOverride> overrides;  // every override the file was loaded with
};

// --scale F as overrides of the loaded scenario: every client's constant rate and source
// addresses divided by F (a closed loop's users, rounded up) and every group's backends
// per zone divided by F (rounded up, at least 1), so each backend sees about the load it
// would at full size, and each browser the same.
// A rate that varies over time is not scaled: refused in one line.
std::optional<std::vector<config::SetOverride>> scale_overrides(const config::ScenarioSpec& spec, double factor, nlohmann::json& changes) {
  std::vector<config::SetOverride> overrides;
  changes = nlohmann::json::array();
  for (std::size_t c = 0; c < spec.clients.size(); ++c) {
    const auto& client = spec.clients[c];
    const std::string path = "clients." + std::to_string(c) + ".arrival.";
    if (client.arrival.closed()) {
      const auto users = static_cast<std::uint32_t>(std::ceil(client.arrival.users / factor));
      overrides.push_back({path + "users", std::to_string(users)});
      changes.push_back({{"what", "client " + client.name + " users"}, {"from", client.arrival.users}, {"to", users}});
    } else if (client.arrival.profile.is_constant()) {
      // Its browsers too: each then sends as often as at full size, so connections are
      // reused as much and the handshakes scale with the rate.
      const auto ips = std::max<std::uint32_t>(1, static_cast<std::uint32_t>(std::ceil(client.source_ips / factor)));
      overrides.push_back({"clients." + std::to_string(c) + ".source_ips", std::to_string(ips)});
      changes.push_back({{"what", "client " + client.name + " source addresses"}, {"from", client.source_ips}, {"to", ips}});
      const double rate = client.arrival.profile.peak() / factor;
      overrides.push_back({path + "rate", fmt::format("{:.6g}/s", rate)});
      changes.push_back({{"what", "client " + client.name + " requests/s"}, {"from", client.arrival.profile.peak()}, {"to", rate}});
    } else {
      std::cerr << "lbsim: error: --scale: client '" << client.name
                << "' has a rate that varies over time; --scale divides constant rates and closed loops only\n";
      return std::nullopt;
    }
  }
  for (const auto& group : spec.target_groups) {
    const auto per_zone = std::max<std::uint32_t>(1, static_cast<std::uint32_t>(std::ceil(group.per_zone / factor)));
    overrides.push_back({"target_groups." + group.name + ".per_zone", std::to_string(per_zone)});
    changes.push_back({{"what", "group " + group.name + " backends per zone"}, {"from", group.per_zone}, {"to", per_zone}});
  }
  return overrides;
}

std::string describe_scale(const nlohmann::json& scale) {
  std::string text = fmt::format("scaled down by {:g} (--scale):", scale["factor"].get<double>());
  for (const auto& c : scale["changes"])
    text += fmt::format(" {} {:g} -> {:g};", c["what"].get<std::string>(), c["from"].get<double>(), c["to"].get<double>());
  text.pop_back();
  return text;
}

// A run's work folder names its owner (a file `owner` with the pid). One whose owner is
// gone was left by a run killed outright (SIGKILL leaves no time to tidy): the next run
// removes it, so /tmp does not fill with them.
void remove_orphaned_work_folders() {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/tmp", error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("lbsim-testbed-", 0) != 0 || !entry.is_directory(error)) continue;
    std::ifstream owner(entry.path() / "owner");
    long pid = 0;
    if (!(owner >> pid) || pid <= 0) continue;  // not ours to judge
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // still running
    std::filesystem::remove_all(entry.path(), error);
  }
}

std::optional<Prepared> prepare(const TestbedArgs& args) {
  auto overrides = parse_set_options(args.sets);
  if (!args.duration.empty()) {
    const auto seconds = config::limits::parse_duration(args.duration);
    if (!seconds || *seconds <= 0 || *seconds > 3600) {
      std::cerr << "lbsim: error: --duration: expected a duration from 1ms to 1h such as 10s, got '" << args.duration << "'\n";
      return std::nullopt;
    }
    overrides.push_back({"duration", args.duration});
  }
  Prepared p{load_scenario_file(args.file, args.variant, overrides), {}, {}, nullptr, {}};
  if (args.scale != 1) {
    nlohmann::json changes;
    const auto scaled = scale_overrides(p.spec, args.scale, changes);
    if (!scaled) return std::nullopt;
    overrides.insert(overrides.end(), scaled->begin(), scaled->end());
    p.spec = load_scenario_file(args.file, args.variant, overrides);
    p.scale = {{"factor", args.scale}, {"changes", changes}};
    // Still too much: say which --scale would do, not how much more to divide by.
    if (const auto load = testbed::estimate_load(p.spec); load.share() > 1) {
      std::cerr << args.file << ":1:1: error: with --scale " << fmt::format("{:g}", args.scale) << " this scenario still asks for about "
                << std::llround(load.requests_per_s) << " requests/s and " << std::llround(load.handshakes_per_s)
                << " new TLS connections/s, " << std::lround(load.share() * 100) << " % of what two cores carry faithfully: use --scale "
                << fmt::format("{:g}", std::ceil(args.scale * load.share() * 10) / 10) << '\n';
      return std::nullopt;
    }
  }
  if (!args.out_dir.empty()) reports::prepare_output_folder(args.out_dir);
  char work_template[] = "/tmp/lbsim-testbed-XXXXXX";
  remove_orphaned_work_folders();
  if (::mkdtemp(work_template) == nullptr) throw std::runtime_error("cannot make a work folder in /tmp");
  p.work = work_template;
  std::ofstream(p.work / "owner") << ::getpid() << '\n';
  p.scenario = p.work / "scenario.yaml";
  reports::write_file(p.scenario.string(), edited_scenario_text(args.file, overrides, args.variant));
  p.overrides = std::move(overrides);
  return p;
}

// Ctrl-C (or SIGTERM) during a run: the run ends early and in order — children stopped,
// their reports read, the work folder removed — and lbsim exits 130 after reporting what
// was measured. Without this the supervisor died at once, leaving its work folder in /tmp.
std::atomic<bool> g_interrupted(false);
extern "C" void on_interrupt(int) { g_interrupted = true; }

class InterruptsEndTheRun {
public:
  InterruptsEndTheRun() {
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    ::sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, &previous_int_);
    ::sigaction(SIGTERM, &action, &previous_term_);
  }
  ~InterruptsEndTheRun() {
    ::sigaction(SIGINT, &previous_int_, nullptr);
    ::sigaction(SIGTERM, &previous_term_, nullptr);
  }
  InterruptsEndTheRun(const InterruptsEndTheRun&) = delete;
  InterruptsEndTheRun& operator=(const InterruptsEndTheRun&) = delete;

private:
  struct sigaction previous_int_ {}, previous_term_ {};
};

constexpr int kExitInterrupted = 130;  // 128 + SIGINT, as a shell reports it

testbed::TestbedOptions options_for(const TestbedArgs& args, const Prepared& p) {
  testbed::TestbedOptions options;
  options.scenario_file = p.scenario.string();
  options.lbsim_binary = self_binary();
  options.work_dir = (p.work / "run").string();
  options.keep_work_dir = args.keep;
  options.pcap_dir = args.pcap_dir;
  options.log = args.quiet ? nullptr : &std::cerr;
  options.interrupted = &g_interrupted;
  return options;
}

// Runs the testbed, reporting why it cannot with exit 2 (and nothing when it ran).
std::optional<int> refused(const TestbedArgs& args, const Prepared& p, const std::function<void()>& body) {
  try {
    body();
    return std::nullopt;
  } catch (const testbed::TestbedUnavailable& e) {
    std::filesystem::remove_all(p.work);
    std::cerr << "lbsim: error: testbed: " << e.what() << '\n';
    return kExitBadInput;
  } catch (const testbed::TestbedRefusal& e) {
    std::filesystem::remove_all(p.work);
    std::cerr << args.file << ":" << e.line() << ":1: error: " << e.what() << '\n';
    return kExitBadInput;
  }
}

void write_outputs(const std::filesystem::path& dir, const config::ScenarioSpec& spec, const results::RunResult& result,
                   const nlohmann::json& summary) {
  reports::write_run_outputs(dir.string(), spec, result, summary);
  reports::html::write_report(dir / "report.html", spec, result, summary);
}

int run_testbed_command(const TestbedArgs& args) {
  const auto prepared = prepare(args);
  if (!prepared) return kExitBadInput;
  const Prepared& p = *prepared;
  if (!args.pcap_dir.empty()) reports::prepare_output_folder(args.pcap_dir);
  results::RunResult result;
  const InterruptsEndTheRun interrupts;
  if (const auto exit = refused(args, p, [&] { result = testbed::run_testbed(p.spec, options_for(args, p)); })) return *exit;
  auto summary = reports::summary_json(p.spec, result);
  if (!p.scale.is_null()) summary["scale"] = p.scale;
  if (p.spec.l7) summary["l7_engine"] = p.spec.l7->engine;  // what ran as the L7 tier
  if (!args.quiet) {
    reports::print_summary(std::cout, summary);
    if (!p.scale.is_null()) std::cout << "  " << describe_scale(p.scale) << '\n';
  }
  if (!args.out_dir.empty()) {
    write_outputs(args.out_dir, p.spec, result, summary);
    if (!args.quiet) std::cout << "\n  wrote report.html, summary.json, timeseries.csv and latency*.hgrm in " << args.out_dir << '\n';
  }
  if (args.keep) {
    if (!args.quiet) std::cout << "  kept the children's logs and reports in " << p.work.string() << '\n';
  } else {
    std::filesystem::remove_all(p.work);
  }
  if (g_interrupted) {
    std::cerr << "lbsim: interrupted: the figures above cover the run until then\n";
    return kExitInterrupted;
  }
  return 0;
}

// The simulator's run of the same file, as a child (one simulation per process).
nlohmann::json simulate(const Prepared& p, const std::filesystem::path& out) {
  const int exit_code = run_self({"run", p.scenario.string(), "-q", "--out", out.string()});
  if (g_interrupted) return nullptr;  // Ctrl-C reached the child too
  // 0, or 3 when the scenario's SLOs were missed: either way the run's figures are there.
  if (exit_code != 0 && exit_code != 3)
    throw std::runtime_error("the simulator's run of the scenario failed");
  std::ifstream in(out / "summary.json");
  return nlohmann::json::parse(in);
}

// The scenario as the children of one engine's run load it: the prepared file with
// `l7.engine` set (the simulator's run does not depend on it).
struct EngineRun {
  std::string engine;
  config::ScenarioSpec spec;
  std::filesystem::path scenario;
  results::RunResult measured;
  std::optional<double> steal_share;  // the host's CPU time taken by other guests during the run
};

std::vector<EngineRun> engine_runs(const TestbedArgs& args, const Prepared& p) {
  if (args.engines.empty()) return {{p.spec.l7 ? p.spec.l7->engine : "", p.spec, p.scenario, {}, {}}};
  std::vector<EngineRun> runs;
  for (const auto& engine : args.engines) {
    auto overrides = p.overrides;
    overrides.push_back({"l7.engine", engine});
    EngineRun run{engine, load_scenario_file(args.file, args.variant, overrides), p.work / ("scenario-" + engine + ".yaml"), {}, {}};
    reports::write_file(run.scenario.string(), edited_scenario_text(args.file, overrides, args.variant));
    runs.push_back(std::move(run));
  }
  return runs;
}

int run_crosscheck_command(const TestbedArgs& args) {
  const auto prepared = prepare(args);
  if (!prepared) return kExitBadInput;
  const Prepared& p = *prepared;
  if (!args.engines.empty() && !p.spec.has_l7()) {
    std::cerr << args.file << ":1:1: error: --engines: the scenario has no L7 tier to run HAProxy or nginx as (an L4-only layout)\n";
    return kExitBadInput;
  }
  const std::filesystem::path out = args.out_dir.empty() ? p.work / "out" : std::filesystem::path(args.out_dir);
  std::vector<EngineRun> runs = engine_runs(args, p);
  nlohmann::json predicted;
  const InterruptsEndTheRun interrupts;
  const auto exit = refused(args, p, [&] {
    // Refusals first: a layout the testbed cannot carry costs no simulation.
    if (const auto missing = testbed::missing_capability()) throw testbed::TestbedUnavailable(*missing);
    testbed::plan_testbed(p.spec, topology::Topology(p.spec));
    if (!args.quiet) std::cerr << "  crosscheck: simulating " << p.spec.name << '\n';
    predicted = simulate(p, out / "simulator");
    for (auto& run : runs) {
      if (g_interrupted) break;
      if (!args.quiet && runs.size() > 1) std::cerr << "  crosscheck: the testbed with " << run.engine << " as its L7 tier\n";
      auto options = options_for(args, p);
      options.scenario_file = run.scenario.string();
      options.work_dir = (p.work / ("run-" + run.engine)).string();
      const auto before = testbed::read_cpu_times();
      run.measured = testbed::run_testbed(run.spec, options);
      if (const auto after = testbed::read_cpu_times(); before && after) run.steal_share = testbed::steal_share(*before, *after);
    }
  });
  if (exit) return *exit;
  if (g_interrupted) {  // half a run compares with nothing
    if (!args.keep) std::filesystem::remove_all(p.work);
    std::cerr << "lbsim: interrupted: no crosscheck\n";
    return kExitInterrupted;
  }
  double interval = 0;  // the widest check interval: the detection tolerance
  for (const auto& group : p.spec.target_groups) interval = std::max(interval, group.health_check.interval_s);
  std::vector<reports::EngineCheck> checks;
  for (const auto& run : runs) {
    auto summary = reports::summary_json(run.spec, run.measured);
    if (!p.scale.is_null()) summary["scale"] = p.scale;
    if (run.spec.l7) summary["l7_engine"] = run.spec.l7->engine;  // what ran as the L7 tier
    // The first run's outputs in testbed/, the others' beside it (testbed-haproxy/, ...).
    const std::string folder = checks.empty() ? "testbed" : "testbed-" + run.engine;
    std::filesystem::create_directories(out / folder);
    write_outputs(out / folder, run.spec, run.measured, summary);
    auto check = reports::crosscheck_json(predicted, summary, interval);
    if (!p.scale.is_null()) check["scale"] = p.scale;  // both sides ran the scaled scenario
    if (runs.size() > 1) check["engine"] = run.engine;
    if (run.steal_share) check["host"] = reports::host_json(*run.steal_share);
    checks.push_back({run.engine, std::move(check)});
  }
  nlohmann::ordered_json document = checks.front().crosscheck;
  if (checks.size() > 1) {
    // The first engine's crosscheck decides; every engine's is kept under "engines".
    document["engines"] = nlohmann::ordered_json::array();
    for (const auto& c : checks) document["engines"].push_back(c.crosscheck);
  }
  reports::write_file((out / "crosscheck.json").string(), document.dump(2) + "\n");
  reports::write_file((out / "crosscheck.html").string(),
                      reports::html::page("Crosscheck: " + p.spec.name,
                                          "<p>The simulator's prediction against the testbed's measurement of the same scenario and seed (" +
                                              std::to_string(p.spec.seed) + "), each figure with its tolerance.</p>" +
                                              reports::html::table(reports::crosscheck_rows(checks))));
  if (!args.quiet) {
    reports::print_crosscheck(std::cout, checks);
    if (!p.scale.is_null()) std::cout << "  both sides " << describe_scale(p.scale) << '\n';
    if (!args.out_dir.empty()) std::cout << "\n  wrote crosscheck.json, crosscheck.html, simulator/ and testbed/ in " << args.out_dir << '\n';
  }
  if (!args.keep) std::filesystem::remove_all(p.work);
  return document["passed"].get<bool>() ? 0 : 3;
}

int run_node_command(const NodeArgs& args) {
  const config::ScenarioSpec spec = load_scenario_file(args.file);
  const testbed::NodeRole role = args.role == "fabric" ? testbed::NodeRole::fabric
                                 : args.role == "l4"   ? testbed::NodeRole::l4
                                 : args.role == "l7"   ? testbed::NodeRole::l7
                                                       : testbed::NodeRole::backend;
  return testbed::run_node(spec, role, args.node, args.work_dir, args.start_at, args.pcap_dir, !args.no_session_tickets);
}

}  // namespace

void add_common_options(CLI::App* cmd, TestbedArgs& args) {
  cmd->add_option("FILE", args.file, "scenario file (YAML)")->required();
  add_variant_and_set_options(*cmd, args.variant, args.sets, "run");
  cmd->add_option("--duration", args.duration, "override the traffic duration (e.g. 10s; at most 1h)");
  cmd->add_option("--scale", args.scale,
                  "divide the clients' rates and the groups' backends per zone by F (F >= 1), for a layout too big for this machine")
      ->check(CLI::Range(1.0, 1000.0));
  cmd->add_flag("-q,--quiet", args.quiet, "print nothing on success");
  cmd->add_flag("--keep", args.keep, "keep the children's logs and reports (in /tmp/lbsim-testbed-*)");
}

std::function<int()> add_testbed_commands(CLI::App& app, CLI::App*& testbed, CLI::App*& crosscheck, CLI::App*& node) {
  auto args = std::make_shared<TestbedArgs>();
  testbed = app.add_subcommand("testbed", "run a scenario on real packets: namespaces, an emulated network, real processes (L4 forwarders, L7 proxies, backends)");
  add_common_options(testbed, *args);
  testbed->add_option("--out", args->out_dir, "write summary.json, timeseries.csv, .hgrm and report.html into this directory");
  testbed->add_option("--pcap", args->pcap_dir, "write one packet capture per node interface into this directory (<node>.pcap, for Wireshark)");
  auto check_args = std::make_shared<TestbedArgs>();
  crosscheck = app.add_subcommand("crosscheck",
                                  "run a scenario on the simulator and on the testbed with the same seed and say where they agree (exit 3 where not)");
  add_common_options(crosscheck, *check_args);
  crosscheck->add_option("--out", check_args->out_dir, "write crosscheck.json, crosscheck.html and both runs' outputs into this directory");
  crosscheck->add_option("--engines", check_args->engines,
                         "run the testbed once per L7 engine (lbsim, haproxy, nginx; two-tier layouts) and compare each with the "
                         "simulator; the first decides the exit code")
      ->delimiter(',')
      ->check(CLI::IsMember({"lbsim", "haproxy", "nginx"}));

  auto node_args = std::make_shared<NodeArgs>();
  node = app.add_subcommand("testbed-node", "");  // internal: one testbed child; an empty description hides it
  node->add_option("FILE", node_args->file)->required();
  node->add_option("--role", node_args->role)->required()->check(CLI::IsMember({"fabric", "l4", "l7", "backend"}));
  node->add_option("--node", node_args->node)->required();
  node->add_option("--work-dir", node_args->work_dir)->required();
  node->add_option("--start-at", node_args->start_at)->required();
  node->add_option("--pcap", node_args->pcap_dir);
  node->add_flag("--no-session-tickets", node_args->no_session_tickets);  // an L7 node resuming nothing (the proxy benchmark)
  return [args, check_args, node_args, testbed, crosscheck, node] {
    if (*testbed) return run_testbed_command(*args);
    if (*crosscheck) return run_crosscheck_command(*check_args);
    return run_node_command(*node_args);
  };
}

}  // namespace lbsim::cli
