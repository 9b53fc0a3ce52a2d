// SPDX-License-Identifier: GPL-3.0-or-later
// Frames: parsing real bytes, and rewrites whose incremental checksums must equal the
// checksums computed from scratch (RFC 1071) over the rewritten bytes.
#include <gtest/gtest.h>

#include <vector>

#include "testbed/frame.hpp"

namespace lbsim::testbed {
namespace {

constexpr std::uint32_t ip(int a, int b, int c, int d) {
  return (static_cast<std::uint32_t>(a) << 24) | (static_cast<std::uint32_t>(b) << 16) | (static_cast<std::uint32_t>(c) << 8) |
         static_cast<std::uint32_t>(d);
}

void put16(std::vector<std::uint8_t>& f, std::size_t at, std::uint16_t v) {
  f[at] = static_cast<std::uint8_t>(v >> 8);
  f[at + 1] = static_cast<std::uint8_t>(v);
}
void put32(std::vector<std::uint8_t>& f, std::size_t at, std::uint32_t v) {
  put16(f, at, static_cast<std::uint16_t>(v >> 16));
  put16(f, at + 2, static_cast<std::uint16_t>(v));
}
std::uint16_t get16(const std::vector<std::uint8_t>& f, std::size_t at) { return static_cast<std::uint16_t>((f[at] << 8) | f[at + 1]); }

// A TCP segment with `payload` bytes, checksums filled in from scratch.
std::vector<std::uint8_t> tcp_frame(std::uint32_t src, std::uint32_t dst, std::uint16_t sport, std::uint16_t dport, std::uint8_t flags,
                                    std::size_t payload, bool udp = false) {
  const std::size_t l4 = udp ? 8 : 20;
  std::vector<std::uint8_t> f(14 + 20 + l4 + payload, 0);
  for (int i = 0; i < 6; ++i) {
    f[i] = static_cast<std::uint8_t>(0x02 + i);
    f[6 + i] = static_cast<std::uint8_t>(0x12 + i);
  }
  put16(f, 12, 0x0800);
  f[14] = 0x45;
  put16(f, 16, static_cast<std::uint16_t>(20 + l4 + payload));
  put16(f, 18, 0x1c46);
  put16(f, 20, 0x4000);
  f[22] = 64;
  f[23] = udp ? 17 : 6;
  put32(f, 26, src);
  put32(f, 30, dst);
  put16(f, 34, sport);
  put16(f, 36, dport);
  if (udp) {
    put16(f, 38, static_cast<std::uint16_t>(8 + payload));
  } else {
    put32(f, 38, 0x01020304);
    put32(f, 42, 0x0a0b0c0d);
    f[46] = 5 << 4;
    f[47] = flags;
    put16(f, 48, 65535);
  }
  for (std::size_t i = 0; i < payload; ++i) f[14 + 20 + l4 + i] = static_cast<std::uint8_t>(i * 7 + 3);
  put16(f, 24, internet_checksum(std::span<const std::uint8_t>(f.data() + 14, 20)));
  Frame parsed;
  EXPECT_EQ(parse_frame(f, parsed), FrameError::none);
  put16(f, 14 + 20 + (udp ? 6 : 16), transport_checksum(parsed));
  return f;
}

TEST(Frame, TheIpv4ChecksumMatchesAKnownHeader) {
  // The worked example of the IPv4 header checksum (192.168.0.1 -> 192.168.0.199, UDP):
  // its checksum field holds 0xb861.
  const std::vector<std::uint8_t> header = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                                            0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
  EXPECT_EQ(internet_checksum(header), 0xb861);
}

TEST(Frame, ParsesTheFieldsABalancerReads) {
  auto f = tcp_frame(ip(198, 18, 0, 7), ip(203, 0, 113, 50), 40000, 443, kTcpSyn, 0);
  Frame frame;
  ASSERT_EQ(parse_frame(f, frame), FrameError::none);
  EXPECT_EQ(frame.header.src_ip, ip(198, 18, 0, 7));
  EXPECT_EQ(frame.header.dst_ip, ip(203, 0, 113, 50));
  EXPECT_EQ(frame.header.src_port, 40000);
  EXPECT_EQ(frame.header.dst_port, 443);
  EXPECT_EQ(frame.header.dst_mac, (l4::MacAddress{2, 3, 4, 5, 6, 7}));
  EXPECT_TRUE(frame.has(kTcpSyn));
  EXPECT_FALSE(frame.has(kTcpAck));
  EXPECT_EQ(frame.payload_bytes(), 0u);
}

TEST(Frame, DnatAndItsReplyKeepBothChecksumsRight) {
  for (std::size_t payload : {0, 1, 17, 1400}) {
    auto f = tcp_frame(ip(198, 18, 3, 9), ip(203, 0, 113, 50), 51234, 443, kTcpAck, payload);
    Frame frame;
    ASSERT_EQ(parse_frame(f, frame), FrameError::none);
    l4::PacketHeader h = frame.header;
    l4::forward_frame(h, {2, 0, 10, 1, 4, 1}, {2, 0, 10, 2, 20, 1});
    l4::apply_dnat(h, ip(10, 2, 20, 1), 8443);
    write_header(frame, h);
    Frame again;
    ASSERT_EQ(parse_frame(f, again), FrameError::none);
    EXPECT_EQ(again.header, h);
    EXPECT_EQ(internet_checksum(std::span<const std::uint8_t>(f.data() + 14, 20)), 0) << "IPv4 header sums to 0xffff";
    EXPECT_EQ(get16(f, 50), transport_checksum(again)) << payload;
    // The reply, un-NATed: the source becomes the VIP again.
    l4::PacketHeader reply = again.header;
    std::swap(reply.src_ip, reply.dst_ip);
    std::swap(reply.src_port, reply.dst_port);
    write_header(again, reply);
    l4::dnat_reply(reply, ip(203, 0, 113, 50), 443);
    write_header(again, reply);
    Frame third;
    ASSERT_EQ(parse_frame(f, third), FrameError::none);
    EXPECT_EQ(internet_checksum(std::span<const std::uint8_t>(f.data() + 14, 20)), 0);
    EXPECT_EQ(get16(f, 50), transport_checksum(third));
  }
}

TEST(Frame, DsrChangesOnlyTheMacs) {
  auto f = tcp_frame(ip(198, 18, 0, 1), ip(203, 0, 113, 50), 33000, 443, kTcpAck, 100);
  const auto before = f;
  Frame frame;
  ASSERT_EQ(parse_frame(f, frame), FrameError::none);
  l4::PacketHeader h = frame.header;
  l4::apply_dsr(h, {2, 0, 10, 1, 4, 1}, {2, 0, 10, 1, 20, 2});
  write_header(frame, h);
  EXPECT_TRUE(std::equal(f.begin() + 12, f.end(), before.begin() + 12)) << "nothing above L2 changed";
  EXPECT_NE(std::vector<std::uint8_t>(f.begin(), f.begin() + 12), std::vector<std::uint8_t>(before.begin(), before.begin() + 12));
}

TEST(Frame, UdpWithoutAChecksumKeepsNone) {
  auto f = tcp_frame(ip(198, 18, 0, 1), ip(203, 0, 113, 50), 5353, 53, 0, 12, true);
  put16(f, 14 + 20 + 6, 0);  // no checksum
  Frame frame;
  ASSERT_EQ(parse_frame(f, frame), FrameError::none);
  l4::PacketHeader h = frame.header;
  l4::apply_dnat(h, ip(10, 1, 20, 1), 53);
  write_header(frame, h);
  EXPECT_EQ(get16(f, 14 + 20 + 6), 0);
}

TEST(Frame, RefusesWhatIsNotAWellFormedSegment) {
  Frame frame;
  auto good = tcp_frame(ip(1, 2, 3, 4), ip(5, 6, 7, 8), 1, 2, kTcpSyn, 10);
  for (std::size_t cut = 0; cut < 14 + 20 + 20; ++cut) {
    std::vector<std::uint8_t> shorter(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(cut));
    EXPECT_NE(parse_frame(shorter, frame), FrameError::none) << cut;
  }
  auto arp = good;
  put16(arp, 12, kEtherTypeArp);
  EXPECT_EQ(parse_frame(arp, frame), FrameError::not_ipv4);
  auto fragment = good;
  put16(fragment, 20, 0x2000);  // more fragments
  EXPECT_EQ(parse_frame(fragment, frame), FrameError::fragment);
  auto icmp = good;
  icmp[23] = 1;
  EXPECT_EQ(parse_frame(icmp, frame), FrameError::not_tcp_or_udp);
  auto long_total = good;
  put16(long_total, 16, 2000);
  EXPECT_EQ(parse_frame(long_total, frame), FrameError::bad_ip_header);
  auto bad_offset = good;
  bad_offset[46] = 15 << 4;  // 60-byte TCP header in a 30-byte segment
  EXPECT_EQ(parse_frame(bad_offset, frame), FrameError::bad_tcp_header);
  auto v6 = good;
  v6[14] = 0x65;
  EXPECT_EQ(parse_frame(v6, frame), FrameError::bad_ip_header);
}

}  // namespace
}  // namespace lbsim::testbed
