// SPDX-License-Identifier: GPL-3.0-or-later
// The testbed's L4 forwarder on real sockets (needs root). Two namespaces this program
// creates and that die with it: one where run_l4_forwarder runs on its own thread, as in
// a testbed run, and one that offers it frames through a veth and takes back what it
// forwards. Prints
//  - the frames per second it forwards (established flows, DNAT) as the offered load
//    rises, and how many it lost;
//  - the round trip through it at 10 000 frames/s (median, p99), beside the round trip
//    through a reflector — the same AF_PACKET socket and poll loop sending every frame
//    straight back, with no decision — so the difference is what the forwarder's own
//    work adds to a hop.
// Issue 14's targets: >= 100 000 frames/s on one core, <= 20 us added at the median.
// It prints figures and asserts nothing (shared machines are noisy). Every frame stays on
// the veth between the two namespaces.
#include <fmt/format.h>
#include <poll.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <iostream>
#include <thread>
#include <vector>

#include "config/loader.hpp"
#include "testbed/clock.hpp"
#include "testbed/frame.hpp"
#include "testbed/l4_forwarder.hpp"
#include "testbed/netns.hpp"
#include "testbed/packet_socket.hpp"
#include "testbed/plan.hpp"
#include "testbed/trace_pcap.hpp"

namespace {

using namespace lbsim;
using namespace lbsim::testbed;

constexpr int kFlows = 4096;
constexpr std::uint32_t kClientBase = (198u << 24) | (18u << 16) | 1u;

config::ScenarioSpec scenario() {
  // Health checks far apart: nothing answers them here, and a target must not be taken
  // out while the benchmark runs.
  return config::load_scenario(R"(
name: wire-bench
topology: { zones: [a] }
clients: [{ name: web, arrival: { kind: poisson, rate: 10/s }, tls: none, mix: [{ weight: 1, path: / }] }]
l4: { forwarding: dnat, algorithm: flow_hash, target_group: app }
target_groups: { app: { per_zone: 16, health_check: { interval: 300s, timeout: 10s } } }
)",
                               "wire-bench.yaml");
}

