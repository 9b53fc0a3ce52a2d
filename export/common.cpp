// SPDX-License-Identifier: GPL-3.0-or-later
#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

#include "export/export.hpp"
#include "topology/addresses.hpp"
#include "topology/topology.hpp"

namespace lbsim::exporting {

std::string_view to_string(Proxy proxy) { return proxy == Proxy::haproxy ? "haproxy" : "nginx"; }
std::string_view to_string(Mapping::Kind kind) { return kind == Mapping::Kind::approximated ? "approximated" : "dropped"; }

std::string regex_literal(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (std::string_view("\\^$.|?*+()[]{}/").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string glob_pattern(std::string_view glob, std::string_view any_run, std::string_view any_one) {
  std::string re;
  for (const char c : glob) {
    if (c == '*') re += any_run;
    else if (c == '?') re += any_one;
    else re += regex_literal(std::string_view(&c, 1));
  }
  return re;
}

std::string glob_to_regex(std::string_view glob) { return "^" + glob_pattern(glob, ".*", ".") + "$"; }

std::vector<Server> servers_of(const config::ScenarioSpec& spec, std::uint32_t group, std::optional<std::uint32_t> zone) {
  const topology::Topology topology(spec);
  std::vector<Server> servers;
  for (std::uint32_t z = 0; z < spec.topology.zones.size(); ++z) {
    if (zone && *zone != z) continue;
    for (const topology::Vertex v : topology.backends(group, z)) {
      const topology::Node& node = topology.node(v);
      const std::uint32_t ip = topology::node_address(node);
      servers.push_back({node.name,
                         fmt::format("{}.{}.{}.{}:{}", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff, topology::kBackendPort),
                         z, node.weight});
    }
  }
  return servers;
}

std::string duration(double seconds) {
  // Whole milliseconds where they are exact, else microseconds (HAProxy and nginx both
  // read "ms"; nginx has no "us", but no L7 setting is finer than a millisecond).
  const double ms = seconds * 1e3;
  if (std::abs(ms - std::round(ms)) < 1e-6) {
    const auto whole = static_cast<long long>(std::llround(ms));
    if (whole % 1000 == 0) return fmt::format("{}s", whole / 1000);
    return fmt::format("{}ms", whole);
  }
  return fmt::format("{}ms", static_cast<long long>(std::ceil(ms)));
}

std::string mapping_report(const Export& e) {
  std::string out;
  for (const Mapping& m : e.mappings) out += fmt::format("{:<13}{}: {}\n", to_string(m.kind), m.key, m.how);
  return out;
}

}  // namespace lbsim::exporting
