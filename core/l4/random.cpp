// SPDX-License-Identifier: GPL-3.0-or-later
#include <stdexcept>

#include "l4/algorithms.hpp"

namespace lbsim::l4 {
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

std::unique_ptr<Picker> make_random(std::span<const Target> targets, const PickerOptions&) {
  return std::make_unique<RandomPick>(targets.size());
}

}  // namespace lbsim::l4