std::string mac_text(const l4::MacAddress& mac) {
  return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

// A client's TCP segment for flow `flow` to the VIP, its sequence number `sequence`
// (which DNAT leaves alone: it identifies the frame when it comes back).
std::vector<std::uint8_t> segment(const PlannedNode& l4, int flow, std::uint8_t flags, std::uint32_t sequence) {
  const l4::MacAddress client_mac = {0x02, 0x00, 0xc6, 0x12, 0x00, 0x01};
  return build_frame(
      {client_mac, l4.mac, kClientBase + static_cast<std::uint32_t>(flow), l4.vip, l4::Protocol::tcp, static_cast<std::uint16_t>(10000 + flow), 443},
      flags, sequence);
}

std::uint32_t sequence_of(const std::uint8_t* frame) { return load32(frame + 38); }
bool from_a_client(const std::uint8_t* frame, std::uint32_t bytes) {
  return bytes >= 54 && frame[12] == 0x08 && frame[13] == 0x00 && frame[26] == 198 && frame[27] == 18;
}

// Offers `rate` frames/s (0: as fast as it can) for `seconds`, frames of established
// flows round robin; counts what comes back and each frame's round trip.
struct Offer {
  double offered_per_s = 0, returned_per_s = 0;
  std::uint64_t sent = 0, returned = 0;
  std::uint64_t to_a_target = 0;  // returned with a target's address (10.x): DNAT rewrote them
  std::vector<double> round_trips_us;
};

Offer offer(PacketSocket& socket, const PlannedNode& l4, double rate, double seconds, bool keep_round_trips) {
  Offer result;
  std::vector<std::vector<std::uint8_t>> frames;
  for (int f = 0; f < kFlows; ++f) frames.push_back(segment(l4, f, kTcpAck, 0));
  std::vector<double> sent_at;
  constexpr std::size_t kBatch = 64;
  std::vector<std::uint8_t> memory(kBatch * PacketSocket::kFrameBytes);
  std::vector<std::uint8_t*> buffers(kBatch);
  std::vector<std::uint32_t> sizes(kBatch);
  for (std::size_t i = 0; i < kBatch; ++i) buffers[i] = memory.data() + i * PacketSocket::kFrameBytes;
  const auto drain = [&] {
    for (;;) {
      const std::size_t got = socket.receive(buffers, sizes);
      const double now = monotonic_seconds();
      for (std::size_t i = 0; i < got; ++i) {
        if (!from_a_client(buffers[i], sizes[i])) continue;
        ++result.returned;
        if (buffers[i][30] == 10) ++result.to_a_target;
        const std::uint32_t seq = sequence_of(buffers[i]);
        if (keep_round_trips && seq < sent_at.size()) result.round_trips_us.push_back((now - sent_at[seq]) * 1e6);
      }
      if (got < kBatch) return;
    }
  };
  const double start = monotonic_seconds();
  double next = start;
  while (monotonic_seconds() - start < seconds) {
    const double now = monotonic_seconds();
    if (rate > 0 && now < next) {
      drain();
      continue;
    }
    auto& frame = frames[result.sent % kFlows];
    store32(frame.data() + 38, static_cast<std::uint32_t>(result.sent));
    if (keep_round_trips) sent_at.push_back(monotonic_seconds());
    // The sequence number is outside what the forwarder checks; the TCP checksum goes
    // stale, which no kernel sees here (the frames end at this program's socket).
    socket.send(frame.data(), frame.size());
    ++result.sent;
    next += rate > 0 ? 1.0 / rate : 0.0;
    if (result.sent % 32 == 0) drain();
  }
  const double until = monotonic_seconds() + 0.2;  // the last ones in flight
  while (monotonic_seconds() < until) drain();
  result.offered_per_s = static_cast<double>(result.sent) / seconds;
  result.returned_per_s = static_cast<double>(result.returned) / seconds;
  return result;
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  const auto k = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

// The reflector: receive a batch, send each frame back unchanged.
void reflect(volatile const int& stop) {
  PacketSocket socket("eth0");
  constexpr std::size_t kBatch = 32;
  std::vector<std::uint8_t> memory(kBatch * PacketSocket::kFrameBytes);
  std::vector<std::uint8_t*> buffers(kBatch);
  std::vector<std::uint32_t> sizes(kBatch);
  for (std::size_t i = 0; i < kBatch; ++i) buffers[i] = memory.data() + i * PacketSocket::kFrameBytes;
  while (stop == 0) {
    pollfd fd{socket.fd(), POLLIN, 0};
    if (::poll(&fd, 1, 50) <= 0) continue;
    const std::size_t got = socket.receive(buffers, sizes);
    for (std::size_t i = 0; i < got; ++i) socket.send(buffers[i], sizes[i]);
  }
}

}  // namespace

int main() {
  if (const auto missing = missing_capability()) {
    std::cerr << "forwarder_wire_bench: " << *missing << "\n";
    return 2;
  }
  const auto spec = scenario();
  const topology::Topology topology(spec);
  const TestbedPlan plan = plan_testbed(spec, topology);
  const PlannedNode& l4 = plan.nodes[plan.l4_nodes[0]];

  const auto wire = [&](const NetworkNamespace& inside, const NetworkNamespace& outside) {
    outside.run({"ip", "-batch", "-"}, "link set lo up\nlink add p0 type veth peer name eth0 netns " + inside.path() + "\nlink set p0 up\n");
    inside.run({"ip", "-batch", "-"}, "link set lo up\nlink set eth0 address " + mac_text(l4.mac) + "\nlink set eth0 up\naddr add " +
                                          format_address(l4.address) + "/32 dev eth0\n");
  };
  const auto prepare = [](const NetworkNamespace& ns, const std::string& interface) {
    std::thread([&] {
      ns.enter_this_thread();
      write_sysctl("net/ipv6/conf/all/disable_ipv6", "1");
      disable_offloads(interface);
    }).join();
  };

  // Round trips at 10 000 frames/s, and the forwarded rate as the offered load rises.
  std::vector<Offer> reflector_runs, forwarder_runs;
  for (const bool forwarding : {false, true}) {
    NetworkNamespace inside = NetworkNamespace::create(), outside = NetworkNamespace::create();
    wire(inside, outside);
    prepare(inside, "eth0");
    prepare(outside, "p0");
    volatile int stop = 0;
    std::unique_ptr<L4Forwarder> forwarder;
    if (forwarding) forwarder = std::make_unique<L4Forwarder>(spec, topology, plan, l4);
    std::thread hop([&] {
      inside.enter_this_thread();
      if (forwarding) run_l4_forwarder(*forwarder, {}, monotonic_seconds(), stop, {});
      else reflect(stop);
    });
    std::vector<Offer> runs;
    std::thread([&] {
      outside.enter_this_thread();
      PacketSocket socket("p0");
      std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the hop is listening
      // Open every flow: a SYN each, so what follows is established traffic.
      for (int f = 0; f < kFlows; ++f) {
        const auto syn = segment(l4, f, kTcpSyn, 0);
        socket.send(syn.data(), syn.size());
        if (f % 64 == 63) std::this_thread::sleep_for(std::chrono::microseconds(500));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      offer(socket, l4, 0, 0.2, false);  // drain the SYNs' copies
      runs.push_back(offer(socket, l4, 10'000, 3.0, true));
      if (forwarding)
        for (const double rate : {50'000.0, 100'000.0, 200'000.0, 0.0}) runs.push_back(offer(socket, l4, rate, 2.0, false));
    }).join();
    stop = 1;
    hop.join();
    (forwarding ? forwarder_runs : reflector_runs) = std::move(runs);
  }

  const auto& bare = reflector_runs.at(0).round_trips_us;
  const auto& through = forwarder_runs.at(0).round_trips_us;
  std::cout << fmt::format("round trip at 10 000 frames/s ({} and {} samples):\n", bare.size(), through.size());
  std::cout << fmt::format("  reflector (AF_PACKET hop, no decision)  median {:7.1f} us   p99 {:7.1f} us\n", percentile(bare, 0.5),
                           percentile(bare, 0.99));
  std::cout << fmt::format("  L4 forwarder (DNAT, flow hash)          median {:7.1f} us   p99 {:7.1f} us\n", percentile(through, 0.5),
                           percentile(through, 0.99));
  std::cout << fmt::format("  added by the forwarder's work           median {:7.1f} us\n", percentile(through, 0.5) - percentile(bare, 0.5));
  std::cout << "forwarded frames/s (established flows, " << kFlows << " of them; the last line offers as fast as one sending thread can):\n";
  for (std::size_t i = 1; i < forwarder_runs.size(); ++i) {
    const Offer& o = forwarder_runs[i];
    std::cout << fmt::format("  offered {:9.0f}/s  forwarded {:9.0f}/s  lost {:5.2f} %  rewritten to a target {:6.2f} %\n", o.offered_per_s,
                             o.returned_per_s,
                             o.sent > 0 ? 100.0 * static_cast<double>(o.sent - std::min(o.sent, o.returned)) / static_cast<double>(o.sent) : 0.0,
                             o.returned > 0 ? 100.0 * static_cast<double>(o.to_a_target) / static_cast<double>(o.returned) : 0.0);
  }
  return 0;
}
