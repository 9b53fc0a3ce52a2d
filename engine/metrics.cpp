// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/metrics.hpp"

#include <algorithm>

namespace lbsim::engine {

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::ok: return "ok";
    case Outcome::http_503: return "503";
    case Outcome::reset: return "reset";
  }
  return "?";
}

void RequestCounters::record_answer(Outcome outcome, std::uint64_t latency) {
  ++by_outcome[static_cast<std::size_t>(outcome)];
  if (outcome == Outcome::ok) ++completed;
  else ++failed;
  latency_ns.record(latency);
}

double NodeStats::utilization(double seconds) const {
  if (seconds <= 0) return 0;
  if (kind == topology::NodeKind::l4 || kind == topology::NodeKind::client)
    return nic_Bps > 0 ? std::max(rx_bytes, tx_bytes) / (nic_Bps * seconds) : 0;
  return capacity > 0 ? busy_seconds / (capacity * seconds) : 0;
}

}  // namespace lbsim::engine
