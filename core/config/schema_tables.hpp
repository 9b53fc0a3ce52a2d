// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to core/config: the scenario schema's tables, one per mapping of the file.
// A new key is one line in one of these tables (schema_tables.cpp) plus its consumer.
#include <optional>

#include "config/schema.hpp"
#include "config/spec.hpp"

namespace lbsim::config::schema {

// A health_check block as written: which preset it overrides depends on who checks.
struct HealthCheckKeys {
  std::optional<double> interval, timeout;
  std::optional<std::uint32_t> healthy, unhealthy;
};

const Fields<ScenarioSpec>& top_fields();
const Fields<TopologySpec>& topology_fields();
const Fields<LinkSpec>& link_fields();
const Fields<L4Spec>& l4_fields();
const Fields<HealthCheckKeys>& health_check_fields();
const Fields<L7Spec>& l7_fields();
const Fields<L7Spec>& l7_cpu_fields();
const Fields<health::OutlierConfig>& outlier_fields();
const Fields<l7::RateLimitSettings>& rate_limit_fields();
const Fields<L7RetrySpec>& l7_retry_fields();
const Fields<resilience::CircuitBreaker>& circuit_breaker_fields();
const Fields<TargetGroupSpec>& target_group_fields();
const Fields<ClientSpec>& client_fields();
const Fields<ClientSpec>& keepalive_fields();
const Fields<ClientTlsSpec>& client_tls_fields();
const Fields<RetrySpec>& client_retry_fields();
const Fields<RequestTemplate>& request_template_fields();

}  // namespace lbsim::config::schema
