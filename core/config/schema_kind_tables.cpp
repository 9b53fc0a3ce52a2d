// SPDX-License-Identifier: GPL-3.0-or-later
// The scenario schema's kind-dispatched blocks: each kind is one entry (its name, one
// sentence, the keys it takes); each key is one table line, documented once however
// many kinds take it. A new arrival kind, distribution or fault kind is one entry here
// plus its consumer.
#include <array>

#include "config/limits.hpp"
#include "config/schema_tables.hpp"

namespace lbsim::config::schema {
namespace {

KindKey needs(std::string key, std::string hint = {}) { return {std::move(key), true, std::move(hint)}; }
KindKey may(std::string key) { return {std::move(key), false, {}}; }

template <class S>
Field<S> hinted(Field<S> field, std::string_view hint) {
  field.required_hint = std::string(hint);
  return field;
}

template <class S>
Field<S> may_be_zero(Field<S> field) {
  field.info.allow_zero = true;
  return field;
}

template <class S, class M>
Field<S> rate(std::string_view key, M S::*member, std::string_view doc) {
  return hinted(quantity(key, Kind::rate, member, true, doc), detail::kRate);
}

template <class S, class M>
Field<S> duration(std::string_view key, M S::*member, std::string_view doc) {
  return hinted(quantity(key, Kind::duration, member, true, doc), detail::kDuration);
}

// `from` and `to`: a ramp's rates, or a replay's times in its logs — an ISO 8601 UTC
// instant or a duration after the log's first request. Which one a kind wants, its
// reader checks (traffic_reader.cpp).
Field<ArrivalKeys> rate_or_log_time(std::string_view key, std::optional<double> ArrivalKeys::*rate_member,
                                    std::optional<LogTime> ArrivalKeys::*time_member, std::string_view doc) {
  using S = ArrivalKeys;
  return {key_info(key, Kind::text, doc),
          [rate_member, time_member](Context& ctx, const YAML::Node& n, const std::string& path, S& out) {
            const auto text = detail::read_scalar(ctx, n, path, "a rate (ramp) or a time in the log (replay)");
            if (!text) return;
            if (const auto rate = limits::parse_rate(*text)) out.*rate_member = *rate;
            else if (const auto instant = traffic::iso_time(*text)) out.*time_member = LogTime{*instant, true};
            else if (const auto offset = limits::parse_duration(*text)) out.*time_member = LogTime{*offset, false};
            else
              ctx.error(n, path + ": expected a rate such as 100/s (ramp), or a time in the log (replay): an ISO 8601 UTC time such as "
                               "2026-12-06T18:00:00Z or a duration after its first request such as 10m; got '" + *text + "'");
          },
          [rate_member](const S& s) { return fields_detail::show_optional(s.*rate_member, units::format_rate); }};
}

}  // namespace

const KindTable<ArrivalKeys>& arrival_kinds() {
  using S = ArrivalKeys;
  static const KindTable<S> table = completed(KindTable<S>{
      {"kind", "arrival", "poisson",
       {
           {"poisson", "a Poisson process at a constant `rate`", {needs("rate")}},
           {"constant", "evenly spaced arrivals, 1/rate apart", {needs("rate")}},
           {"ramp", "`from` until `start`, linear to `to` over `over`, then `to`",
            {needs("from"), needs("to"), needs("over"), may("start")}},
           {"step", "piecewise constant: `steps: [ { at: 0s, rate }, { at, rate } ... ]`, the first step at 0s", {needs("steps")}},
           {"burst", "`burst_rate` for `for` at the start of every `every` from `first`, else `rate`",
            {needs("rate"), needs("burst_rate"), needs("every"), needs("for"), may("first")}},
           {"daily", "a sine between `trough` and `peak` over each `period`, at its peak at `peak_at`",
            {needs("trough"), needs("peak"), may("period"), may("peak_at")}},
           {"replay", "the requests of access logs, each at its logged time (over `speed`) from its logged client address with its method, "
                      "host, path and sizes; streamed, so a log of any size replays in flat memory",
            {needs("file", "an access log, or a list of them, relative to the scenario; gzip is read as it is"), needs("format"), may("speed"),
             may("from"), may("to"), may("service_times")}},
           {"closed", "closed loop: each user sends, waits for the answer, thinks, and sends again, so load falls when the system slows (user u is address u of the population)",
            {needs("users", "an integer from 1 to 1000000"), may("think_time")}},
       },
       {},
       {}},
      {
          rate("rate", &S::rate, "requests per second (with `burst`: between bursts)"),
          rate_or_log_time("from", &S::from, &S::from_time,
                           "ramp: the rate it starts at; replay: where in the logs to start, an ISO 8601 UTC time (2026-12-06T18:00:00Z) or a "
                           "duration after the first request (the logs' start when absent)"),
          rate_or_log_time("to", &S::to, &S::to_time,
                           "ramp: the rate it ends at; replay: where in the logs to stop, as `from` (the logs' end, or the run's, when absent)"),
          duration("over", &S::over, "how long a ramp takes; above 0"),
          duration("start", &S::start, "when a ramp begins"),
          hinted(deferred<S>("steps", Kind::list, "`{ at, rate }` items in increasing time order, the first at 0s"), "a list of { at, rate }"),
          rate("burst_rate", &S::burst_rate, "the rate during a burst"),
          duration("every", &S::every, "the time from one burst's start to the next; above 0"),
          duration("for", &S::length, "how long a burst lasts; above 0, at most `every`"),
          duration("first", &S::first, "when the first burst begins"),
          rate("trough", &S::trough, "the lowest rate of the day"),
          rate("peak", &S::peak, "the highest rate of the day; at least `trough`"),
          duration("period", &S::period, "the length of a day; above 0"),
          duration("peak_at", &S::peak_at, "when in each period the rate peaks"),
          integer("users", &S::users, 1, 1'000'000, "users in the closed loop"),
          deferred<S>("file", Kind::text, "replay: an access log relative to the scenario (plain or gzip), or a list of them (merged by time)"),
          choice("format", &S::format,
                 Names<traffic::LogFormat>{{"alb", traffic::LogFormat::alb}, {"nginx", traffic::LogFormat::nginx}, {"clf", traffic::LogFormat::clf},
                                           {"jsonl", traffic::LogFormat::jsonl}},
                 "replay: the logs' format (as `lbsim import traffic --format`)"),
          number("speed", &S::speed, "replay: how much faster than logged the requests are sent (2: in half the time)"),
          choice("service_times", &S::logged_service_times, Names<bool>{{"logged", true}, {"model", false}},
                 "replay: `logged`, a request takes the service time its log line gives (ALB's target_processing_time), where it gives one; "
                 "`model`, the target group's `service_time` for every request"),
          deferred<S>("think_time", Kind::section, "a distribution of durations between an answer and the next request",
                      "{ dist: exponential, mean: 1s }"),
      },
      {},
      {}});
  return table;
}

const Fields<StepKeys>& step_fields() {
  using S = StepKeys;
  static const Fields<S> fields{
      required(quantity("at", Kind::duration, &S::at, true, "when this rate begins"), detail::kDurationOrZero),
      required(quantity("rate", Kind::rate, &S::rate, true, "requests per second from then on"), detail::kRate),
  };
  return fields;
}

namespace {

KindTable<DistributionKeys> distribution_table(Kind values, bool constant_may_be_zero) {
  using S = DistributionKeys;
  const auto expected = values == Kind::size ? detail::kSize : detail::kDuration;
  auto value = [&](std::string_view key, std::optional<double> S::*member, bool may_be_zero, std::string_view doc) {
    return hinted(quantity(key, values, member, may_be_zero, doc), expected);
  };
  return completed(KindTable<S>{
      {"dist", "distribution", "",
       {
           {"constant", "always `value`", {needs("value")}},
           {"exponential", "exponential with mean `mean` (memoryless: M/M/c queues)", {needs("mean")}},
           {"lognormal", "lognormal through `median` and `p99` (σ = ln(p99/median)/2.326): a long right tail, as measured latencies have",
            {needs("median"), needs("p99")}},
           {"empirical", "measured values in `file`, one per line with units (`12.5ms`, `40KB`), drawn by inverse CDF with linear interpolation; "
            "the path is relative to the scenario file, and a bad line is reported at its own line and column",
            {needs("file")}},
       },
       {},
       {}},
      {
          value("value", &S::value, constant_may_be_zero, "the one value"),
          value("mean", &S::mean, false, "the mean"),
          value("median", &S::median, false, "the median"),
          value("p99", &S::p99, false, "the 99th percentile; above the median"),
          hinted(deferred<S>("file", Kind::text, "a file of values, one per line; blank lines and `#` comments allowed"),
                 "a file of values, one per line"),
      },
      {},
      {}});
}

}  // namespace

const KindTable<DistributionKeys>& distribution_kinds(Kind values, bool constant_may_be_zero) {
  static const std::array tables{distribution_table(Kind::duration, false), distribution_table(Kind::duration, true),
                                 distribution_table(Kind::size, false)};
  if (values == Kind::size) return tables[2];
  return tables[constant_may_be_zero ? 1 : 0];
}

const KindTable<StickinessKeys>& stickiness_kinds() {
  using S = StickinessKeys;
  static const KindTable<S> table = completed(KindTable<S>{
      {"type", "stickiness", "lb_cookie",
       {
           {"lb_cookie", "the balancer's own cookie (AWSALB) pins a client to a backend for `duration`", {may("duration")}},
           {"app_cookie", "follows the application's session cookie `cookie` (AWSALBAPP)",
            {needs("cookie"), may("duration")}},
       },
       {},
       {}},
      {
          hinted(deferred<S>("cookie", Kind::text, "the application's session cookie (not AWSALB...)"),
                 "the name of the application's session cookie"),
          checked(quantity("duration", Kind::duration, &S::duration, false, "how long the balancer's cookie pins a client"),
                  [](S& s) -> double& { return s.duration; }, [](double d) { return d >= 1 && d <= 7 * 86400; },
                  "a duration from 1s to 7 days, ALB's range"),
      },
      {},
      {}});
  return table;
}

namespace {

constexpr std::string_view kGlob = "a node name or a glob such as api-b-*";

// Each fault kind: its enum value and its entry (name, what happens, the keys it takes).
const std::vector<std::pair<FaultKind, KindEntry>>& fault_entries() {
  static const std::vector<std::pair<FaultKind, KindEntry>> entries{
      {FaultKind::zone_outage,
       {"zone_outage",
        "the zone's L7 nodes and backends go dark: they answer nothing, not even a reset, so callers learn of it only from timeouts and "
        "failed health checks. `scope: backends` takes only the backends (the managed balancer nodes survive, as when a zone's instances fail); "
        "`scope: zone` takes the zone's L4 nodes down too",
        {needs("zone", "a zone name"), may("scope")}}},
      {FaultKind::backend_crash,
       {"backend_crash",
        "the backend process dies but its host's kernel still runs: every connection, in flight or new, is reset",
        {needs("targets", std::string(kGlob))}}},
      {FaultKind::slow_backend,
       {"slow_backend",
        "each request's service time is multiplied by `factor`: a gray failure that health checks may not see",
        {needs("targets", std::string(kGlob)), needs("factor", "a number greater than 1")}}},
      {FaultKind::backend_errors,
       {"backend_errors",
        "the backends answer 500 with this probability, after the usual service time",
        {needs("targets", std::string(kGlob)), needs("error_rate", "a percentage such as 50%")}}},
      {FaultKind::node_loss,
       {"node_loss",
        "L4 or L7 nodes go dark: no answers, no resets. An L4 node back up has an empty connection table",
        {needs("targets", std::string(kGlob))}}},
      {FaultKind::link_degradation,
       {"link_degradation",
        "at least one of: `latency` added to the link's own, `bandwidth` replacing the link's, `loss` the probability a packet is lost "
        "(which delays the message by TCP's retransmission timeout)",
        {needs("link", "inter-<zone>-<zone> or edge-<zone>"), may("latency"), may("bandwidth"), may("loss")}}},
      {FaultKind::partition,
       {"partition",
        "the link between the two zones drops everything: neither side can reach the other",
        {needs("zones", "two zones, e.g. [a, b]")}}},
      {FaultKind::tls_resumption_loss,
       {"tls_resumption_loss",
        "no TLS session can be resumed, as after a certificate or ticket-key rotation: every new connection pays a full handshake. The "
        "population (or at least one, without `client`) must resume sessions (`tls.resumption` above 0%)",
        {may("client")}}},
      {FaultKind::traffic_surge,
       {"traffic_surge",
        "the arrival rate of `client` (or of every population) is multiplied by `factor`. Not for closed loops (`kind: closed`), whose "
        "load is set by their users",
        {needs("factor", "a number greater than 0"), may("client")}}},
      {FaultKind::zonal_shift,
       {"zonal_shift",
        "an operator's zonal shift: DNS stops announcing the zone's L4 nodes, and balancers stop sending new traffic to the zone's targets "
        "(unless every target is there). Clients keep their cached DNS answer until `l4.dns_ttl` runs out",
        {needs("zone", "a zone name")}}},
      {FaultKind::deregistration,
       {"deregistration",
        "the backends are deregistered: balancers send them nothing new, requests in flight may finish for the group's "
        "`deregistration_delay` and are then cut. With `for`, they are registered again",
        {needs("targets", std::string(kGlob))}}},
  };
  return entries;
}

std::vector<KindEntry> kinds_of(const std::vector<std::pair<FaultKind, KindEntry>>& entries) {
  std::vector<KindEntry> kinds;
  for (const auto& [kind, entry] : entries) kinds.push_back(entry);
  return kinds;
}

}  // namespace

std::optional<FaultKind> fault_kind_named(std::string_view name) {
  for (const auto& [kind, entry] : fault_entries())
    if (entry.name == name) return kind;
  return std::nullopt;
}

std::string_view fault_kind_name(FaultKind kind) {
  for (const auto& [k, entry] : fault_entries())
    if (k == kind) return entry.name;
  return "";
}

const KindTable<FaultSpec>& fault_kinds() {
  using S = FaultSpec;
  static const KindTable<S> table = completed(KindTable<S>{
      {"kind", "fault", "", kinds_of(fault_entries()), {}, {}},
      {
          deferred<S>("zone", Kind::name, "a zone of `topology.zones`"),
          deferred_choice<S>("scope", {"backends", "targets", "zone"}, "what of the zone goes dark", "targets"),
          deferred<S>("targets", Kind::text,
                      "a node name as `lbsim topology` prints it, or a glob (`*` any run of characters, `?` one): backends are "
                      "`<group>-<zone>-<n>`, L7 nodes `l7-<zone>-<n>`, L4 nodes `l4-<zone>-<n>`"),
          deferred<S>("factor", Kind::number, "slow_backend: above 1; traffic_surge: above 0"),
          deferred<S>("error_rate", Kind::percent, "share of requests answered 500"),
          deferred<S>("link", Kind::text, "`inter-<zone>-<zone>` (either order) or `edge-<zone>`"),
          deferred<S>("latency", Kind::duration, "latency added to the link"),
          deferred<S>("bandwidth", Kind::bandwidth, "the link's bandwidth while degraded"),
          deferred<S>("loss", Kind::percent, "packet loss probability"),
          deferred<S>("zones", Kind::list, "exactly two distinct zones"),
          deferred<S>("client", Kind::name, "one client population; absent: all of them"),
      },
      {required(may_be_zero(deferred<S>("at", Kind::duration, "when the fault begins; before the run's end")), detail::kDurationOrZero)},
      {shown_as(quantity("for", Kind::duration, &S::for_s, false, "how long it lasts; absent: until the end of the run"),
                "until the end")}});
  return table;
}

const Fields<SloObjective>& slo_fields() {
  using S = SloObjective;
  static const Fields<S> fields = [] {
    Fields<S> f;
    for (const char* p : {"p50", "p90", "p99", "p999"})
      f.push_back(deferred<S>(p, Kind::duration, std::string("the ") + p + " latency is at most this"));
    f.push_back(deferred<S>("mean", Kind::duration, "the mean latency is at most this"));
    f.push_back(deferred<S>("error_rate", Kind::percent, "the share of requests that fail is at most this"));
    f.push_back(deferred<S>("window", Kind::duration, "also in every window of this many whole seconds, not only overall",
                            "the whole run"));
    return f;
  }();
  return fields;
}

}  // namespace lbsim::config::schema
