// SPDX-License-Identifier: GPL-3.0-or-later
#include "balancing/ring_hash.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "balancing/algorithm.hpp"
#include "l4/flow.hpp"

namespace lbsim::balancing {
namespace {

constexpr double kTwoTo64 = 18446744073709551616.0;

class RingHashPicker final : public Picker {
public:
  RingHashPicker(std::span<const Target> targets, std::uint32_t vnodes) : ring_(targets, vnodes) {}
  std::size_t pick(const PickInput& input) override { return ring_.lookup(input.flow_hash); }

private:
  RingHash ring_;
};

}  // namespace

RingHash::RingHash(std::span<const Target> targets, std::uint32_t vnodes_per_weight) {
  if (targets.empty() || vnodes_per_weight == 0) throw std::invalid_argument("ring hash needs targets and vnodes");
  double max_weight = 0;
  for (const auto& t : targets) max_weight = std::max(max_weight, t.weight);
  if (max_weight <= 0) throw std::invalid_argument("ring hash needs a target with a positive weight");
  for (std::uint32_t i = 0; i < targets.size(); ++i) {
    const auto points = static_cast<std::uint32_t>(std::llround(vnodes_per_weight * targets[i].weight / max_weight));
    for (std::uint32_t k = 0; k < points; ++k) {
      // "name_k", as ketama-style rings label their points.
      ring_.push_back({l4::hash_name(targets[i].name + "_" + std::to_string(k)), i});
    }
  }
  std::sort(ring_.begin(), ring_.end(), [](const Point& a, const Point& b) { return a.hash < b.hash; });
}

std::uint32_t RingHash::lookup(std::uint64_t hash) const {
  const auto it = std::lower_bound(ring_.begin(), ring_.end(), hash, [](const Point& p, std::uint64_t h) { return p.hash < h; });
  return it == ring_.end() ? ring_.front().target : it->target;
}

std::vector<double> RingHash::space_share(std::size_t target_count) const {
  std::vector<double> share(target_count, 0.0);
  // A point owns the arc from the previous point (exclusive) up to itself.
  for (std::size_t i = 0; i < ring_.size(); ++i) {
    const std::uint64_t previous = i == 0 ? ring_.back().hash : ring_[i - 1].hash;
    share.at(ring_[i].target) += static_cast<double>(ring_[i].hash - previous) / kTwoTo64;  // wraps mod 2^64
  }
  if (ring_.size() == 1) share.at(ring_[0].target) = 1.0;
  return share;
}

double RingHash::moved_share(const RingHash& before, std::span<const Target> before_targets, const RingHash& after,
                             std::span<const Target> after_targets) {
  // Every arc between consecutive boundaries of either ring has one owner in each;
  // the owner of the arc ending at boundary b is lookup(b) in each ring.
  std::vector<std::uint64_t> bounds;
  for (const auto& p : before.ring_) bounds.push_back(p.hash);
  for (const auto& p : after.ring_) bounds.push_back(p.hash);
  std::sort(bounds.begin(), bounds.end());
  bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
  double moved = 0;
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    const std::uint64_t previous = i == 0 ? bounds.back() : bounds[i - 1];
    if (before_targets[before.lookup(bounds[i])].name != after_targets[after.lookup(bounds[i])].name)
      moved += static_cast<double>(bounds[i] - previous) / kTwoTo64;
  }
  return moved;
}

static std::unique_ptr<Picker> make_ring_hash(std::span<const Target> targets, const PickerOptions& options) {
  return std::make_unique<RingHashPicker>(targets, options.ring_vnodes);
}

namespace registered {

constexpr Tunable kRingHashTunables[] = {
    {"vnodes", "ring entries per unit of weight", &PickerOptions::ring_vnodes, 1, 100'000},
};
extern const Algorithm ring_hash{"ring_hash", "consistent hash ring of the 5-tuple, points in proportion to weight",
                                 make_ring_hash, /*load_aware=*/false, /*steerable=*/false, Hashing::consistent,
                                 kRingHashTunables, /*weighted=*/true};

}  // namespace registered

}  // namespace lbsim::balancing
