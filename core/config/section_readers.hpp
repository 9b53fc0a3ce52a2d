// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to core/config: the readers of blocks that need more than a table can say
// (the tables in schema_tables.hpp still declare and document every key they take).
#include <yaml-cpp/yaml.h>

#include "config/loader.hpp"
#include "config/schema.hpp"
#include "config/spec.hpp"
#include "config/yaml_reader.hpp"

namespace lbsim::config::detail {

// traffic_reader.cpp: a distribution of durations or of sizes (`values`), and an arrival.
// An empirical distribution's file is read with `read_file`, relative to the scenario.
std::optional<Distribution> read_distribution(Context& ctx, const FileReader& read_file, const YAML::Node& node,
                                              const std::string& path, schema::Kind values, bool constant_may_be_zero = false);
void read_arrival(Context& ctx, const FileReader& read_file, const YAML::Node& node, const std::string& path, ArrivalSpec& arrival);

// rules_reader.cpp: a target group by name (a dangling one is reported with a
// suggestion), and the listener rules into spec.l7->rules.
std::optional<std::uint32_t> read_group_ref(Context& ctx, const ScenarioSpec& spec, const YAML::Node& node, const std::string& path);
void read_rules(Context& ctx, const YAML::Node& rules, ScenarioSpec& spec);

}  // namespace lbsim::config::detail
