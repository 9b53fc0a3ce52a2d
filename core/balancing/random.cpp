// SPDX-License-Identifier: GPL-3.0-or-later
#include <stdexcept>

#include "balancing/algorithm.hpp"

namespace lbsim::balancing {
namespace {

class RandomPick final : public Picker {
public:
  explicit RandomPick(std::size_t count) : count_(count) {}
  std::size_t pick(const PickInput& input) override {
    if (input.random == nullptr) throw std::logic_error("random picker called without a random stream");
    return input.random->below(count_);
  }

private:
  std::size_t count_;
};

}  // namespace

static std::unique_ptr<Picker> make_random(std::span<const Target> targets, const PickerOptions&) {
  return std::make_unique<RandomPick>(targets.size());
}

namespace registered {

extern const Algorithm random{"random", "a uniformly random target", make_random, /*load_aware=*/false, /*steerable=*/true};

}  // namespace registered

}  // namespace lbsim::balancing
