// SPDX-License-Identifier: GPL-3.0-or-later
#include "testbed/clock.hpp"
#include "testbed/fabric.hpp"

#include <poll.h>
#include <sys/prctl.h>
#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "l7/rules.hpp"
#include "testbed/fault_timeline.hpp"
#include "testbed/packet_socket.hpp"
#include "testbed/pcap_file.hpp"
#include "topology/addresses.hpp"

namespace lbsim::testbed {
namespace {

std::uint64_t mac_key(const l4::MacAddress& mac) {
  std::uint64_t key = 0;
  for (std::uint8_t b : mac) key = (key << 8) | b;
  return key;
}



}  // namespace

FabricRouter::FabricRouter(const config::ScenarioSpec& spec, const topology::Topology&, const TestbedPlan& plan)
    : plan_(plan), random_(Random::stream(spec.seed, "fabric")) {
  const std::size_t n = plan.nodes.size();
  hops_.resize(n * n);
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = 0; b < n; ++b) hops_[a * n + b] = topology::Topology::hop_between(spec.topology, plan.nodes[a].node, plan.nodes[b].node);
  uplink_free_s_.assign(n, 0);
  downlink_free_s_.assign(n, 0);
  dark_.assign(n, false);
  for (std::size_t p = 0; p < n; ++p) port_of_mac_[mac_key(plan.nodes[p].mac)] = p;
  // The links the simulator's platform names: a zone's internet edge, and each pair of
  // zones' link (named with its zones in topology order).
  zones_ = spec.topology.zones;
  const auto& zones = zones_;
  const auto link_index = [&](const std::string& name) {
    const auto found = std::find(link_names_.begin(), link_names_.end(), name);
    if (found != link_names_.end()) return static_cast<std::int16_t>(found - link_names_.begin());
    link_names_.push_back(name);
    return static_cast<std::int16_t>(link_names_.size() - 1);
  };
  named_link_.assign(n * n, -1);
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = 0; b < n; ++b) {
      const auto& x = plan.nodes[a].node;
      const auto& y = plan.nodes[b].node;
      const bool x_client = x.kind == topology::NodeKind::client, y_client = y.kind == topology::NodeKind::client;
      if (x_client != y_client) named_link_[a * n + b] = link_index("edge-" + (x_client ? y : x).zone);
      else if (!x_client && x.zone_index != y.zone_index)
        named_link_[a * n + b] = link_index("inter-" + zones.at(std::min(x.zone_index, y.zone_index)) + "-" + zones.at(std::max(x.zone_index, y.zone_index)));
    }
  degraded_.resize(link_names_.size());
}

void FabricRouter::apply_fault(const config::FaultSpec& fault, bool starts) {
  using Kind = config::FaultKind;
  const std::size_t n = plan_.nodes.size();
  switch (fault.kind) {
    case Kind::zone_outage:
    case Kind::node_loss:
      for (std::size_t p = 0; p < n; ++p)
        if (goes_dark(fault, plan_.nodes[p].node)) dark_[p] = starts;
      break;
    case Kind::partition: {
      const auto& zones = zones_;
      const auto index = [&](const std::string& zone) {
        return static_cast<std::uint32_t>(std::find(zones.begin(), zones.end(), zone) - zones.begin());
      };
      set_partition(index(fault.zones.at(0)), index(fault.zones.at(1)), starts);
      break;
    }
    case Kind::link_degradation:
      for (std::size_t l = 0; l < link_names_.size(); ++l)
        if (link_names_[l] == fault.link)
          degraded_[l] = starts ? Degradation{fault.extra_latency_s, fault.loss, fault.bandwidth_Bps.value_or(0.0)} : Degradation{};
      break;
    default: break;  // the supervisor's, a backend's or a client's
  }
}

void FabricRouter::set_partition(std::uint32_t zone_a, std::uint32_t zone_b, bool cut) {
  const std::pair<std::uint32_t, std::uint32_t> pair = std::minmax(zone_a, zone_b);
  const auto found = std::find(partitions_.begin(), partitions_.end(), pair);
  if (cut && found == partitions_.end()) partitions_.push_back(pair);
  if (!cut && found != partitions_.end()) partitions_.erase(found);
}

