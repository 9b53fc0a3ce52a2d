// SPDX-License-Identifier: GPL-3.0-or-later
#include <stdexcept>

#include "l4/algorithms.hpp"

namespace lbsim::l4 {
namespace {

// ALB's "least outstanding requests": a full scan, which is what ALB does over a
// target group's (small) list; P2C is the scalable alternative.
class LeastOutstanding final : public Picker {
public:
  explicit LeastOutstanding(std::size_t count) : count_(count) {}
  std::size_t pick(const PickInput& input) override {
    if (input.outstanding.size() != count_) throw std::logic_error("least_outstanding_requests needs one count per target");
    std::size_t best = 0;
    for (std::size_t i = 1; i < count_; ++i) {
      if (input.outstanding[i] < input.outstanding[best]) best = i;
    }
    return best;
  }

private:
  std::size_t count_;
};

}  // namespace

std::unique_ptr<Picker> make_least_outstanding(std::span<const Target> targets) {
  return std::make_unique<LeastOutstanding>(targets.size());
}

}  // namespace lbsim::l4
