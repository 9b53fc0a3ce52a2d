// SPDX-License-Identifier: GPL-3.0-or-later
#include "results/accounting.hpp"

#include <numeric>

namespace lbsim::results {
namespace {

std::uint64_t sum_of_failures(const RequestCounters& c) {
  return std::accumulate(c.failures_by_status.begin(), c.failures_by_status.end(), std::uint64_t{0},
                         [](std::uint64_t total, const auto& entry) { return total + entry.second; });
}

std::string counts(const RequestCounters& c) {
  return "sent " + std::to_string(c.sent) + ", completed " + std::to_string(c.completed) + ", failed " + std::to_string(c.failed);
}

// What holds for the requests of one zone or target group: they answer at most what they
// were sent (a request unanswered at the end is counted overall only), failures add up by
// kind, and each answer has its latency.
void check_part(std::vector<std::string>& problems, const std::string& what, const RequestCounters& c) {
  if (c.completed + c.failed > c.sent) problems.push_back(what + ": more answers than requests (" + counts(c) + ")");
  if (sum_of_failures(c) != c.failed)
    problems.push_back(what + ": failures by kind add up to " + std::to_string(sum_of_failures(c)) + ", not to failed " + std::to_string(c.failed));
  if (c.latency_ns.count() != c.completed + c.failed)
    problems.push_back(what + ": " + std::to_string(c.latency_ns.count()) + " latencies for " + std::to_string(c.completed + c.failed) + " answers");
}

}  // namespace

std::vector<std::string> accounting_problems(const RunMetrics& m) {
  std::vector<std::string> problems;
  const RequestCounters& all = m.overall;
  if (all.completed + all.failed != all.sent)
    problems.push_back("overall: every request sent must end completed or failed (" + counts(all) + ")");
  if (sum_of_failures(all) != all.failed)
    problems.push_back("overall: failures by kind add up to " + std::to_string(sum_of_failures(all)) + ", not to failed " + std::to_string(all.failed));
  if (all.failures(kStatusUnanswered) != m.unanswered)
    problems.push_back("overall: " + std::to_string(m.unanswered) + " unanswered, but " + std::to_string(all.failures(kStatusUnanswered)) +
                       " failures of that kind");
  // Unanswered requests have no latency: every other outcome has one.
  if (all.latency_ns.count() + m.unanswered != all.completed + all.failed)
    problems.push_back("overall: " + std::to_string(all.latency_ns.count()) + " latencies and " + std::to_string(m.unanswered) +
                       " unanswered for " + std::to_string(all.completed + all.failed) + " outcomes");
  std::uint64_t answered_in_zones = 0;
  for (std::size_t z = 0; z < m.by_zone.size(); ++z) {
    check_part(problems, "zone " + std::to_string(z), m.by_zone[z]);
    answered_in_zones += m.by_zone[z].completed + m.by_zone[z].failed;
  }
  if (answered_in_zones > all.completed + all.failed)
    problems.push_back("zones: " + std::to_string(answered_in_zones) + " answers, more than the " + std::to_string(all.completed + all.failed) + " overall");
  for (std::size_t g = 0; g < m.by_group.size(); ++g) check_part(problems, "target group " + std::to_string(g), m.by_group[g]);
  return problems;
}

}  // namespace lbsim::results
