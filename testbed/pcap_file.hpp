// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A capture file in libpcap's savefile format (what tcpdump -w writes and Wireshark
// opens), Ethernet frames, written through libpcap itself.
#include <cstddef>
#include <cstdint>
#include <string>

struct pcap;
struct pcap_dumper;

namespace lbsim::testbed {

class PcapFile {
public:
  explicit PcapFile(const std::string& path);  // throws std::runtime_error if it cannot
  ~PcapFile();
  PcapFile(const PcapFile&) = delete;
  PcapFile& operator=(const PcapFile&) = delete;
  PcapFile(PcapFile&& other) noexcept;

  // One frame, stamped `seconds` since the Unix epoch.
  void write(const std::uint8_t* frame, std::size_t bytes, double seconds);
  // Stamped with the wall clock: a live capture's convention.
  void write_now(const std::uint8_t* frame, std::size_t bytes);

private:
  struct pcap* dead_ = nullptr;
  struct pcap_dumper* dumper_ = nullptr;
};

}  // namespace lbsim::testbed
