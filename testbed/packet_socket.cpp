// SPDX-License-Identifier: GPL-3.0-or-later
#include "testbed/packet_socket.hpp"

#include <arpa/inet.h>
#include <linux/ethtool.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace lbsim::testbed {
namespace {

std::runtime_error failure(const std::string& what) { return std::runtime_error(what + ": " + std::strerror(errno)); }

}  // namespace

void disable_offloads(const std::string& interface) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw failure("socket");
  // Segmentation first: the kernel refuses to keep TSO on once checksumming is off anyway.
  for (const std::uint32_t command : {ETHTOOL_STSO, ETHTOOL_SGSO, ETHTOOL_SGRO, ETHTOOL_STXCSUM, ETHTOOL_SRXCSUM}) {
    ethtool_value value{command, 0};
    ifreq request{};
    std::strncpy(request.ifr_name, interface.c_str(), IFNAMSIZ - 1);
    request.ifr_data = reinterpret_cast<char*>(&value);
    // A feature the device cannot change (EOPNOTSUPP) is one it does not have.
    if (::ioctl(fd, SIOCETHTOOL, &request) != 0 && errno != EOPNOTSUPP) {
      const auto error = failure("turning off offloads on " + interface);
      ::close(fd);
      throw error;
    }
  }
  ::close(fd);
}

void write_sysctl(const std::string& key, const std::string& value) {
  std::ofstream out("/proc/sys/" + key);
  out << value;
  out.flush();
  if (!out) throw std::runtime_error("cannot write sysctl " + key);
}

PacketSocket::PacketSocket(const std::string& interface) {
  ifindex_ = static_cast<int>(::if_nametoindex(interface.c_str()));
  if (ifindex_ == 0) throw failure("no interface " + interface);
  fd_ = ::socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
  if (fd_ < 0) throw failure("AF_PACKET socket");
  const int one = 1;
  // Frames this socket (or anyone on this host) sends out are not read back as arrivals.
  ::setsockopt(fd_, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
  const int buffer = 4 << 20;
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
  sockaddr_ll address{};
  address.sll_family = AF_PACKET;
  address.sll_protocol = htons(ETH_P_ALL);
  address.sll_ifindex = ifindex_;
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) throw failure("bind to " + interface);
  // Every frame on the wire, whatever its destination MAC (a switch port, a forwarder).
  packet_mreq membership{};
  membership.mr_ifindex = ifindex_;
  membership.mr_type = PACKET_MR_PROMISC;
  ::setsockopt(fd_, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &membership, sizeof membership);
}

PacketSocket::~PacketSocket() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t PacketSocket::receive(std::span<std::uint8_t*> buffers, std::span<std::uint32_t> sizes) {
  const std::size_t n = std::min(buffers.size(), sizes.size());
  messages_.resize(n);
  vectors_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    vectors_[i] = {buffers[i], kFrameBytes};
    messages_[i] = {};
    messages_[i].msg_hdr.msg_iov = &vectors_[i];
    messages_[i].msg_hdr.msg_iovlen = 1;
  }
  const int got = ::recvmmsg(fd_, messages_.data(), static_cast<unsigned>(n), MSG_DONTWAIT, nullptr);
  if (got <= 0) return 0;
  for (int i = 0; i < got; ++i) {
    // A truncated frame (bigger than the buffer) is reported at its buffer's size.
    sizes[static_cast<std::size_t>(i)] = std::min<std::uint32_t>(messages_[static_cast<std::size_t>(i)].msg_len, kFrameBytes);
  }
  return static_cast<std::size_t>(got);
}

bool PacketSocket::send(const std::uint8_t* frame, std::size_t bytes) {
  for (;;) {
    const ssize_t n = ::send(fd_, frame, bytes, MSG_DONTWAIT);
    if (n >= 0) return true;
    if (errno != EINTR) return false;
  }
}

}  // namespace lbsim::testbed
