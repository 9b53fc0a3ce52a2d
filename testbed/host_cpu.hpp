// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The share of the host's CPU time a hypervisor gave to other guests ("steal") while the
// testbed ran. The testbed's latencies are its processes' turns on shared cores: when the
// cores are taken away they read high, and a crosscheck says so beside its verdict.
#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace lbsim::testbed {

struct CpuTimes {
  std::uint64_t total = 0;  // every state's ticks, guest time counted once (inside user)
  std::uint64_t steal = 0;
};

// The aggregate "cpu" line of /proc/stat: user nice system idle iowait irq softirq steal
// [guest guest_nice]. nullopt for anything else (an old kernel without steal, a container
// with its own view): no share is then better than a wrong one.
inline std::optional<CpuTimes> parse_proc_stat(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string name;
    fields >> name;
    if (name != "cpu") continue;
    std::uint64_t value[8];
    for (auto& v : value)
      if (!(fields >> v)) return std::nullopt;
    CpuTimes times;
    for (auto v : value) times.total += v;
    times.steal = value[7];
    return times;
  }
  return std::nullopt;
}

inline std::optional<CpuTimes> read_cpu_times() {
  std::ifstream file("/proc/stat");
  if (!file) return std::nullopt;
  std::ostringstream text;
  text << file.rdbuf();
  return parse_proc_stat(text.str());
}

// The stolen share of the CPU time between two readings; nullopt when no time passed.
inline std::optional<double> steal_share(const CpuTimes& before, const CpuTimes& after) {
  if (after.total <= before.total || after.steal < before.steal) return std::nullopt;
  return static_cast<double>(after.steal - before.steal) / static_cast<double>(after.total - before.total);
}

}  // namespace lbsim::testbed
