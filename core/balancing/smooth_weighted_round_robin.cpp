// SPDX-License-Identifier: GPL-3.0-or-later
// nginx's smooth weighted round robin: every pick, each target's current value grows by
// its weight; the largest (lowest index on a tie) is chosen and loses the total. Weights
// 5, 1, 1 give a a b a c a a — spread out, not a a a a a b c.
//
// The sequence repeats every sum-of-weights picks, so it is computed once and replayed:
// a pick is an array read. Past kMaxPrecomputed work the picker runs nginx's O(n) step
// live instead. Weights are rounded to integers, as nginx's are.
#include <cmath>
#include <vector>

#include "balancing/algorithm.hpp"

namespace lbsim::balancing {
namespace {

class SmoothWeightedRoundRobin final : public Picker {
public:
  explicit SmoothWeightedRoundRobin(std::span<const Target> targets) {
    for (const auto& t : targets) weights_.push_back(std::max<std::int64_t>(0, std::llround(t.weight)));
    for (auto w : weights_) total_ += w;
    if (total_ == 0) {  // all weights zero: behave as plain round robin
      weights_.assign(weights_.size(), 1);
      total_ = static_cast<std::int64_t>(weights_.size());
    }
    current_.assign(weights_.size(), 0);
    if (static_cast<double>(total_) * static_cast<double>(weights_.size()) <= kMaxPrecomputed) {
      schedule_.reserve(static_cast<std::size_t>(total_));
      for (std::int64_t i = 0; i < total_; ++i) schedule_.push_back(static_cast<std::uint32_t>(step()));
    }
  }

  std::size_t pick(const PickInput&) override {
    if (schedule_.empty()) return step();
    const std::size_t chosen = schedule_[position_];
    position_ = (position_ + 1 == schedule_.size()) ? 0 : position_ + 1;
    return chosen;
  }

private:
  static constexpr double kMaxPrecomputed = 5e7;  // weight sum x targets

  std::size_t step() {
    std::size_t best = 0;
    for (std::size_t i = 0; i < weights_.size(); ++i) {
      current_[i] += weights_[i];
      if (current_[i] > current_[best]) best = i;
    }
    current_[best] -= total_;
    return best;
  }

  std::vector<std::int64_t> weights_, current_;
  std::int64_t total_ = 0;
  std::vector<std::uint32_t> schedule_;
  std::size_t position_ = 0;
};

}  // namespace

static std::unique_ptr<Picker> make_smooth_weighted_round_robin(std::span<const Target> targets, const PickerOptions&) {
  return std::make_unique<SmoothWeightedRoundRobin>(targets);
}

namespace registered {

extern const Algorithm smooth_weighted_round_robin{
    "smooth_weighted_round_robin", "nginx's weighted round robin: weights 5,1,1 give a a b a c a a",
    make_smooth_weighted_round_robin, /*load_aware=*/false, /*steerable=*/true, Hashing::none, {}, /*weighted=*/true};

}  // namespace registered

}  // namespace lbsim::balancing
