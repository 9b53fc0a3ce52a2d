// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/scenario_file.hpp"

#include "cli/input_files.hpp"
#include "util/strings.hpp"

#include <algorithm>

namespace lbsim::cli {
namespace {

std::string read_text(const std::string& path) {
  auto content = read_regular_file(path, input_policy().max_bytes);
  if (!content.text) throw config::ConfigError({{path, 1, 1, "cannot read the file: " + content.problem}});
  return std::move(*content.text);
}

}  // namespace

config::ScenarioSpec load_scenario_file(const std::string& path, const std::optional<std::string>& variant,
                                        const std::vector<config::SetOverride>& overrides) {
  const std::string text = read_text(path);
  if (variant || !overrides.empty()) return config::load_scenario_with_overrides(text, path, variant, overrides, files_of_scenario(path));
  return config::load_scenario(text, path, files_of_scenario(path));
}

std::string edited_scenario_text(const std::string& path, const std::vector<config::SetOverride>& overrides,
                                 const std::optional<std::string>& variant) {
  return config::scenario_text_with_overrides(read_text(path), path, variant, overrides, files_of_scenario(path));
}

std::vector<config::SetOverride> parse_set_options(const std::vector<std::string>& options) {
  std::vector<config::SetOverride> overrides;
  for (const auto& option : options) {
    const auto equals = option.find('=');
    if (equals == std::string::npos)
      throw config::ConfigError({{"--set " + option, 0, 0, "expected PATH=VALUE, such as l4.forwarding=dsr"}});
    if (first_invalid_utf8(option))  // it may become a name in summary.json, which is UTF-8
      throw config::ConfigError({{"--set " + option, 0, 0, "expected UTF-8 text"}});
    overrides.push_back({option.substr(0, equals), option.substr(equals + 1)});
  }
  return overrides;
}

std::vector<config::ScenarioSpec> load_file_and_variants(const std::string& path, const std::vector<config::SetOverride>& overrides,
                                                          const std::vector<std::string>& only) {
  std::vector<config::ScenarioSpec> specs{load_scenario_file(path, std::nullopt, overrides)};
  std::vector<config::Diagnostic> problems;
  for (const auto& name : specs.front().variant_names) {
    if (!only.empty() && std::find(only.begin(), only.end(), name) == only.end()) continue;
    try {
      specs.push_back(load_scenario_file(path, name, overrides));
    } catch (const config::ConfigError& e) {
      problems.insert(problems.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  }
  if (!problems.empty()) throw config::ConfigError(std::move(problems));
  return specs;
}

std::string variants_note(const config::ScenarioSpec& spec, const std::string& path) {
  if (spec.variant_names.empty() || !spec.variant.empty()) return "";
  std::string names;
  for (const auto& name : spec.variant_names) {
    if (!names.empty()) names += ", ";
    names += name;
  }
  return "this file has variants " + names + ": lbsim compare " + path + " runs them side by side (run one with --variant NAME)";
}

}  // namespace lbsim::cli
