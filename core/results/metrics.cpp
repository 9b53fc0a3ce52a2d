// SPDX-License-Identifier: GPL-3.0-or-later
#include "results/metrics.hpp"

#include <algorithm>

namespace lbsim::results {

std::string_view to_string(HealthSource source) {
  switch (source) {
    case HealthSource::l4_check: return "l4";
    case HealthSource::l4_passive: return "l4_passive";
    case HealthSource::l7_check: return "l7";
    case HealthSource::outlier: return "outlier";
  }
  return "l7";  // not reached: every source is a case above (-Werror=switch)
}

std::string status_name(std::uint16_t status) {
  if (status == kStatusReset) return "reset";
  if (status == kStatusTimeout) return "timeout";
  if (status == kStatusUnanswered) return "unanswered";
  return std::to_string(status);
}

void RequestCounters::record_answer(std::uint16_t status, std::uint64_t latency) {
  if (is_success(status)) {
    ++completed;
  } else {
    ++failed;
    ++failures_by_status[status];
  }
  latency_ns.record(latency);
}

void RequestCounters::merge(const RequestCounters& other) {
  sent += other.sent;
  completed += other.completed;
  failed += other.failed;
  for (const auto& [status, count] : other.failures_by_status) failures_by_status[status] += count;
  retries += other.retries;
  sticky_hits += other.sticky_hits;
  sticky_misses += other.sticky_misses;
  latency_ns.merge(other.latency_ns);
}

std::uint64_t RequestCounters::failures(std::uint16_t status) const {
  const auto found = failures_by_status.find(status);
  return found == failures_by_status.end() ? 0 : found->second;
}

double NodeStats::utilization(double seconds) const {
  if (seconds <= 0) return 0;
  if (kind == topology::NodeKind::l4 || kind == topology::NodeKind::client) {
    // The busier of its NIC and (when limited) its packet rate.
    const double nic = nic_Bps > 0 ? std::max(rx_bytes, tx_bytes) / (nic_Bps * seconds) : 0;
    return std::max(nic, busy_seconds / seconds);
  }
  return capacity > 0 ? busy_seconds / (capacity * seconds) : 0;
}

}  // namespace lbsim::results
