// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/scenario_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace lbsim::cli {

config::ScenarioSpec load_scenario_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw config::ConfigError({{path, 1, 1, std::string("cannot read the file: ") + std::strerror(errno)}});
  std::ostringstream text;
  text << in.rdbuf();
  // Files a scenario refers to are relative to the scenario's own folder.
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  const config::FileReader read_relative = [folder](const std::string& name) -> std::optional<std::string> {
    std::ifstream file(folder / name, std::ios::binary);
    if (!file) return std::nullopt;
    std::ostringstream content;
    content << file.rdbuf();
    return content.str();
  };
  return config::load_scenario(text.str(), path, read_relative);
}

}  // namespace lbsim::cli
