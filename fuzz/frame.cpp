// SPDX-License-Identifier: GPL-3.0-or-later
// Any bytes as a frame off the wire: parse_frame never reads past the end, and on every
// frame it accepts, the forwarder's rewrites keep both checksums equal to the ones
// computed from scratch (the incremental update agrees with RFC 1071).
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "testbed/frame.hpp"

using namespace lbsim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 12) return 0;
  // The first 12 bytes choose the rewrite; the rest is the frame.
  const std::uint32_t new_ip = (std::uint32_t{data[0]} << 24) | (std::uint32_t{data[1]} << 16) | (std::uint32_t{data[2]} << 8) | data[3];
  const std::uint16_t new_port = static_cast<std::uint16_t>((data[4] << 8) | data[5]);
  const l4::MacAddress mac{data[6], data[7], data[8], data[9], data[10], data[11]};
  std::vector<std::uint8_t> bytes(data + 12, data + size);
  testbed::Frame frame;
  if (testbed::parse_frame(bytes, frame) != testbed::FrameError::none) return 0;
  // Only frames whose checksums were right to begin with must stay right.
  const std::span<const std::uint8_t> ip_header(bytes.data() + frame.ip_offset, frame.transport_offset - frame.ip_offset);
  const std::size_t sum_at = frame.transport_offset + (frame.is_tcp() ? 16 : 6);
  const std::uint16_t stored = static_cast<std::uint16_t>((bytes[sum_at] << 8) | bytes[sum_at + 1]);
  const bool ip_ok = testbed::internet_checksum(ip_header) == 0;
  const bool transport_ok = stored == testbed::transport_checksum(frame) && stored != 0;
  l4::PacketHeader h = frame.header;
  l4::forward_frame(h, mac, h.src_mac);
  l4::apply_dnat(h, new_ip, new_port);
  testbed::write_header(frame, h);
  testbed::Frame again;
  if (testbed::parse_frame(bytes, again) != testbed::FrameError::none) std::abort();
  if (!(again.header == h)) std::abort();
  if (ip_ok && testbed::internet_checksum(std::span<const std::uint8_t>(bytes.data() + again.ip_offset, again.transport_offset - again.ip_offset)) != 0)
    std::abort();
  const std::uint16_t after = static_cast<std::uint16_t>((bytes[sum_at] << 8) | bytes[sum_at + 1]);
  // A TCP checksum is one's complement: 0x0000 and 0xffff are the same sum.
  if (transport_ok && frame.is_tcp() && after != testbed::transport_checksum(again) &&
      !((after == 0xffff || after == 0) && (testbed::transport_checksum(again) == 0 || testbed::transport_checksum(again) == 0xffff)))
    std::abort();
  return 0;
}
