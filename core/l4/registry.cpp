// SPDX-License-Identifier: GPL-3.0-or-later
#include "l4/registry.hpp"

#include <array>
#include <stdexcept>

#include "l4/algorithms.hpp"

namespace lbsim::l4 {
namespace {

constexpr std::array kAlgorithms{
    Algorithm{"round_robin", "each target in turn: 1, 2, 3, 1, 2, 3, ...", make_round_robin},
    Algorithm{"random", "a uniformly random target", make_random},
    Algorithm{"least_outstanding_requests", "the target with the fewest requests in flight (ties: lowest index)",
              make_least_outstanding},
    Algorithm{"source_ip_hash", "hash of the client address modulo the target count", make_source_ip_hash},
    Algorithm{"flow_hash", "hash of the 5-tuple modulo the target count", make_flow_hash},
    Algorithm{"maglev", "Maglev consistent hash of the 5-tuple (table of 65537 slots, weighted)", make_maglev},
};

}  // namespace

std::span<const Algorithm> algorithms() { return kAlgorithms; }

const Algorithm* find_algorithm(std::string_view name) {
  for (const auto& algorithm : kAlgorithms) {
    if (algorithm.name == name) return &algorithm;
  }
  return nullptr;
}

std::vector<std::string> algorithm_names() {
  std::vector<std::string> names;
  for (const auto& algorithm : kAlgorithms) names.emplace_back(algorithm.name);
  return names;
}

std::unique_ptr<Picker> make_picker(std::string_view name, std::span<const Target> targets) {
  const Algorithm* algorithm = find_algorithm(name);
  if (algorithm == nullptr) throw std::invalid_argument("unknown balancing algorithm '" + std::string(name) + "'");
  if (targets.empty()) throw std::invalid_argument("a picker needs at least one target");
  return algorithm->make(targets);
}

}  // namespace lbsim::l4
