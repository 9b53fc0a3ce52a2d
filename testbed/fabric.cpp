// SPDX-License-Identifier: GPL-3.0-or-later
#include "testbed/clock.hpp"
#include "testbed/fabric.hpp"

#include <pcap/pcap.h>
#include <poll.h>
#include <sys/prctl.h>
#include <time.h>

#include <algorithm>
#include <cstring>

#include "testbed/packet_socket.hpp"
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
  const double serialise = path.bandwidth_Bps > 0 ? static_cast<double>(frame.size()) / path.bandwidth_Bps : 0.0;
  const double sent = std::max(now_s, uplink_free_s_[from]) + serialise;
  uplink_free_s_[from] = sent;
  decision.verdict = Verdict::deliver;
  decision.arrival_s = sent + path.latency_s;
  decision.serialise_s = serialise;
  return decision;
}

double FabricRouter::through_downlink(std::size_t to, double arrival_s, double serialise_s) {
  downlink_free_s_[to] = std::max(arrival_s, downlink_free_s_[to]) + serialise_s;
  return downlink_free_s_[to];
}

namespace {

// One capture file per node interface (libpcap's savefile: what tcpdump -w writes).
class Captures {
public:
  Captures(const std::string& dir, const TestbedPlan& plan) {
    if (dir.empty()) return;
    dead_ = pcap_open_dead(DLT_EN10MB, 65535);
    for (const auto& node : plan.nodes) {
      pcap_dumper_t* dumper = pcap_dump_open(dead_, (dir + "/" + node.node.name + ".pcap").c_str());
      if (dumper == nullptr) throw std::runtime_error(std::string("cannot write a capture: ") + pcap_geterr(dead_));
      dumpers_.push_back(dumper);
    }
  }
  ~Captures() {
    for (auto* d : dumpers_) pcap_dump_close(d);
    if (dead_ != nullptr) pcap_close(dead_);
  }
  Captures(const Captures&) = delete;
  Captures& operator=(const Captures&) = delete;
  // A frame on `port`'s wire, stamped with the wall clock (a capture's convention).
  void write(std::size_t port, const std::uint8_t* frame, std::size_t bytes) {
    if (dumpers_.empty()) return;
    timespec now{};
    ::clock_gettime(CLOCK_REALTIME, &now);
    pcap_pkthdr header{};
    header.ts.tv_sec = now.tv_sec;
    header.ts.tv_usec = now.tv_nsec / 1000;
    header.caplen = header.len = static_cast<bpf_u_int32>(bytes);
    pcap_dump(reinterpret_cast<u_char*>(dumpers_[port]), &header, frame);
  }

private:
  pcap_t* dead_ = nullptr;
  std::vector<pcap_dumper_t*> dumpers_;
};

}  // namespace

std::vector<PortCounters> run_fabric(FabricRouter& router, volatile const int& stop, const std::string& pcap_dir) {
  Captures captures(pcap_dir, router.plan());
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
    if (!pending.empty()) {
      const double wait = std::max(0.0, pending.top().release - now);
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
