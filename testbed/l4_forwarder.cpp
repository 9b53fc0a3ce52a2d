// SPDX-License-Identifier: GPL-3.0-or-later
#include "testbed/l4_forwarder.hpp"

#include <poll.h>
#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "testbed/clock.hpp"
#include "l7/rules.hpp"
#include "testbed/fault_timeline.hpp"
#include "testbed/health_checker.hpp"
#include "testbed/packet_socket.hpp"
#include "topology/addresses.hpp"

namespace lbsim::testbed {
namespace {

// How long a closed flow's last packets still follow it: a few round trips of the
// slowest path (the internet's 20 ms each way by default).
constexpr double kClosingLingerSeconds = 1.0;

std::vector<balancing::Target> target_names(const topology::Topology& topology, const PlannedNode& self, const TestbedPlan& plan,
                                            std::vector<std::size_t>& indexes) {
  // The topology's out-edges are exactly the targets cross-zone allows (as the simulator's node).
  std::vector<balancing::Target> names;
  const auto& graph = topology.graph();
  for (auto edge : boost::make_iterator_range(boost::out_edges(self.vertex, graph))) {
    const auto& node = graph[boost::target(edge, graph)];
    names.push_back({node.name, static_cast<double>(node.weight)});
    indexes.push_back(static_cast<std::size_t>(&plan.find(node.name) - plan.nodes.data()));
  }
  return names;
}


}  // namespace

L4Forwarder::L4Forwarder(const config::ScenarioSpec& spec, const topology::Topology& topology, const TestbedPlan& plan, const PlannedNode& self)
    : plan_(plan),
      self_(self),
      forwarding_(spec.l4.forwarding),
      balancer_(target_names(topology, self, plan, targets_), spec.l4.algorithm, spec.l4.algorithm_options, spec.l4.panic_threshold_percent,
                spec.l4.conntrack_capacity, spec.l4.idle_timeout_s),
      random_(Random::stream(spec.seed, self.node.name)),
      health_check_(spec.target_groups.at(*spec.l4.target_group).health_check) {
  // The simulator's prober draws its phase so: each node checks at its own.
  Random phase = Random::stream(spec.seed, self.node.name + "-hc");
  health_check_phase_s_ = phase.uniform01() * health_check_.interval_s;
  actively_healthy_.assign(targets_.size(), true);
  const auto& group = spec.target_groups.at(*spec.l4.target_group);
  if (spec.l4.passive_health_checks && forwarding_ == config::Forwarding::dnat && !group.sticky_duration_s)
    passive_.emplace(targets_.size(), health_check_.unhealthy_threshold);
}

void L4Forwarder::apply_fault(const config::FaultSpec& fault, bool starts) {
  if (goes_dark(fault, self_.node)) {
    dark_ = starts;
    if (!starts) {  // its state went with it: every connection through it is gone
      balancer_.conntrack().clear();
      pending_syns_.clear();
      closing_.clear();
      closing_order_.clear();
    }
    return;
  }
  if (fault.kind == config::FaultKind::deregistration) {  // no new flows; tracked ones go on
    for (std::size_t t = 0; t < targets_.size(); ++t)
      if (l7::glob_match(fault.targets, plan_.nodes[targets_[t]].node.name))
        balancer_.targets().set_taken_out(t, balancing::RoutableTargets::Reason::deregistered, starts);
    return;
  }
  if (fault.kind != config::FaultKind::zonal_shift) return;
  const auto in_zone = [&](std::size_t t) { return plan_.nodes[targets_[t]].node.zone == fault.zone; };
  bool elsewhere = false;
  for (std::size_t t = 0; t < targets_.size(); ++t) elsewhere = elsewhere || !in_zone(t);
  if (!elsewhere) return;  // cross-zone off: DNS takes this node out instead
  for (std::size_t t = 0; t < targets_.size(); ++t)
    if (in_zone(t)) balancer_.targets().set_taken_out(t, balancing::RoutableTargets::Reason::zonal_shift, starts);
}

void L4Forwarder::apply_health(std::size_t target, double now_s) {
  const bool passively_out = passive_ && passive_->out(target);
  balancer_.targets().set_healthy(target, actively_healthy_[target] && !passively_out, now_s);
}

void L4Forwarder::passive_failure(std::uint32_t target, const char* how, double now_s) {
  if (!passive_->connection_failed(target)) return;
  const std::uint32_t threshold = passive_->threshold();
  health_events_.push_back({now_s, self_.node.name + "-passive", plan_.nodes[targets_[target]].node.name, false,
                            std::to_string(threshold) + (threshold == 1 ? " connection" : " connections") +
                                " in a row failed on live traffic (the last " + how + ")",
                            0.0, results::HealthSource::l4_passive});
  apply_health(target, now_s);
}

void L4Forwarder::judge_overdue_syns(double now_s) {
  while (!pending_syns_.empty() && pending_syns_.front().deadline_s <= now_s) {
    const PendingSyn syn = pending_syns_.front();
    pending_syns_.pop_front();
    if (balancer_.conntrack().unanswered(syn.flow) != syn.target) continue;  // answered, reset or gone since
    balancer_.conntrack().note_answered(syn.flow);
    passive_failure(syn.target, "left unanswered for 1 s: the client resent its SYN", now_s);
  }
}

void L4Forwarder::probe_passed(std::size_t target, double now_s) {
  if (!passive_ || !passive_->probe_passed(target)) return;
  health_events_.push_back({now_s, self_.node.name + "-passive", plan_.nodes[targets_[target]].node.name, true,
                            "passed an active probe after passive checks took it out", 0.0, results::HealthSource::l4_passive});
  apply_health(target, now_s);
}

void L4Forwarder::set_target_health(std::size_t target, bool healthy, const std::string& reason, double now_s) {
  actively_healthy_[target] = healthy;
  apply_health(target, now_s);
  health_events_.push_back({now_s, self_.node.name + "-hc", plan_.nodes[targets_[target]].node.name, healthy, reason, 0.0,
                            results::HealthSource::l4_check});
}

L4Forwarder::Action L4Forwarder::handle(std::span<std::uint8_t> bytes, double now_s) {
  Frame frame;
  const FrameError error = parse_frame(bytes, frame);
  if (error == FrameError::not_ipv4) {
    ++counters_.not_for_it;
    return Action::drop;
  }
  if (error != FrameError::none) {
    ++counters_.malformed;
    return Action::drop;
  }
  counters_.rx_bytes += bytes.size();
  if (frame.header.dst_ip == self_.vip && frame.is_tcp() && frame.header.dst_port == plan_.service_port) return forward(frame, now_s);
  if (forwarding_ == config::Forwarding::dnat && frame.is_tcp() && in_client_range(frame.header.dst_ip) &&
      frame.header.src_port == plan_.service_port)
    return relay_reply(frame, now_s);
  ++counters_.not_for_it;  // its own traffic: health checks' answers
  counters_.rx_bytes -= bytes.size();
  return Action::drop;
}

L4Forwarder::Action L4Forwarder::forward(Frame& frame, double now_s) {
  const l4::FlowKey flow = l4::flow_of(frame.header);
  while (!closing_order_.empty() && closing_order_.front().first <= now_s) {
    if (const auto found = closing_.find(closing_order_.front().second); found != closing_.end() && found->second.until_s <= now_s)
      closing_.erase(found);
    closing_order_.pop_front();
  }
  balancer_.expire_idle(now_s);
  if (passive_) judge_overdue_syns(now_s);
  std::uint32_t target = 0;
  if (frame.has(kTcpSyn) && !frame.has(kTcpAck)) {
    closing_.erase(flow);  // a port reused for a new connection
    const auto choice = balancer_.route(flow, l4::hash_flow(flow), l4::hash_source_ip(flow.src_ip), random_, now_s, passive_.has_value());
    if (!choice) {
      ++counters_.refused;
      return Action::reset;
    }
    if (!choice->tracked) {
      ++counters_.new_flows;
      if (passive_) pending_syns_.push_back({now_s + health::kSynAnswerSeconds, flow, choice->target});
    }
    target = choice->target;
  } else if (const auto tracked = balancer_.conntrack().lookup(flow, now_s)) {
    target = *tracked;
  } else if (const auto found = closing_.find(flow); found != closing_.end()) {
    target = found->second.target;
  } else {
    // Mid-stream with no record (a flow this node never saw open, or forgot): IPVS drops
    // it too; the endpoints time out or reset.
    ++counters_.untracked;
    return Action::drop;
  }
  // The client ends the connection (FIN) or aborts it (RST): it no longer counts on its
  // target; a FIN's last packets still follow.
  if (frame.has(kTcpRst)) {
    balancer_.close(flow);
    closing_.erase(flow);
  } else if (frame.has(kTcpFin) && balancer_.close(flow)) {
    closing_[flow] = {target, now_s + kClosingLingerSeconds};
    closing_order_.emplace_back(now_s + kClosingLingerSeconds, flow);
  }
  const PlannedNode& to = plan_.nodes[targets_[target]];
  l4::PacketHeader rewritten = frame.header;
  if (forwarding_ == config::Forwarding::dnat) {
    l4::forward_frame(rewritten, self_.mac, to.mac);
    l4::apply_dnat(rewritten, to.address, plan_.service_port);
  } else {
    l4::apply_dsr(rewritten, self_.mac, to.mac);
  }
  write_header(frame, rewritten);
  ++counters_.forwarded;
  counters_.tx_bytes += frame.bytes.size();
  return Action::send;
}

L4Forwarder::Action L4Forwarder::relay_reply(Frame& frame, double now_s) {
  // The fabric's router sends a DNAT'ed flow's replies to the node that forwarded it: the
  // source becomes this node's VIP again, and the router takes it on to the client.
  l4::PacketHeader rewritten = frame.header;
  l4::forward_frame(rewritten, self_.mac, kRouterMac);
  l4::dnat_reply(rewritten, self_.vip, plan_.service_port);
  // The target ends the connection (its FIN after a `Connection: close` answer, or a
  // reset): it no longer counts on the target, as the simulator's node closes a flow when
  // its last answer goes by; the client's last packets still follow it.
  const l4::FlowKey flow{rewritten.dst_ip, self_.vip, rewritten.dst_port, plan_.service_port, rewritten.protocol};
  if (passive_) {
    // The target's first answer on a flow judges it: a reset to the SYN says nothing
    // listens there; a SYN-ACK (or anything else) says it serves.
    if (const auto first = balancer_.conntrack().note_answered(flow)) {
      if (frame.has(kTcpRst)) passive_failure(*first, "reset", now_s);
      else passive_->connection_succeeded(*first);
    }
  }
  if (frame.has(kTcpRst) || frame.has(kTcpFin)) {
    if (const auto target = balancer_.close(flow); target && frame.has(kTcpFin)) {
      closing_[flow] = {*target, now_s + kClosingLingerSeconds};
      closing_order_.emplace_back(now_s + kClosingLingerSeconds, flow);
    }
  }
  write_header(frame, rewritten);
  ++counters_.replies;
  counters_.tx_bytes += frame.bytes.size();
  return Action::send;
}

std::size_t make_reset(const Frame& frame, const l4::MacAddress& from_mac, const l4::MacAddress& to_mac, std::span<std::uint8_t> out) {
  constexpr std::size_t kBytes = kEthernetHeaderBytes + 20 + 20;
  if (out.size() < kBytes) return 0;
  std::memset(out.data(), 0, kBytes);
  std::uint8_t* b = out.data();
  std::memcpy(b, to_mac.data(), 6);
  std::memcpy(b + 6, from_mac.data(), 6);
  store16(b + 12, kEtherTypeIpv4);
  std::uint8_t* ip = b + kEthernetHeaderBytes;
  ip[0] = 0x45;
  store16(ip + 2, 40);
  ip[8] = 64;
  ip[9] = 6;
  store32(ip + 12, frame.header.dst_ip);
  store32(ip + 16, frame.header.src_ip);
  store16(ip + 10, internet_checksum(std::span<const std::uint8_t>(ip, 20)));
  std::uint8_t* tcp = ip + 20;
  store16(tcp, frame.header.dst_port);
  store16(tcp + 2, frame.header.src_port);
  const std::uint8_t* in_tcp = frame.bytes.data() + frame.transport_offset;
  if (frame.has(kTcpAck)) {
    store32(tcp + 4, load32(in_tcp + 8));  // seq = its ack
    tcp[13] = kTcpRst;
  } else {
    const std::uint32_t length = static_cast<std::uint32_t>(frame.payload_bytes()) + (frame.has(kTcpSyn) ? 1 : 0) + (frame.has(kTcpFin) ? 1 : 0);
    store32(tcp + 8, load32(in_tcp + 4) + length);  // ack = its seq + its length
    tcp[13] = kTcpRst | kTcpAck;
  }
  tcp[12] = 5 << 4;
  Frame reset;
  parse_frame(out.subspan(0, kBytes), reset);
  store16(tcp + 16, transport_checksum(reset));
  return kBytes;
}

ForwarderCounters run_l4_forwarder(L4Forwarder& forwarder, const std::vector<config::FaultSpec>& faults, double start_monotonic_s,
                                   volatile const int& stop, const std::function<void(bool)>& announce) {
  FaultTimeline timeline(faults);
  bool announced = true;
  PacketSocket socket("eth0");
  constexpr std::size_t kBatch = 32;
  std::vector<std::uint8_t> memory(kBatch * PacketSocket::kFrameBytes);
  std::uint8_t* buffers[kBatch];
  std::uint32_t sizes[kBatch];
  for (std::size_t i = 0; i < kBatch; ++i) buffers[i] = memory.data() + i * PacketSocket::kFrameBytes;
  std::uint8_t reset[64];
  const auto now = [start_monotonic_s] { return monotonic_seconds() - start_monotonic_s; };
  std::vector<std::uint32_t> addresses;
  for (std::size_t t : forwarder.targets()) addresses.push_back(forwarder.plan().nodes[t].address);
  TcpHealthChecker checker(forwarder.health_check(), addresses, forwarder.plan().service_port, forwarder.health_check_phase_s(),
                           [&forwarder](std::size_t target, bool healthy, const std::string& reason, double at) {
                             forwarder.set_target_health(target, healthy, reason, at);
                           },
                           [&forwarder](std::size_t target, double at) { forwarder.probe_passed(target, at); });
  std::vector<pollfd> fds;
  while (stop == 0) {
    fds.assign(1, {socket.fd(), POLLIN, 0});
    checker.add_fds(fds);
    // Wake for a frame, a probe's answer, or the checks' next deadline (50 ms at most, to see `stop`).
    const double wait_s = std::clamp(std::min(checker.next_deadline_s(), timeline.next_s()) - now(), 0.0, 0.05);
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(std::ceil(wait_s * 1000)));
    const double at = now();
    if (at >= 0) checker.service(fds, at);  // checks run from the run's time zero
    timeline.advance(at, [&](const config::FaultSpec& fault, const FaultTimeline::Step& step) {
      const bool was_dark = forwarder.dark();
      forwarder.apply_fault(fault, step.starts);
      if (forwarder.dark() != was_dark) checker.set_paused(forwarder.dark(), at);
    });
    if (const bool has_target = forwarder.has_available_target(); has_target != announced) {
      announced = has_target;
      if (announce) announce(has_target);
    }
    if (ready <= 0 || (fds[0].revents & POLLIN) == 0) continue;
    for (;;) {
      const std::size_t got = socket.receive(std::span(buffers, kBatch), std::span(sizes, kBatch));
      for (std::size_t i = 0; i < got; ++i) {
        const std::span<std::uint8_t> frame(buffers[i], sizes[i]);
        switch (forwarder.handle(frame, at)) {
          case L4Forwarder::Action::send: socket.send(frame.data(), frame.size()); break;
          case L4Forwarder::Action::reset: {
            // The reset reaches the client through the router, like any reply.
            Frame parsed;
            if (parse_frame(frame, parsed) != FrameError::none) break;
            if (const std::size_t n = make_reset(parsed, parsed.header.dst_mac, kRouterMac, std::span(reset)); n > 0) socket.send(reset, n);
            break;
          }
          case L4Forwarder::Action::drop: break;
        }
      }
      if (got < kBatch) break;
    }
  }
  return forwarder.counters();
}

}  // namespace lbsim::testbed
