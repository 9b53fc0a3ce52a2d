// SPDX-License-Identifier: GPL-3.0-or-later
// Least connections (IPVS lc, HAProxy leastconn) and ALB's least outstanding requests:
// the same rule over what the balancer counts. O(1) through the LoadTracker.
#include <stdexcept>

#include "l4/algorithms.hpp"

namespace lbsim::l4 {
namespace {

class LeastLoaded final : public Picker {
public:
  explicit LeastLoaded(std::size_t count) : count_(count) {}
  std::size_t pick(const PickInput& input) override {
    if (input.load == nullptr || input.load->size() != count_)
      throw std::logic_error("least-loaded picking needs a LoadTracker over its targets");
    const std::size_t best = input.load->least_loaded();
    if (best == LoadTracker::npos) throw std::logic_error("every target is excluded");
    return best;
  }

private:
  std::size_t count_;
};

}  // namespace

std::unique_ptr<Picker> make_least_loaded(std::span<const Target> targets, const PickerOptions&) {
  return std::make_unique<LeastLoaded>(targets.size());
}

}  // namespace lbsim::l4
