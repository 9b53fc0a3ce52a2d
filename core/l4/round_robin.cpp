// SPDX-License-Identifier: GPL-3.0-or-later
#include "l4/algorithms.hpp"

namespace lbsim::l4 {
namespace {

class RoundRobin final : public Picker {
public:
  explicit RoundRobin(std::size_t count) : count_(count) {}
  std::size_t pick(const PickInput&) override {
    const std::size_t chosen = next_;
    next_ = (next_ + 1 == count_) ? 0 : next_ + 1;
    return chosen;
  }

private:
  std::size_t count_;
  std::size_t next_ = 0;
};

}  // namespace

std::unique_ptr<Picker> make_round_robin(std::span<const Target> targets, const PickerOptions&) {
  return std::make_unique<RoundRobin>(targets.size());
}

}  // namespace lbsim::l4
