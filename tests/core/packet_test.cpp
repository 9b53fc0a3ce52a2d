// SPDX-License-Identifier: GPL-3.0-or-later
#include "l4/packet.hpp"

#include <gtest/gtest.h>

namespace lbsim::l4 {
namespace {

constexpr std::uint32_t kClient = 0xC6120007u;   // 198.18.0.7
constexpr std::uint32_t kVip = 0xCB00710Au;      // 203.0.113.10
constexpr std::uint32_t kBackend = 0x0A000115u;  // 10.0.1.21
constexpr std::uint32_t kLbOwn = 0x0A000005u;    // 10.0.0.5, the balancer's own address
constexpr MacAddress kRouterMac{0x02, 0, 0, 0, 0, 0x01};
constexpr MacAddress kLbMac{0x02, 0, 0, 0, 0, 0x0a};
constexpr MacAddress kBackendMac{0x02, 0, 0, 0, 0, 0x15};

// client:49152 -> VIP:443, as it arrives at the balancer from the edge router.
PacketHeader client_request() {
  return {.src_mac = kRouterMac, .dst_mac = kLbMac, .src_ip = kClient, .dst_ip = kVip,
          .protocol = Protocol::tcp, .src_port = 49152, .dst_port = 443};
}

TEST(Packet, DnatRewritesTheDestinationOnly) {
  PacketHeader h = client_request();
  const FieldChanges changes = apply_dnat(h, kBackend, 8080);
  EXPECT_EQ(to_string(changes), "dst_ip, dst_port");
  EXPECT_EQ(changes, (FieldChanges{Field::dst_ip, Field::dst_port}));
  EXPECT_EQ(changes.size(), 2u);
  EXPECT_EQ(h.dst_ip, kBackend);
  EXPECT_EQ(h.dst_port, 8080);
  // The backend still sees the real client.
  EXPECT_EQ(h.src_ip, kClient);
  EXPECT_EQ(h.src_port, 49152);
  EXPECT_EQ(h.src_mac, kRouterMac);
  EXPECT_EQ(h.dst_mac, kLbMac);
  EXPECT_FALSE(changes.touches_layer(2));
  EXPECT_TRUE(changes.touches_layer(3));
  EXPECT_TRUE(changes.touches_layer(4));
}

TEST(Packet, DnatToTheSamePortChangesTheAddressAlone) {
  PacketHeader h = client_request();
  EXPECT_EQ(to_string(apply_dnat(h, kBackend, 443)), "dst_ip");
  EXPECT_TRUE(apply_dnat(h, kBackend, 443).empty());  // applied twice: nothing left to change
}

TEST(Packet, DnatReplyRestoresTheVipAsSource) {
  // backend:8080 -> client:49152, as the backend sends it back through the balancer.
  PacketHeader reply{.src_ip = kBackend, .dst_ip = kClient, .src_port = 8080, .dst_port = 49152};
  const FieldChanges changes = dnat_reply(reply, kVip, 443);
  EXPECT_EQ(to_string(changes), "src_ip, src_port");
  EXPECT_EQ(reply.src_ip, kVip);
  EXPECT_EQ(reply.src_port, 443);
  EXPECT_EQ(reply.dst_ip, kClient);
  EXPECT_EQ(reply.dst_port, 49152);
}

TEST(Packet, SnatRewritesTheSourceOnly) {
  PacketHeader h = client_request();
  const FieldChanges changes = apply_snat(h, kLbOwn, 30001);
  EXPECT_EQ(to_string(changes), "src_ip, src_port");
  EXPECT_EQ(h.src_ip, kLbOwn);
  EXPECT_EQ(h.src_port, 30001);
  EXPECT_EQ(h.dst_ip, kVip);
  EXPECT_EQ(h.dst_port, 443);
}

TEST(Packet, SnatReplyRestoresTheClientAsDestination) {
  // backend -> balancer's SNAT address, as it arrives back at the balancer.
  PacketHeader reply{.src_ip = kBackend, .dst_ip = kLbOwn, .src_port = 8080, .dst_port = 30001};
  const FieldChanges changes = snat_reply(reply, kClient, 49152);
  EXPECT_EQ(to_string(changes), "dst_ip, dst_port");
  EXPECT_EQ(reply.dst_ip, kClient);
  EXPECT_EQ(reply.dst_port, 49152);
  EXPECT_EQ(reply.src_ip, kBackend);
  EXPECT_EQ(reply.src_port, 8080);
}

TEST(Packet, FullNatIsDnatThenSnatAndTheReplyUndoesBoth) {
  PacketHeader h = client_request();
  const FieldChanges there = apply_dnat(h, kBackend, 8080) | apply_snat(h, kLbOwn, 30001);
  EXPECT_EQ(to_string(there), "src_ip, dst_ip, src_port, dst_port");
  EXPECT_EQ(flow_of(h), (FlowKey{kLbOwn, kBackend, 30001, 8080, Protocol::tcp}));  // the backend sees only the balancer

  PacketHeader reply{.src_ip = kBackend, .dst_ip = kLbOwn, .src_port = 8080, .dst_port = 30001};
  const FieldChanges back = snat_reply(reply, kClient, 49152) | dnat_reply(reply, kVip, 443);
  EXPECT_EQ(back.size(), 4u);
  EXPECT_EQ(flow_of(reply), (FlowKey{kVip, kClient, 443, 49152, Protocol::tcp}));  // what the client expects
}

TEST(Packet, DsrRewritesTheMacsAndNoL3OrL4Field) {
  PacketHeader h = client_request();
  const PacketHeader before = h;
  const FieldChanges changes = apply_dsr(h, kLbMac, kBackendMac);
  EXPECT_EQ(to_string(changes), "src_mac, dst_mac");
  EXPECT_EQ(h.src_mac, kLbMac);
  EXPECT_EQ(h.dst_mac, kBackendMac);
  EXPECT_FALSE(changes.touches_layer(3));
  EXPECT_FALSE(changes.touches_layer(4));
  EXPECT_EQ(h.src_ip, before.src_ip);
  EXPECT_EQ(h.dst_ip, kVip);  // still the VIP: the backend owns it on a loopback
  EXPECT_EQ(h.src_port, before.src_port);
  EXPECT_EQ(h.dst_port, before.dst_port);
  EXPECT_EQ(h.protocol, before.protocol);
  EXPECT_EQ(flow_of(h), flow_of(before));
}

TEST(Packet, DsrReplyNeedsNoRewrite) {
  // The backend answers from the VIP straight to the client.
  const PacketHeader reply{.src_mac = kBackendMac, .dst_mac = kRouterMac, .src_ip = kVip, .dst_ip = kClient,
                           .src_port = 443, .dst_port = 49152};
  EXPECT_TRUE(dsr_reply(reply).empty());
  EXPECT_EQ(to_string(dsr_reply(reply)), "none");
}

TEST(Packet, FieldsNameTheirLayer) {
  EXPECT_EQ(to_string(Field::src_mac), "src_mac");
  EXPECT_EQ(to_string(Field::protocol), "protocol");
  EXPECT_EQ(osi_layer(Field::dst_mac), 2);
  EXPECT_EQ(osi_layer(Field::src_ip), 3);
  EXPECT_EQ(osi_layer(Field::protocol), 4);
  EXPECT_EQ(osi_layer(Field::dst_port), 4);
}

TEST(Packet, FlowOfReadsTheFiveTuple) {
  EXPECT_EQ(flow_of(client_request()), (FlowKey{kClient, kVip, 49152, 443, Protocol::tcp}));
}

TEST(Packet, FormatsForTraces) {
  EXPECT_EQ(format_mac({0xaa, 0xbb, 0xcc, 0x01, 0x02, 0xff}), "aa:bb:cc:01:02:ff");
  EXPECT_EQ(to_string(client_request()),
            "L2 02:00:00:00:00:01 > 02:00:00:00:00:0a | L3 198.18.0.7 > 203.0.113.10 | L4 tcp 49152 > 443");
  PacketHeader udp = client_request();
  udp.protocol = Protocol::udp;
  udp.dst_port = 53;
  EXPECT_EQ(to_string(udp), "L2 02:00:00:00:00:01 > 02:00:00:00:00:0a | L3 198.18.0.7 > 203.0.113.10 | L4 udp 49152 > 53");
}

}  // namespace
}  // namespace lbsim::l4
