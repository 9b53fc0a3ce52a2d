// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Raw frames on one interface (AF_PACKET), read and written in batches (recvmmsg /
// sendmmsg): the testbed's switch and L4 forwarder take frames off a veth and put
// rewritten ones back, below the namespace's own IP stack.
#include <sys/socket.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace lbsim::testbed {

// Turns off checksum offload and segmentation offloads on an interface of the calling
// thread's namespace. A veth otherwise hands frames to AF_PACKET with their TCP checksum
// not yet computed, or as one 64 KiB segment: a forwarder must see what a wire carries.
void disable_offloads(const std::string& interface);
// Writes a sysctl of the calling thread's network namespace ("net/ipv6/conf/all/disable_ipv6").
void write_sysctl(const std::string& key, const std::string& value);

class PacketSocket {
public:
  static constexpr std::size_t kFrameBytes = 2048;  // an MTU-1500 frame, with room to spare

  // Bound to `interface`, non-blocking, seeing only frames arriving on it (not its own).
  explicit PacketSocket(const std::string& interface);
  PacketSocket(PacketSocket&& other) noexcept : fd_(other.fd_), ifindex_(other.ifindex_) { other.fd_ = -1; }
  PacketSocket(const PacketSocket&) = delete;
  PacketSocket& operator=(const PacketSocket&) = delete;
  ~PacketSocket();

  int fd() const { return fd_; }
  // Reads up to buffers.size() frames without blocking; sizes[i] gets frame i's length.
  // Returns how many were read (0 when none waits).
  std::size_t receive(std::span<std::uint8_t*> buffers, std::span<std::uint32_t> sizes);
  // Sends one frame; false if the kernel refused it (counted by the caller as a drop).
  bool send(const std::uint8_t* frame, std::size_t bytes);

private:
  int fd_ = -1;
  int ifindex_ = 0;
  std::vector<mmsghdr> messages_;
  std::vector<iovec> vectors_;
};

}  // namespace lbsim::testbed
