// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The balancer's DNS record as the testbed's clients resolve it: the L4 nodes that
// qualify (alive, in a zone not shifted away, with a target to send to: NLB's DNS
// health, as the simulator's World::dns_answer), or every node when none does (it fails
// open). The supervisor keeps the set current; client threads read it as they resolve.
#include <atomic>
#include <cstdint>
#include <vector>

#include "testbed/plan.hpp"

namespace lbsim::testbed {

class DnsView {
public:
  static_assert(kMaxNodes <= 64, "one bit per L4 node");
  explicit DnsView(std::size_t l4_nodes) : nodes_(l4_nodes), announced_(everyone()) {}

  // Announces exactly the nodes (indexes into plan.l4_nodes) whose bit is set.
  void announce(std::uint64_t nodes) { announced_.store(nodes, std::memory_order_relaxed); }
  std::vector<std::uint32_t> answer() const {
    std::uint64_t bits = announced_.load(std::memory_order_relaxed);
    if (bits == 0) bits = everyone();
    std::vector<std::uint32_t> nodes;
    for (std::uint32_t n = 0; n < nodes_; ++n)
      if ((bits >> n) & 1u) nodes.push_back(n);
    return nodes;
  }
  std::uint64_t everyone() const { return nodes_ >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << nodes_) - 1; }

private:
  std::size_t nodes_;
  std::atomic<std::uint64_t> announced_;
};

}  // namespace lbsim::testbed
