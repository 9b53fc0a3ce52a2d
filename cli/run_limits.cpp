// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/run_limits.hpp"

#include <fstream>

#include "config/limits.hpp"
#include "config/loader.hpp"
#include "util/units.hpp"

namespace lbsim::cli {
namespace {

config::CostLimits defaults() {
  config::CostLimits limits;
  limits.actors = actors_this_machine_allows();
  return limits;
}

config::CostLimits& limits() {
  static config::CostLimits current = defaults();
  return current;
}

}  // namespace

void set_run_limits(config::CostLimits l) { limits() = l; }
const config::CostLimits& run_limits() { return limits(); }

std::vector<std::string> run_limits_arguments() {
  const config::CostLimits standard;
  std::vector<std::string> args;
  if (limits().memory_bytes != standard.memory_bytes) args.insert(args.end(), {"--max-memory", units::format_size(limits().memory_bytes)});
  if (limits().wall_seconds != standard.wall_seconds) args.insert(args.end(), {"--max-run-time", units::format_duration(limits().wall_seconds)});
  return args;
}

std::optional<double> parse_memory_limit(const std::string& text) {
  const auto bytes = units::parse_size(text);
  if (!bytes || !(*bytes >= 64e6 && *bytes <= 1e12)) return std::nullopt;
  return bytes;
}

std::optional<double> parse_run_time_limit(const std::string& text) {
  const auto seconds = config::limits::parse_duration(text);
  if (!seconds || !(*seconds >= 1)) return std::nullopt;
  return seconds;
}

std::uint64_t actors_this_machine_allows() {
  constexpr std::uint64_t kLinuxDefault = 65530;  // when /proc says nothing
  constexpr std::uint64_t kOwnMaps = 4000;        // libraries, heap arenas, SimGrid's own
  std::uint64_t maps = kLinuxDefault;
  std::ifstream in("/proc/sys/vm/max_map_count");
  if (in >> maps; !in) maps = kLinuxDefault;
  return maps > kOwnMaps ? (maps - kOwnMaps) / 2 : 0;
}

void refuse_if_beyond_limits(const config::ScenarioSpec& spec) {
  const std::string why = config::over_limits(config::estimate_cost(spec), limits());
  if (why.empty()) return;
  throw config::ConfigError({{spec.source_file, 1, 1, spec.variant.empty() ? why : "variant " + spec.variant + ": " + why}});
}

}  // namespace lbsim::cli
