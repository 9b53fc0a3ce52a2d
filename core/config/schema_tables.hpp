// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to core/config: the scenario schema's tables, one per mapping of the file.
// A new key is one line in one of these tables (schema_tables.cpp) plus its consumer.
#include <optional>

#include "config/schema.hpp"
#include "config/schema_fields.hpp"
#include "config/spec.hpp"

namespace lbsim::config::schema {

// A health_check block as written: which preset it overrides depends on who checks.
struct HealthCheckKeys {
  std::optional<double> interval, timeout;
  std::optional<std::uint32_t> healthy, unhealthy;
};

// An arrival block as written; the loader builds the rate profile its kind describes.
struct ArrivalKeys {
  std::optional<double> rate, from, to, over, burst_rate, every, length, trough, peak;
  // `from` and `to` of a replay: times in the log rather than rates.
  std::optional<LogTime> from_time, to_time;
  double speed = 1;
  traffic::LogFormat format = traffic::LogFormat::alb;
  bool logged_service_times = true;
  double start = 0, first = 0, period = 86400, peak_at = 14 * 3600;
  std::optional<std::uint32_t> users;
};

// One `{ at, rate }` of a step arrival.
struct StepKeys {
  std::optional<double> at, rate;
};

// A distribution as written; the loader builds the one its `dist` names.
struct DistributionKeys {
  std::optional<double> value, mean, median, p99;
};

struct StickinessKeys {
  double duration = 86400;  // ALB's default: one day
};

// `{ key: ecdsa-p256 | rsa-2048 }`: the certificate of the tier that terminates TLS.
struct TlsCertificate {
  tls::KeyType key = tls::KeyType::ecdsa_p256;
};

// A `forward` list item; its group is a reference the rules' reader resolves.
struct ForwardKeys {
  std::uint32_t weight = 1;
};

struct RewritePart {
  std::string regex, replacement;
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

// Kind-dispatched blocks (schema_kind_tables.cpp).
const KindTable<ArrivalKeys>& arrival_kinds();
const Fields<StepKeys>& step_fields();
// The values of a distribution are durations or sizes; a constant think time may be 0.
const KindTable<DistributionKeys>& distribution_kinds(Kind values, bool constant_may_be_zero = false);
const KindTable<StickinessKeys>& stickiness_kinds();
const KindTable<FaultSpec>& fault_kinds();
std::optional<FaultKind> fault_kind_named(std::string_view name);
std::string_view fault_kind_name(FaultKind kind);
const Fields<SloObjective>& slo_fields();

// The listener rules (schema_rule_tables.cpp).
const Fields<l7::Rule>& rule_fields();
const Fields<l7::Conditions>& condition_fields();
const Fields<ForwardKeys>& forward_fields();
const Fields<l7::Redirect>& redirect_fields();
const Fields<l7::FixedResponse>& fixed_response_fields();
const Fields<l7::Rule>& rewrite_fields();
const Fields<RewritePart>& rewrite_part_fields();
const Fields<TlsCertificate>& tls_certificate_fields();

}  // namespace lbsim::config::schema
