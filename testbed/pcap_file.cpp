// SPDX-License-Identifier: GPL-3.0-or-later
#include "testbed/pcap_file.hpp"

#include <pcap/pcap.h>
#include <time.h>

#include <cmath>
#include <stdexcept>
#include <utility>

namespace lbsim::testbed {

PcapFile::PcapFile(const std::string& path) : dead_(pcap_open_dead(DLT_EN10MB, 65535)) {
  if (dead_ == nullptr) throw std::runtime_error("cannot start a capture (libpcap)");
  dumper_ = pcap_dump_open(dead_, path.c_str());
  if (dumper_ == nullptr) {
    const std::string why = pcap_geterr(dead_);
    pcap_close(dead_);
    throw std::runtime_error("cannot write the capture " + path + ": " + why);
  }
}

PcapFile::PcapFile(PcapFile&& other) noexcept
    : dead_(std::exchange(other.dead_, nullptr)), dumper_(std::exchange(other.dumper_, nullptr)) {}

PcapFile::~PcapFile() {
  if (dumper_ != nullptr) pcap_dump_close(dumper_);
  if (dead_ != nullptr) pcap_close(dead_);
}

void PcapFile::write(const std::uint8_t* frame, std::size_t bytes, double seconds) {
  pcap_pkthdr header{};
  const double whole = std::floor(seconds);
  header.ts.tv_sec = static_cast<time_t>(whole);
  header.ts.tv_usec = static_cast<suseconds_t>(std::llround((seconds - whole) * 1e6));
  if (header.ts.tv_usec >= 1'000'000) {
    ++header.ts.tv_sec;
    header.ts.tv_usec -= 1'000'000;
  }
  header.caplen = header.len = static_cast<bpf_u_int32>(bytes);
  pcap_dump(reinterpret_cast<u_char*>(dumper_), &header, frame);
}

void PcapFile::write_now(const std::uint8_t* frame, std::size_t bytes) {
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  write(frame, bytes, static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9);
}

}  // namespace lbsim::testbed
