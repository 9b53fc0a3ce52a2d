// SPDX-License-Identifier: GPL-3.0-or-later
#include "balancing/registry.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace lbsim::balancing {

// One line per algorithm, in the order they are listed. Each names the descriptor its
// own file defines in namespace `registered`.
#define LBSIM_ALGORITHMS(X)         \
  X(round_robin)                    \
  X(smooth_weighted_round_robin)    \
  X(random)                         \
  X(least_connections)              \
  X(least_outstanding_requests)     \
  X(least_request)                  \
  X(source_ip_hash)                 \
  X(flow_hash)                      \
  X(ring_hash)                      \
  X(maglev)

namespace registered {
#define LBSIM_DECLARE(name) extern const Algorithm name;
LBSIM_ALGORITHMS(LBSIM_DECLARE)
#undef LBSIM_DECLARE
}  // namespace registered

namespace {
#define LBSIM_LIST(name) &registered::name,
constexpr std::array kAlgorithms{LBSIM_ALGORITHMS(LBSIM_LIST)};
#undef LBSIM_LIST
}  // namespace

std::span<const Algorithm* const> algorithms() { return kAlgorithms; }

const Algorithm* find_algorithm(std::string_view name) {
  for (const Algorithm* algorithm : kAlgorithms) {
    if (algorithm->name == name) return algorithm;
  }
  return nullptr;
}

std::vector<std::string> algorithm_names() {
  std::vector<std::string> names;
  for (const Algorithm* algorithm : kAlgorithms) names.emplace_back(algorithm->name);
  return names;
}

std::vector<std::string_view> tunable_keys() {
  std::vector<std::string_view> keys;
  for (const Algorithm* algorithm : kAlgorithms)
    for (const Tunable& t : algorithm->tunables)
      if (std::find(keys.begin(), keys.end(), t.key) == keys.end()) keys.push_back(t.key);
  return keys;
}

const Algorithm* algorithm_with_tunable(std::string_view key) {
  for (const Algorithm* algorithm : kAlgorithms)
    for (const Tunable& t : algorithm->tunables)
      if (t.key == key) return algorithm;
  return nullptr;
}

std::unique_ptr<Picker> make_picker(const Algorithm& algorithm, std::span<const Target> targets, const PickerOptions& options) {
  if (targets.empty()) throw std::invalid_argument("a picker needs at least one target");
  return algorithm.make(targets, options);
}

std::unique_ptr<Picker> make_picker(std::string_view name, std::span<const Target> targets, const PickerOptions& options) {
  const Algorithm* algorithm = find_algorithm(name);
  if (algorithm == nullptr) throw std::invalid_argument("unknown balancing algorithm '" + std::string(name) + "'");
  return make_picker(*algorithm, targets, options);
}

}  // namespace lbsim::balancing
