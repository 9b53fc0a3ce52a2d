// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/trace.hpp"

#include <iostream>
#include <memory>
#include <optional>

#include "cli/child_runs.hpp"
#include "cli/run_limits.hpp"
#include "cli/scenario_file.hpp"
#include "models/simulation.hpp"
#include "reports/trace.hpp"
#include "testbed/trace_pcap.hpp"

namespace lbsim::cli {
namespace {

struct TraceArgs {
  std::string file;
  std::uint64_t request = 1;
  std::string format = "text";
  std::optional<std::uint64_t> seed;
  std::optional<std::string> variant;
  std::vector<std::string> sets;  // --set PATH=VALUE
  std::string pcap;                // --pcap FILE
  std::string language = "en";     // --language: the notes' and the text's words
};

// Runs `spec` until request `request` of its first client population is traced; nothing
// when the run sent fewer requests (`sent` says how many).
std::optional<results::Trace> trace_request(const config::ScenarioSpec& spec, std::uint64_t request, std::uint64_t& sent) {
  // The run stops once the request is traced: its platform and first seconds are the cost.
  config::ScenarioSpec first_seconds = spec;
  first_seconds.duration_s = std::min(spec.duration_s, 10.0);
  refuse_if_beyond_limits(first_seconds);
  models::RunOptions options;
  options.trace = {request};
  options.stop_after_traces = true;  // nothing after it matters
  const results::RunResult result = models::run_scenario(spec, options);
  sent = result.metrics.nodes.front().requests;
  if (result.traces.empty()) return std::nullopt;
  return result.traces.front();
}

int trace(const TraceArgs& args) {
  config::ScenarioSpec spec = load_scenario_file(args.file, args.variant, parse_set_options(args.sets));
  if (args.seed) spec.seed = *args.seed;
  std::uint64_t sent = 0;
  const auto traced = trace_request(spec, args.request, sent);
  if (!traced) {
    std::cerr << "lbsim: error: --request " << args.request << ": the run sent only " << sent << " requests from client-"
              << spec.clients.front().name << '\n';
    return 2;
  }
  const results::Trace& t = *traced;
  if (!args.pcap.empty()) {
    try {
      const std::size_t frames = testbed::write_trace_pcap(t, args.pcap);
      std::cerr << "lbsim: wrote " << frames << " frames of request " << args.request << " to " << args.pcap << '\n';
    } catch (const std::runtime_error& e) {
      std::cerr << "lbsim: error: --pcap " << args.pcap << ": " << e.what() << '\n';
      return 2;
    }
  }
  const text::Language language = *text::language_named(args.language);  // CLI11 checked it
  if (args.format == "json") std::cout << reports::trace_json(t, language).dump(2) << '\n';
  else if (args.format == "mermaid") std::cout << reports::trace_mermaid(t);
  else reports::print_trace(std::cout, t, language);
  return 0;
}

}  // namespace

std::function<int()> add_trace_command(CLI::App& app, CLI::App*& command) {
  auto args = std::make_shared<TraceArgs>();
  command = app.add_subcommand("trace", "follow one request hop by hop: time, OSI layer, headers read and rewritten, decisions");
  command->add_option("FILE", args->file, "scenario file (YAML)")->required();
  command->add_option("--request", args->request, "which request of the first client population (1 = its first)")
      ->check(CLI::PositiveNumber);
  command->add_option("--format", args->format, "text (default), json or mermaid")->check(CLI::IsMember({"text", "json", "mermaid"}));
  add_seed_option(*command, args->seed, "override the scenario's seed");
  add_variant_and_set_options(*command, args->variant, args->sets, "trace in");
  add_language_option(*command, args->language, "the notes and the text trace");
  command->add_option("--pcap", args->pcap, "also write the request's frames as a capture (pcap) to FILE, to open in Wireshark");
  return [args] { return trace(*args); };
}

}  // namespace lbsim::cli
