// SPDX-License-Identifier: GPL-3.0-or-later
// A random target, in proportion to its weight (AWS's weighted_random, HAProxy's
// `balance random(1)`); equal weights draw exactly as a uniform pick does.
#include <algorithm>
#include <stdexcept>
#include <vector>

#include "balancing/algorithm.hpp"

namespace lbsim::balancing {
namespace {

class RandomPick final : public Picker {
public:
  explicit RandomPick(std::span<const Target> targets) : count_(targets.size()) {
    const bool equal = std::all_of(targets.begin(), targets.end(), [&](const Target& t) { return t.weight == targets.front().weight; });
    if (equal) return;
    double total = 0;
    for (const auto& t : targets) cumulative_.push_back(total += std::max(0.0, t.weight));
    if (total <= 0) throw std::invalid_argument("random needs a target with a positive weight");
  }

  std::size_t pick(const PickInput& input) override {
    if (input.random == nullptr) throw std::logic_error("random picker called without a random stream");
    if (cumulative_.empty()) return input.random->below(count_);
    // The first target whose cumulative weight exceeds the draw: binary search, no scan.
    const double draw = input.random->uniform01() * cumulative_.back();
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), draw);
    return std::min<std::size_t>(static_cast<std::size_t>(it - cumulative_.begin()), count_ - 1);
  }

private:
  std::size_t count_;
  std::vector<double> cumulative_;  // empty when every weight is equal
};

}  // namespace

static std::unique_ptr<Picker> make_random(std::span<const Target> targets, const PickerOptions&) {
  return std::make_unique<RandomPick>(targets);
}

namespace registered {

extern const Algorithm random{"random", "a random target, in proportion to its weight", make_random, /*load_aware=*/false,
                              /*steerable=*/true, Hashing::none, {}, /*weighted=*/true};

}  // namespace registered

}  // namespace lbsim::balancing
