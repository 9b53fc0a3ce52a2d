// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the simulation tests share: running a scenario written as YAML, and a node's
// figures by name. Each test is one simulation in its own process (SimGrid's engine
// cannot be reset), which ctest and gtest_discover_tests arrange.
#include <gtest/gtest.h>

#include <string>

#include "config/loader.hpp"
#include "models/simulation.hpp"

namespace lbsim::test {

inline results::RunResult run_yaml(const std::string& yaml, const std::string& file_name = "t.yaml") {
  return models::run_scenario(config::load_scenario(yaml, file_name));
}

// A node's figures by the name `lbsim topology` prints ("l7-a-0", "api-b-1").
inline const results::NodeStats& node_named(const results::RunResult& r, const std::string& name) {
  for (const auto& n : r.metrics.nodes)
    if (n.name == name) return n;
  throw std::runtime_error("no node " + name);
}

}  // namespace lbsim::test
