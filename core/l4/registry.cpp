// SPDX-License-Identifier: GPL-3.0-or-later
#include "l4/registry.hpp"

#include <array>
#include <stdexcept>

#include "l4/algorithms.hpp"

namespace lbsim::l4 {
namespace {

constexpr std::array kAlgorithms{
    Algorithm{"round_robin", "each target in turn: 1, 2, 3, 1, 2, 3, ...", make_round_robin},
    Algorithm{"smooth_weighted_round_robin", "nginx's weighted round robin: weights 5,1,1 give a a b a c a a",
              make_smooth_weighted_round_robin},
    Algorithm{"random", "a uniformly random target", make_random},
    Algorithm{"least_connections", "the target with the fewest active connections (ties: round robin)",
              make_least_loaded, true},
    Algorithm{"least_outstanding_requests", "ALB's rule: the target with the fewest requests in flight",
              make_least_loaded, true},
    Algorithm{"least_request", "power of d choices: the less loaded of d random targets (d = 2)", make_least_request,
              true},
    Algorithm{"source_ip_hash", "hash of the client address modulo the target count", make_source_ip_hash},
    Algorithm{"flow_hash", "hash of the 5-tuple modulo the target count", make_flow_hash},
    Algorithm{"ring_hash", "consistent hash ring of the 5-tuple (100 points per unit of weight)", make_ring_hash},
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

std::unique_ptr<Picker> make_picker(std::string_view name, std::span<const Target> targets, const PickerOptions& options) {
  const Algorithm* algorithm = find_algorithm(name);
  if (algorithm == nullptr) throw std::invalid_argument("unknown balancing algorithm '" + std::string(name) + "'");
  if (targets.empty()) throw std::invalid_argument("a picker needs at least one target");
  return algorithm->make(targets, options);
}

bool is_load_aware(std::string_view name) {
  const Algorithm* algorithm = find_algorithm(name);
  return algorithm != nullptr && algorithm->load_aware;
}

}  // namespace lbsim::l4
