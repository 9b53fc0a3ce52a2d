// SPDX-License-Identifier: GPL-3.0-or-later
// A fault event's structured fields: what the GUI reads instead of the label.
#include <gtest/gtest.h>

#include "reports/stream.hpp"

namespace lbsim::reports {
namespace {

using config::FaultKind;
using config::FaultSpec;

TEST(FaultFields, AZoneOutageNamesItsZoneAndScope) {
  FaultSpec f;
  f.kind = FaultKind::zone_outage;
  f.zone = "b";
  f.whole_zone = true;
  const auto j = fault_fields(f);
  EXPECT_EQ(j["kind"], "zone_outage");
  EXPECT_EQ(j["zone"], "b");
  EXPECT_EQ(j["scope"], "zone");
  f.whole_zone = false;
  f.backends_only = true;
  EXPECT_EQ(fault_fields(f)["scope"], "backends");
  f.backends_only = false;
  EXPECT_EQ(fault_fields(f)["scope"], "targets");
  EXPECT_FALSE(j.contains("targets"));
}

TEST(FaultFields, BackendFaultsNameTheirTargetsAndStrength) {
  FaultSpec f;
  f.kind = FaultKind::slow_backend;
  f.targets = "api-b-*";
  f.factor = 10;
  auto j = fault_fields(f);
  EXPECT_EQ(j["kind"], "slow_backend");
  EXPECT_EQ(j["targets"], "api-b-*");
  EXPECT_DOUBLE_EQ(j["factor"].get<double>(), 10);
  f.kind = FaultKind::backend_errors;
  f.error_rate = 0.25;
  j = fault_fields(f);
  EXPECT_DOUBLE_EQ(j["error_rate"].get<double>(), 0.25);
  EXPECT_FALSE(j.contains("factor"));
}

TEST(FaultFields, LinksPartitionsAndClientsCarryTheirOwnFields) {
  FaultSpec link;
  link.kind = FaultKind::link_degradation;
  link.link = "inter-a-b";
  link.extra_latency_s = 0.005;
  link.loss = 0.01;
  auto j = fault_fields(link);
  EXPECT_EQ(j["link"], "inter-a-b");
  EXPECT_DOUBLE_EQ(j["extra_latency_s"].get<double>(), 0.005);
  EXPECT_FALSE(j.contains("bandwidth_Bps"));
  link.bandwidth_Bps = 1e6;
  EXPECT_DOUBLE_EQ(fault_fields(link)["bandwidth_Bps"].get<double>(), 1e6);

  FaultSpec partition;
  partition.kind = FaultKind::partition;
  partition.zones = {"a", "c"};
  EXPECT_EQ(fault_fields(partition)["zones"], nlohmann::ordered_json({"a", "c"}));

  FaultSpec surge;
  surge.kind = FaultKind::traffic_surge;
  surge.client = "web";
  surge.factor = 3;
  j = fault_fields(surge);
  EXPECT_EQ(j["client"], "web");
  EXPECT_DOUBLE_EQ(j["factor"].get<double>(), 3);
}

}  // namespace
}  // namespace lbsim::reports
