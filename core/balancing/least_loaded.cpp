// SPDX-License-Identifier: GPL-3.0-or-later
// Least connections (IPVS lc, HAProxy leastconn) and ALB's least outstanding requests:
// the same rule over what the balancer counts. O(1) through the LoadTracker.
#include <stdexcept>

#include "balancing/algorithm.hpp"

namespace lbsim::balancing {
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

static std::unique_ptr<Picker> make_least_loaded(std::span<const Target> targets, const PickerOptions&) {
  return std::make_unique<LeastLoaded>(targets.size());
}

namespace registered {

extern const Algorithm least_connections{"least_connections",
                                         "the target with the fewest active connections (ties: round robin)",
                                         make_least_loaded, /*load_aware=*/true, /*steerable=*/true};
extern const Algorithm least_outstanding_requests{"least_outstanding_requests",
                                                  "ALB's rule: the target with the fewest requests in flight",
                                                  make_least_loaded, /*load_aware=*/true, /*steerable=*/true};

}  // namespace registered

}  // namespace lbsim::balancing