std::size_t FabricRouter::destination_of(std::size_t from, std::span<std::uint8_t> bytes, bool& routed) {
  routed = false;
  EthernetView ethernet;
  if (!read_ethernet(bytes, ethernet)) return ports();
  if (ethernet.dst != kRouterMac) {
    // Switched: to the port that owns the MAC. An L4 node forwarding a client's flow to a
    // target teaches the router where that flow's replies go.
    const auto found = port_of_mac_.find(mac_key(ethernet.dst));
    if (found == port_of_mac_.end()) return ports();  // broadcast, multicast, unknown: nothing needs them (static neighbours)
    if (plan_.nodes[from].node.kind == topology::NodeKind::l4) {
      // Only a DNAT'ed packet (addressed to the target itself) makes a flow whose replies
      // must come back; under DSR the target answers from the VIP, straight to the client.
      Frame frame;
      if (parse_frame(bytes, frame) == FrameError::none && in_client_range(frame.header.src_ip) &&
          frame.header.dst_ip == plan_.nodes[found->second].address) {
        if (dnat_flows_.size() >= kMaxLearnedFlows) dnat_flows_.clear();
        dnat_flows_[l4::FlowKey{frame.header.src_ip, frame.header.dst_ip, frame.header.src_port, frame.header.dst_port, frame.header.protocol}] =
            from;
      }
    }
    return found->second;
  }
  // Routed by the VPC router: by destination address, a DNAT'ed flow's reply back to its L4 node.
  Frame frame;
  if (parse_frame(bytes, frame) != FrameError::none) return ports();
  routed = true;
  std::size_t to = ports();
  if (in_client_range(frame.header.dst_ip)) {
    const l4::FlowKey forward{frame.header.dst_ip, frame.header.src_ip, frame.header.dst_port, frame.header.src_port, frame.header.protocol};
    if (const auto learned = dnat_flows_.find(forward); learned != dnat_flows_.end()) to = learned->second;
  }
  if (to == ports()) {
    const PlannedNode* owner = plan_.owner_of(frame.header.dst_ip);
    if (owner == nullptr) return ports();
    to = static_cast<std::size_t>(owner - plan_.nodes.data());
  }
  l4::PacketHeader rewritten = frame.header;
  rewritten.src_mac = kRouterMac;
  rewritten.dst_mac = plan_.nodes[to].mac;
  write_header(frame, rewritten);
  return to;
}

FabricRouter::Decision FabricRouter::route(std::size_t from, std::span<std::uint8_t> frame, double now_s) {
  Decision decision;
  bool routed = false;
  const std::size_t to = destination_of(from, frame, routed);
  if (to >= ports() || to == from) return decision;
  decision.to = to;
  const auto& a = plan_.nodes[from].node;
  const auto& b = plan_.nodes[to].node;
  if (dark_[from] || dark_[to]) {
    decision.verdict = Verdict::dark;
    return decision;
  }
  if (!a.zone.empty() && !b.zone.empty() && a.zone_index != b.zone_index &&
      std::find(partitions_.begin(), partitions_.end(), std::pair<std::uint32_t, std::uint32_t>(std::minmax(a.zone_index, b.zone_index))) != partitions_.end()) {
    decision.verdict = Verdict::dark;
    return decision;
  }
  // Store and forward: out of the sender's port at the path's bandwidth, across the
  // path's latency, then into the receiver's port at the same bandwidth, behind whatever
  // reached that port first (through_downlink, in arrival order: a frame on a short path
  // must not queue behind one still crossing a long path).
  const topology::Hop& path = hop(from, to);
  double bandwidth = path.bandwidth_Bps, latency = path.latency_s;
  if (const std::int16_t link = named_link_[from * ports() + to]; link >= 0) {
    const Degradation& d = degraded_[static_cast<std::size_t>(link)];
    if (d.loss > 0 && random_.uniform01() < d.loss) {
      decision.verdict = Verdict::lost;
      return decision;
    }
    latency += d.extra_latency_s;
    if (d.bandwidth_Bps > 0) bandwidth = bandwidth > 0 ? std::min(bandwidth, d.bandwidth_Bps) : d.bandwidth_Bps;
  }
  const double serialise = bandwidth > 0 ? static_cast<double>(frame.size()) / bandwidth : 0.0;
  const double sent = std::max(now_s, uplink_free_s_[from]) + serialise;
  uplink_free_s_[from] = sent;
  decision.verdict = Verdict::deliver;
  decision.arrival_s = sent + latency;
  decision.serialise_s = serialise;
  return decision;
}

double FabricRouter::through_downlink(std::size_t to, double arrival_s, double serialise_s) {
  downlink_free_s_[to] = std::max(arrival_s, downlink_free_s_[to]) + serialise_s;
  return downlink_free_s_[to];
}

namespace {

// One capture file per node interface.
class Captures {
public:
  Captures(const std::string& dir, const TestbedPlan& plan) {
    if (dir.empty()) return;
    for (const auto& node : plan.nodes) files_.emplace_back(dir + "/" + node.node.name + ".pcap");
  }
  // A frame on `port`'s wire, stamped with the wall clock (a capture's convention).
  void write(std::size_t port, const std::uint8_t* frame, std::size_t bytes) {
    if (!files_.empty()) files_[port].write_now(frame, bytes);
  }

private:
  std::vector<PcapFile> files_;
};

}  // namespace

