// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to core/config: a scenario as a parsed YAML tree, between parsing and reading,
// where variant loading edits it (variants.cpp), and the `variants:` list itself.
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "config/yaml_reader.hpp"

namespace lbsim::config::detail {

// The parsed document, or nothing after reporting why (invalid YAML, an empty file).
std::optional<YAML::Node> parse_scenario(Context& ctx, const std::string& yaml_text);

// Reads a parsed scenario, reporting every problem into ctx.
ScenarioSpec read_scenario(Context& ctx, const YAML::Node& root, const std::string& file_name, const FileReader& read_file);

// Throws ConfigError with ctx's problems in file order, if there are any.
void throw_if_errors(Context& ctx);

// One step of an override's path: a mapping key, or a list index (`clients[0]`).
struct PathStep {
  std::string key;
  std::optional<std::size_t> index;
};

struct Override {
  std::string path;  // as written: "l4.forwarding"
  std::vector<PathStep> steps;
  YAML::Node key;    // where the path is written, for messages and for a key it creates
  YAML::Node value;  // null: delete the key
};

struct Variant {
  std::string name;
  std::vector<Override> overrides;  // in file order
};

// Checks the `variants:` list (names, `set` mappings, path syntax) and returns what it
// could read. An undefined node is no variants.
std::vector<Variant> read_variants(Context& ctx, const YAML::Node& list);

}  // namespace lbsim::config::detail
