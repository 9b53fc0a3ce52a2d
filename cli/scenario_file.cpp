// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/scenario_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace lbsim::cli {

config::ScenarioSpec load_scenario_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw config::ConfigError({{path, 1, 1, std::string("cannot read the file: ") + std::strerror(errno)}});
  std::ostringstream text;
  text << in.rdbuf();
  return config::load_scenario(text.str(), path);
}

}  // namespace lbsim::cli
