// SPDX-License-Identifier: GPL-3.0-or-later
// The decision guide in report.html: the article's questions answered from the
// scenario, and a verdict that follows from the answers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "reports/html/report.hpp"

namespace lbsim::reports::html {
namespace {

using ::testing::HasSubstr;

const char* kTwoTier = R"(name: g
topology: { zones: [a] }
clients: [ { name: web, arrival: { rate: 10/s }, mix: [ { path: /api/x } ] } ]
l4: {}
l7:
  nodes_per_zone: 1
  rules:
    - { priority: 1, if: { path: /static/* }, forward: static }
    - { default: true, forward: api }
target_groups: { api: { per_zone: 1 }, static: { per_zone: 1 } }
)";

const char* kL4Only = R"(name: g
topology: { zones: [a] }
clients: [ { name: web, arrival: { rate: 10/s }, tls: none, mix: [ { path: / } ] } ]
l4: { target_group: app }
target_groups: { app: { per_zone: 1 } }
)";

// What the guide reads from a summary: throughput, per-zone utilization, TLS CPU per node.
nlohmann::ordered_json summary_of(double l7_tls_cpu, double backend_tls_cpu) {
  nlohmann::ordered_json s;
  s["throughput_rps"] = 10.0;
  s["zones"] = nlohmann::ordered_json::array({{{"zone", "a"}, {"utilization", {{"l4", 0.01}, {"l7", 0.02}, {"backend", 0.1}}}}});
  s["nodes"] = nlohmann::ordered_json::array({{{"kind", "l7"}, {"tls", {{"cpu_seconds", l7_tls_cpu}}}},
                                               {{"kind", "backend"}, {"tls", {{"cpu_seconds", backend_tls_cpu}}}}});
  return s;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  return all;
}

TEST(DecisionGuide, ContentRulesCallForAnL7Tier) {
  const auto lines = decision_guide(config::load_scenario(kTwoTier, "g.yaml"), summary_of(1.5, 0));
  const std::string all = joined(lines);
  EXPECT_THAT(all, HasSubstr("Content routing: 1 listener rule(s)"));
  EXPECT_THAT(all, HasSubstr("TLS: terminated at the L7 tier (1.500 CPU-seconds"));
  EXPECT_THAT(lines.back(), HasSubstr("Verdict: L4 + L7"));
}

TEST(DecisionGuide, NothingToReadMeansL4Suffices) {
  const auto lines = decision_guide(config::load_scenario(kL4Only, "g.yaml"), summary_of(0, 0));
  const std::string all = joined(lines);
  EXPECT_THAT(all, HasSubstr("Content routing: none needed"));
  EXPECT_EQ(all.find("TLS:"), std::string::npos);  // plain HTTP: nothing to terminate
  EXPECT_THAT(lines.back(), HasSubstr("Verdict: L4 only"));
}

TEST(DecisionGuide, AnIdleL7TierIsCalledOut) {
  std::string text = kTwoTier;
  text.replace(text.find("    - { priority: 1, if: { path: /static/* }, forward: static }\n"), 64, "");
  const auto lines = decision_guide(config::load_scenario(text, "g.yaml"), summary_of(0.2, 0));
  EXPECT_THAT(lines.back(), HasSubstr("nothing here needs L7"));
}

}  // namespace
}  // namespace lbsim::reports::html
