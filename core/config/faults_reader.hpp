// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to core/config: reads the failure timeline (`faults:`) and the service-level
// objectives (`slo:`). The scenario reader calls these last, once every other section is
// read, because a fault names zones, client populations and generated node names.
#include <yaml-cpp/yaml.h>

#include "config/spec.hpp"
#include "config/yaml_reader.hpp"

namespace lbsim::config::detail {

// Reads `faults:` (absent: none) into spec.faults, in time order. Target globs are
// checked against the nodes the topology generates, but only when the file had no
// error before: a spec with errors may not be laid out.
void read_faults(Context& ctx, const YAML::Node& node, ScenarioSpec& spec);

// Reads `slo:` (absent: none) into spec.slo.
void read_slo(Context& ctx, const YAML::Node& node, ScenarioSpec& spec);

}  // namespace lbsim::config::detail
