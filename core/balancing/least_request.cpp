// SPDX-License-Identifier: GPL-3.0-or-later
// Least request with the power of d choices (Mitzenmacher; Envoy's LEAST_REQUEST):
// draw d distinct targets at random and take the least loaded of them (the first
// drawn on a tie). Nearly as good as the global minimum, without anyone scanning.
#include <algorithm>
#include <array>
#include <stdexcept>

#include "balancing/algorithm.hpp"

namespace lbsim::balancing {
namespace {

class LeastRequest final : public Picker {
public:
  LeastRequest(std::size_t count, std::uint32_t choices)
      : count_(count), choices_(std::clamp<std::size_t>(choices, 1, std::min<std::size_t>(count, kMaxChoices))) {}

  std::size_t pick(const PickInput& input) override {
    if (input.random == nullptr || input.load == nullptr || input.load->size() != count_)
      throw std::logic_error("least_request needs a random stream and a LoadTracker over its targets");
    const LoadTracker& load = *input.load;
    std::array<std::size_t, kMaxChoices> drawn{};
    std::size_t best = LoadTracker::npos;
    for (std::size_t c = 0; c < choices_; ++c) {
      std::size_t candidate = 0;
      do {  // distinct draws: d is tiny, so retrying beats shuffling
        candidate = input.random->below(count_);
      } while (std::find(drawn.begin(), drawn.begin() + c, candidate) != drawn.begin() + c);
      drawn[c] = candidate;
      if (load.excluded(candidate)) continue;
      if (best == LoadTracker::npos || load.load(candidate) < load.load(best)) best = candidate;
    }
    // Every draw excluded: fall back to the global least loaded.
    if (best == LoadTracker::npos) best = load.least_loaded();
    if (best == LoadTracker::npos) throw std::logic_error("every target is excluded");
    return best;
  }

private:
  static constexpr std::size_t kMaxChoices = 16;
  std::size_t count_;
  std::size_t choices_;
};

}  // namespace

static std::unique_ptr<Picker> make_least_request(std::span<const Target> targets, const PickerOptions& options) {
  return std::make_unique<LeastRequest>(targets.size(), options.choices);
}

namespace registered {

constexpr Tunable kLeastRequestTunables[] = {
    {"choices", "how many random targets to compare (Envoy's choice_count)", &PickerOptions::choices, 1, 16},
};
extern const Algorithm least_request{"least_request", "power of d choices: the less loaded of d random targets",
                                     make_least_request, /*load_aware=*/true, /*steerable=*/true, Hashing::none,
                                     kLeastRequestTunables};

}  // namespace registered

}  // namespace lbsim::balancing
