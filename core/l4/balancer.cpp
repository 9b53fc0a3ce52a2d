// SPDX-License-Identifier: GPL-3.0-or-later
#include "l4/balancer.hpp"

namespace lbsim::l4 {

Balancer::Balancer(std::vector<balancing::Target> targets, std::string algorithm, balancing::PickerOptions options,
                   double panic_threshold_percent, std::size_t conntrack_capacity, double idle_timeout_s)
    : targets_(std::move(targets), std::move(algorithm), options, panic_threshold_percent),
      conntrack_(conntrack_capacity, idle_timeout_s) {
  // A flow the table forgets by itself (idle, evicted) is a connection closed for the
  // least-connections count, as IPVS counts an expired entry.
  conntrack_.on_forget([this](std::uint32_t target) { targets_.finish(target); });
}

std::optional<Balancer::Choice> Balancer::route(const FlowKey& flow, std::uint64_t flow_hash, std::uint64_t source_hash, Random& random,
                                                double now, bool awaits_answer) {
  if (const auto tracked = conntrack_.lookup(flow, now)) return Choice{*tracked, true};
  if (!targets_.has_routable()) return std::nullopt;
  const auto chosen = static_cast<std::uint32_t>(targets_.pick(flow_hash, source_hash, random, now));
  conntrack_.insert(flow, chosen, now, awaits_answer);
  targets_.start(chosen);
  return Choice{chosen, false};
}

std::optional<std::uint32_t> Balancer::close(const FlowKey& flow) {
  const auto target = conntrack_.erase(flow);
  if (target) targets_.finish(*target);
  return target;
}

}  // namespace lbsim::l4
