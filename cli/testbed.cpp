// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/testbed.hpp"

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/scenario_file.hpp"
#include "config/limits.hpp"
#include "reports/html/report.hpp"
#include "reports/output_files.hpp"
#include "reports/outputs.hpp"
#include "reports/summary.hpp"
#include "testbed/netns.hpp"
#include "testbed/plan.hpp"
#include "testbed/testbed_run.hpp"

namespace lbsim::cli {
namespace {

constexpr int kExitBadInput = 2;

struct TestbedArgs {
  std::string file;
  std::vector<std::string> sets;
  std::string out_dir;
  std::string duration;
  bool quiet = false;
  bool keep = false;
};

struct NodeArgs {
  std::string file;
  std::string role;
  std::string node;
  std::string work_dir;
  double start_at = 0;
};

std::string self_binary() {
  std::error_code error;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::string("/proc/self/exe") : path.string();
}

int run_testbed_command(const TestbedArgs& args) {
  auto overrides = parse_set_options(args.sets);
  if (!args.duration.empty()) {
    const auto seconds = config::limits::parse_duration(args.duration);
    if (!seconds || *seconds <= 0 || *seconds > 3600) {
      std::cerr << "lbsim: error: --duration: expected a duration from 1ms to 1h such as 10s, got '" << args.duration << "'\n";
      return kExitBadInput;
    }
    overrides.push_back({"duration", args.duration});  // the children read the same
  }
  const config::ScenarioSpec spec = load_scenario_file(args.file, std::nullopt, overrides);
  if (!args.out_dir.empty()) reports::prepare_output_folder(args.out_dir);
  // Children load the scenario exactly as this process did: the file with every override.
  char work_template[] = "/tmp/lbsim-testbed-XXXXXX";
  if (::mkdtemp(work_template) == nullptr) {
    std::cerr << "lbsim: error: cannot make a work folder in /tmp\n";
    return kExitBadInput;
  }
  const std::filesystem::path work(work_template);
  const std::filesystem::path scenario = work / "scenario.yaml";
  reports::write_file(scenario.string(), edited_scenario_text(args.file, overrides));
  testbed::TestbedOptions options;
  options.scenario_file = scenario.string();
  options.lbsim_binary = self_binary();
  options.work_dir = work.string();
  options.keep_work_dir = args.keep;
  options.log = args.quiet ? nullptr : &std::cerr;
  try {
    const results::RunResult result = testbed::run_testbed(spec, options);
    const auto summary = reports::summary_json(spec, result);
    if (!args.quiet) reports::print_summary(std::cout, summary);
    if (!args.out_dir.empty()) {
      reports::write_run_outputs(args.out_dir, spec, result, summary);
      reports::html::write_report(std::filesystem::path(args.out_dir) / "report.html", spec, result, summary);
      if (!args.quiet) std::cout << "\n  wrote report.html, summary.json, timeseries.csv and latency*.hgrm in " << args.out_dir << '\n';
    }
    if (args.keep && !args.quiet) std::cout << "  kept the children's logs and reports in " << work.string() << '\n';
    return 0;
  } catch (const testbed::TestbedUnavailable& e) {
    std::filesystem::remove_all(work);
    std::cerr << "lbsim: error: testbed: " << e.what() << '\n';
    return kExitBadInput;
  } catch (const testbed::TestbedRefusal& e) {
    std::filesystem::remove_all(work);
    std::cerr << args.file << ":1:1: error: " << e.what() << '\n';
    return kExitBadInput;
  }
}

int run_node_command(const NodeArgs& args) {
  const config::ScenarioSpec spec = load_scenario_file(args.file);
  const testbed::NodeRole role = args.role == "fabric" ? testbed::NodeRole::fabric
                                 : args.role == "l4"   ? testbed::NodeRole::l4
                                                       : testbed::NodeRole::backend;
  return testbed::run_node(spec, role, args.node, args.work_dir, args.start_at);
}

}  // namespace

std::function<int()> add_testbed_commands(CLI::App& app, CLI::App*& testbed, CLI::App*& node) {
  auto args = std::make_shared<TestbedArgs>();
  testbed = app.add_subcommand("testbed", "run an L4-only scenario on real packets: namespaces, an emulated network, real processes");
  testbed->add_option("FILE", args->file, "scenario file (YAML)")->required();
  testbed->add_option("--set", args->sets, "PATH=VALUE: change one key of the file (repeatable)")->allow_extra_args(false);
  testbed->add_option("--duration", args->duration, "override the traffic duration (e.g. 10s; at most 1h)");
  testbed->add_option("--out", args->out_dir, "write summary.json, timeseries.csv, .hgrm and report.html into this directory");
  testbed->add_flag("-q,--quiet", args->quiet, "print nothing on success");
  testbed->add_flag("--keep", args->keep, "keep the children's logs and reports (in /tmp/lbsim-testbed-*)");

  auto node_args = std::make_shared<NodeArgs>();
  node = app.add_subcommand("testbed-node", "");  // internal: one testbed child; an empty description hides it
  node->add_option("FILE", node_args->file)->required();
  node->add_option("--role", node_args->role)->required()->check(CLI::IsMember({"fabric", "l4", "backend"}));
  node->add_option("--node", node_args->node)->required();
  node->add_option("--work-dir", node_args->work_dir)->required();
  node->add_option("--start-at", node_args->start_at)->required();
  return [args, node_args, testbed, node] {
    if (*testbed) return run_testbed_command(*args);
    return run_node_command(*node_args);
  };
}

}  // namespace lbsim::cli
