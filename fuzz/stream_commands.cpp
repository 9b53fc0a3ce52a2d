// SPDX-License-Identifier: GPL-3.0-or-later
// One line of `lbsim run --stream`'s control channel -> cli::parse_command; a fault
// command's JSON also goes through load_live_fault, as the run does.
#include "cli/stream_commands.hpp"

#include <variant>

#include "fuzz/fuzz_support.hpp"

namespace {

const lbsim::config::ScenarioSpec& scenario() {
  static const lbsim::config::ScenarioSpec spec = lbsim::config::load_scenario(R"(name: base
topology: { zones: [a, b] }
clients: [ { name: web, arrival: { rate: 100/s }, mix: [ { path: / } ] } ]
l4: {}
l7: { rules: [ { default: true, forward: api } ] }
target_groups: { api: { per_zone: 2 } }
)",
                                                                             "base.yaml");
  return spec;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto command = lbsim::cli::parse_command(lbsim::fuzz::text_of(data, size));
  if (const auto* fault = std::get_if<lbsim::cli::FaultCommand>(&command)) {
    try {
      lbsim::config::load_live_fault(scenario(), fault->fault_json, "command");
    } catch (const lbsim::config::ConfigError&) {
    }
  }
  return 0;
}
