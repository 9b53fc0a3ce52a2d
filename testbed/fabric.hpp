// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The fabric: the emulated network between the testbed's nodes. Every node's one
// interface is a veth whose other end is a port of this switch, a single process that
// moves frames between ports itself (AF_PACKET), because this kernel has no netem: it
// holds each frame for the one-way latency of the scenario's path between the two nodes
// (topology::Topology::hop_between, the simulator's own formula), serialises it at that
// path's bandwidth on the sender's and the receiver's port, and drops it with the path's
// loss probability.
//
// It is two things, as a cloud network is:
//   - a switch: a frame addressed to a node's MAC goes to that node's port (an L4 node
//     forwarding to a backend's MAC, DSR's whole trick);
//   - the VPC router (kRouterMac, every node's gateway): a routed frame goes to the node
//     owning its destination address, with the router's MAC as source. Like AWS's VPC it
//     sends a DNAT'ed flow's reply back through the L4 node that forwarded the flow (it
//     learns the flow when the L4 node forwards its packets), so the backend's reply is
//     un-NATed by the node that NATed it, whichever zone it is in.
#include <cstdint>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/spec.hpp"
#include "l4/flow.hpp"
#include "testbed/frame.hpp"
#include "testbed/plan.hpp"
#include "topology/topology.hpp"
#include "util/random.hpp"

namespace lbsim::testbed {

// What the fabric does with one frame, decided from its bytes and the clock alone.
class FabricRouter {
public:
  FabricRouter(const config::ScenarioSpec& spec, const topology::Topology& topology, const TestbedPlan& plan);

  enum class Verdict : std::uint8_t { deliver, no_route, dark, lost };
  struct Decision {
    Verdict verdict = Verdict::no_route;
    std::size_t to = 0;          // port (= index into plan.nodes)
    double arrival_s = 0;        // when its first bit reaches the receiver's port
    double serialise_s = 0;      // how long it takes to come through that port
  };
  // `frame` arrived on port `from` at `now_s`; it may be rewritten (a routed frame's MACs).
  Decision route(std::size_t from, std::span<std::uint8_t> frame, double now_s);
  // A frame reaching port `to` at `arrival_s` (frames must be passed in arrival order):
  // when it has come through, behind the frames that reached the port before it.
  double through_downlink(std::size_t to, double arrival_s, double serialise_s);

  // Faults: a dark node's frames vanish both ways (zone outage, node loss); a cut pair of
  // zones cannot reach each other (partition); a degraded link (a zone's internet edge,
  // or the link between two zones) adds latency, loses frames, narrows its bandwidth.
  void set_dark(std::size_t port, bool dark) { dark_.at(port) = dark; }
  void set_partition(std::uint32_t zone_a, std::uint32_t zone_b, bool cut);
  // Applies the fabric's share of a fault of the scenario's timeline (others: nothing).
  void apply_fault(const config::FaultSpec& fault, bool starts);

  std::size_t ports() const { return plan_.nodes.size(); }
  const TestbedPlan& plan() const { return plan_; }

private:
  std::size_t destination_of(std::size_t from, std::span<std::uint8_t> frame, bool& routed);
  const topology::Hop& hop(std::size_t from, std::size_t to) const { return hops_[from * plan_.nodes.size() + to]; }

  const TestbedPlan& plan_;
  std::vector<topology::Hop> hops_;          // [from][to]
  std::vector<double> uplink_free_s_;        // each port's sending side: busy until
  std::vector<double> downlink_free_s_;      // each port's receiving side
  std::vector<bool> dark_;
  // The named link each pair of ports crosses (index into link_names_, or -1: none a
  // fault can name), and each named link's degradation while one is in force.
  struct Degradation {
    double extra_latency_s = 0;
    double loss = 0;
    double bandwidth_Bps = 0;  // 0: as built
  };
  std::vector<std::string> zones_;
  std::vector<std::int16_t> named_link_;
  std::vector<std::string> link_names_;
  std::vector<Degradation> degraded_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> partitions_;
  std::unordered_map<std::uint64_t, std::size_t> port_of_mac_;
  // DNAT'ed flows seen leaving an L4 node: (client ip, client port, target ip, target
  // port) -> that node's port. Bounded: cleared when full (flows relearn on their next
  // forwarded packet).
  std::unordered_map<l4::FlowKey, std::size_t, l4::FlowKeyHash> dnat_flows_;
  static constexpr std::size_t kMaxLearnedFlows = 1 << 20;
  Random random_;
};

struct PortCounters {
  std::uint64_t rx_frames = 0, tx_frames = 0;  // as the node sees it: rx = delivered to it
  std::uint64_t rx_bytes = 0, tx_bytes = 0;
};

// Runs the fabric on interfaces p0..pN-1 of the calling process's namespace until
// `stop` is set (by a signal handler); returns each port's counters. With `pcap_dir`, it
// writes one capture per node interface, <node>.pcap, with every frame the node sent and
// received, as Wireshark would see them on the node's eth0 (libpcap's file format).
// The scenario's faults are applied at their times on the run's clock (time zero at
// `start_monotonic_s`).
std::vector<PortCounters> run_fabric(FabricRouter& router, const config::ScenarioSpec& spec, double start_monotonic_s, volatile const int& stop,
                                     const std::string& pcap_dir = "");

}  // namespace lbsim::testbed
