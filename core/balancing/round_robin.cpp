// SPDX-License-Identifier: GPL-3.0-or-later
#include "balancing/algorithm.hpp"

namespace lbsim::balancing {
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

static std::unique_ptr<Picker> make_round_robin(std::span<const Target> targets, const PickerOptions&) {
  return std::make_unique<RoundRobin>(targets.size());
}

namespace registered {

extern const Algorithm round_robin{"round_robin", "each target in turn: 1, 2, 3, 1, 2, 3, ...", make_round_robin,
                                   /*load_aware=*/false, /*steerable=*/true};

}  // namespace registered

}  // namespace lbsim::balancing
