// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/scenario_file.hpp"

#include "util/strings.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>


namespace lbsim::cli {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw config::ConfigError({{path, 1, 1, std::string("cannot read the file: ") + std::strerror(errno)}});
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Files a scenario refers to are relative to the scenario's own folder.
config::FileReader relative_to(const std::string& path) {
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  return [folder](const std::string& name) -> std::optional<std::string> {
    std::ifstream file(folder / name, std::ios::binary);
    if (!file) return std::nullopt;
    std::ostringstream content;
    content << file.rdbuf();
    return content.str();
  };
}

}  // namespace

config::ScenarioSpec load_scenario_file(const std::string& path, const std::optional<std::string>& variant,
                                        const std::vector<config::SetOverride>& overrides) {
  const std::string text = read_text(path);
  if (variant || !overrides.empty()) return config::load_scenario_with_overrides(text, path, variant, overrides, relative_to(path));
  return config::load_scenario(text, path, relative_to(path));
}

std::string edited_scenario_text(const std::string& path, const std::vector<config::SetOverride>& overrides) {
  return config::scenario_text_with_overrides(read_text(path), path, std::nullopt, overrides, relative_to(path));
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
