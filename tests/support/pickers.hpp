// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the picker tests share: named targets, and client flows from the benchmarking
// range (198.18.0.0/15) to the article's VIP.
#include <cstdint>
#include <string>
#include <vector>

#include "balancing/picker.hpp"
#include "l4/flow.hpp"

namespace lbsim::balancing::test {

inline std::vector<Target> targets(std::size_t n, const std::string& prefix = "backend-") {
  std::vector<Target> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back({prefix + std::to_string(i), 1.0});
  return out;
}

inline l4::FlowKey flow(std::uint32_t i) {
  return {0xC6120000u + (i % 60000), 0xCB007132u, static_cast<std::uint16_t>(32768 + i % 28000), 443, l4::Protocol::tcp};
}

// Share of flows whose target changes when the target list goes from `before` to `after`.
template <typename PickName>
double moved_share(PickName pick_name, const std::vector<Target>& before, const std::vector<Target>& after) {
  int moved = 0;
  const int flows = 20000;
  for (int i = 0; i < flows; ++i) {
    const std::uint64_t h = l4::hash_flow(flow(static_cast<std::uint32_t>(i)));
    if (pick_name(before, h) != pick_name(after, h)) ++moved;
  }
  return static_cast<double>(moved) / flows;
}

}  // namespace lbsim::balancing::test