std::vector<PortCounters> run_fabric(FabricRouter& router, const config::ScenarioSpec& spec, double start_monotonic_s, volatile const int& stop,
                                     const std::string& pcap_dir) {
  Captures captures(pcap_dir, router.plan());
  FaultTimeline faults(spec.faults);
  ::prctl(PR_SET_TIMERSLACK, 1UL);  // wake for a frame's release within microseconds, not 50
  const std::size_t n = router.ports();
  std::vector<PacketSocket> sockets;
  for (std::size_t p = 0; p < n; ++p) sockets.emplace_back("p" + std::to_string(p));
  std::vector<pollfd> polls(n);
  for (std::size_t p = 0; p < n; ++p) polls[p] = {sockets[p].fd(), POLLIN, 0};
  std::vector<PortCounters> counters(n);

  // Frames in flight live in fixed slots: no allocation per frame.
  constexpr std::size_t kSlots = 16384, kBatch = 32;
  std::vector<std::uint8_t> memory(kSlots * PacketSocket::kFrameBytes);
  std::vector<std::uint32_t> free_slots(kSlots);
  for (std::size_t i = 0; i < kSlots; ++i) free_slots[i] = static_cast<std::uint32_t>(kSlots - 1 - i);
  struct Pending {
    double release;       // when it reaches the receiver's port, then when it has come through it
    std::uint64_t order;  // arrival order breaks ties: frames of one path stay in order
    std::uint32_t slot, bytes;
    std::size_t to;
    double serialise;     // the receiving port's share, still to pay; -1 once paid
    bool operator>(const Pending& o) const { return release != o.release ? release > o.release : order > o.order; }
  };
  std::priority_queue<Pending, std::vector<Pending>, std::greater<>> pending;
  std::uint64_t order = 0;
  std::uint8_t* buffers[kBatch];
  std::uint32_t sizes[kBatch];
  std::uint32_t slots[kBatch];

  while (stop == 0) {
    double now = monotonic_seconds();
    if (now - start_monotonic_s >= faults.next_s())
      faults.advance(now - start_monotonic_s, [&](const config::FaultSpec& fault, const FaultTimeline::Step& step) { router.apply_fault(fault, step.starts); });
    while (!pending.empty() && pending.top().release <= now) {
      Pending p = pending.top();
      pending.pop();
      if (p.serialise >= 0) {
        // It reached the receiver's port: through it, in the order frames reach it.
        const double through = router.through_downlink(p.to, p.release, p.serialise);
        p.serialise = -1;
        if (through > now) {
          p.release = through;
          pending.push(p);
          continue;
        }
      }
      const std::uint8_t* frame = memory.data() + std::size_t{p.slot} * PacketSocket::kFrameBytes;
      captures.write(p.to, frame, p.bytes);
      if (sockets[p.to].send(frame, p.bytes)) {
        ++counters[p.to].rx_frames;
        counters[p.to].rx_bytes += p.bytes;
      }
      free_slots.push_back(p.slot);
    }
    // Sleep until a frame arrives or the next one is due.
    timespec timeout{0, 50'000'000};
    if (!pending.empty() || std::isfinite(faults.next_s())) {
      const double due = std::min(pending.empty() ? faults.next_s() + start_monotonic_s : pending.top().release, faults.next_s() + start_monotonic_s);
      const double wait = std::clamp(due - now, 0.0, 0.05);
      timeout = {static_cast<time_t>(wait), static_cast<long>((wait - static_cast<double>(static_cast<time_t>(wait))) * 1e9)};
    }
    const int ready = ::ppoll(polls.data(), polls.size(), &timeout, nullptr);
    if (ready <= 0) continue;
    now = monotonic_seconds();
    for (std::size_t p = 0; p < n; ++p) {
      if ((polls[p].revents & POLLIN) == 0) continue;
      for (;;) {
        std::size_t want = std::min(kBatch, free_slots.size());
        if (want == 0) break;  // every slot in flight: the port's socket buffer holds the rest
        for (std::size_t i = 0; i < want; ++i) {
          slots[i] = free_slots[free_slots.size() - 1 - i];
          buffers[i] = memory.data() + std::size_t{slots[i]} * PacketSocket::kFrameBytes;
        }
        const std::size_t got = sockets[p].receive(std::span(buffers, want), std::span(sizes, want));
        free_slots.resize(free_slots.size() - got);  // slots[0..got) were its last ones
        for (std::size_t i = 0; i < got; ++i) {
          captures.write(p, buffers[i], sizes[i]);  // as the node sent it, before any routing rewrite
          ++counters[p].tx_frames;
          counters[p].tx_bytes += sizes[i];
          const auto decision = router.route(p, std::span(buffers[i], sizes[i]), now);
          if (decision.verdict != FabricRouter::Verdict::deliver) {
            free_slots.push_back(slots[i]);
            continue;
          }
          pending.push({decision.arrival_s, order++, slots[i], sizes[i], decision.to, decision.serialise_s});
        }
        if (got < want) break;
      }
    }
  }
  return counters;
}

}  // namespace lbsim::testbed
