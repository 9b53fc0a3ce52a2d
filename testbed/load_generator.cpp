// SPDX-License-Identifier: GPL-3.0-or-later
#include "testbed/clock.hpp"
#include "testbed/load_generator.hpp"

#include <time.h>

#include <algorithm>
#include <openssl/ssl.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <cmath>
#include <memory>
#include <optional>
#include <unordered_map>

#include "testbed/backend_server.hpp"
#include "testbed/fault_timeline.hpp"
#include "testbed/l7_proxy.hpp"
#include "testbed/tls.hpp"
#include "traffic/arrivals.hpp"
#include "util/random.hpp"

namespace lbsim::testbed {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::uint32_t kNone = ~0u;


asio::steady_timer::duration seconds(double s) {
  return std::chrono::duration_cast<asio::steady_timer::duration>(std::chrono::duration<double>(std::max(0.0, s)));
}

struct Connection {
  Connection(asio::io_context& io, asio::ssl::context* tls_context) : socket(io) {
    if (tls_context != nullptr) tls.emplace(socket, *tls_context);
    buffer.reserve(16 * 1024);  // (Beast reads at most the free capacity: fewer reads than 512 bytes at a time)
  }
  // Runs `use` with the stream HTTP goes over: TLS over the socket, or the socket itself.
  template <typename Use>
  void with_stream(Use&& use) {
    if (tls) use(*tls);
    else use(socket);
  }
  tcp::socket socket;
  std::optional<asio::ssl::stream<tcp::socket&>> tls;
  bool full_handshake = false;  // its session is worth keeping for resumption
  beast::flat_buffer buffer;
  std::uint32_t requests_left = 0;
  std::uint32_t l4 = 0;  // index into plan.l4_nodes
};

struct Attempt {
  double sent_s = 0;  // the first attempt's: a user waits through the retries
  bool measured = false;
  std::uint8_t number = 0;  // 0, then 1 for the first retry, ...
  std::uint32_t source = 0;
  std::uint32_t user = kNone;
  std::uint32_t zone = kNone;
  std::uint32_t group = kNone;  // behind an L7 tier: the target group its node routed it to (it says so)
  std::optional<bool> sticky_hit;  // and, for a sticky group, whether its cookie held (it says so too)
  std::string cookies;          // the template's own Cookie header (the jar's cookie is added when sent)
  std::uint64_t response_bytes = 0;
  std::shared_ptr<http::request<http::string_body>> request;
  std::shared_ptr<http::response_parser<http::string_body>> parser;
  std::shared_ptr<Connection> connection;
  std::shared_ptr<asio::steady_timer> timeout;
  bool done = false;
};

class Population {
public:
  Population(const config::ScenarioSpec& spec, const TestbedPlan& plan, const PlannedNode& self, double start_s, const DnsView& dns,
             const std::atomic<bool>& interrupted)
      : interrupted_(interrupted),
        spec_(spec),
        client_(spec.clients.at(self.node.group)),
        plan_(plan),
        self_(self),
        start_s_(start_s),
        random_(Random::stream(spec.seed, self.node.name)),
        connection_random_(Random::stream(spec.seed, self.node.name + "/connections")),
        dns_(dns),
        faults_(spec.faults),
        arrivals_(client_.arrival.profile, client_.arrival.uniform, spec.surges_of(client_)),
        arrival_timer_(io_) {
    double total = 0;
    for (const auto& t : client_.mix) cumulative_.push_back(total += t.weight);
    report_.metrics.by_zone.resize(spec.topology.zones.size());
    report_.metrics.by_group.resize(spec.target_groups.size());
    report_.metrics.zone_timeline.resize(spec.topology.zones.size());
    report_.stats.name = self.node.name;
    report_.stats.kind = topology::NodeKind::client;
    report_.stats.nic_Bps = spec.topology.internet.bandwidth_Bps;
    group_ = spec.l4.target_group.value_or(kNone);
    report_.requests_via_l4.assign(plan.l4_nodes.size(), 0);
    if (client_.tls.enabled) tls_.emplace(make_client_tls(client_.tls.version));
  }

  ClientReport run() {
    if (client_.arrival.closed()) {
      for (std::uint32_t user = 0; user < client_.arrival.users; ++user) send_new(pick_source(), user);
      asio::post(io_, [] {});
    } else {
      schedule_arrival(arrivals_.next_after(0, random_));
    }
    // Bounded: answers may come in until the drain time is over, then the run ends.
    asio::steady_timer end(io_);
    end.expires_at(to_time(spec_.duration_s + spec_.drain_timeout_s));
    end.async_wait([this](beast::error_code) { io_.stop(); });
    drain_check_ = std::make_unique<asio::steady_timer>(io_);
    watch_drain();
    io_.run();
    report_.outstanding_at_end = outstanding_ - outstanding_in_warmup_;
    auto& overall = report_.metrics.overall;
    if (report_.outstanding_at_end > 0) {
      report_.metrics.unanswered += report_.outstanding_at_end;
      overall.failed += report_.outstanding_at_end;
      overall.failures_by_status[results::kStatusUnanswered] += report_.outstanding_at_end;
    }
    return std::move(report_);
  }

private:
  double now() const { return monotonic_seconds() - start_s_; }
  asio::steady_timer::time_point to_time(double at) const {
    return asio::steady_timer::clock_type::now() + seconds(at - now());
  }

  void watch_drain() {
    drain_check_->expires_after(std::chrono::milliseconds(20));
    drain_check_->async_wait([this](beast::error_code) {
      if ((done_sending() && outstanding_ == 0) || interrupted_) {
        io_.stop();
        return;
      }
      watch_drain();
    });
  }
  bool done_sending() const { return client_.arrival.closed() ? now() >= spec_.duration_s : sent_all_; }

  std::uint32_t pick_source() {
    return self_.address + static_cast<std::uint32_t>(random_.below(client_.source_ips));
  }

  void schedule_arrival(double at) {
    if (at >= spec_.duration_s) {
      sent_all_ = true;
      return;
    }
    arrival_timer_.expires_at(to_time(at));
    arrival_timer_.async_wait([this, at](beast::error_code error) {
      if (error) return;
      send_new(pick_source(), kNone);
      schedule_arrival(arrivals_.next_after(at, random_));
    });
  }

  const config::RequestTemplate& draw_mix_entry() {
    const double ticket = random_.uniform01() * cumulative_.back();
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), ticket);
    return client_.mix[std::min<std::size_t>(static_cast<std::size_t>(it - cumulative_.begin()), client_.mix.size() - 1)];
  }

  void send_new(std::uint32_t source, std::uint32_t user) {
    auto attempt = std::make_shared<Attempt>();
    const config::RequestTemplate& what = draw_mix_entry();
    const auto request_bytes = static_cast<std::uint64_t>(std::llround(std::max(0.0, what.request_bytes.sample(random_))));
    attempt->response_bytes = static_cast<std::uint64_t>(std::llround(std::max(0.0, what.response_bytes.sample(random_))));
    attempt->sent_s = now();
    attempt->measured = attempt->sent_s >= spec_.warmup_s;
    attempt->user = user;
    attempt->request = make_request(what, request_bytes, attempt->response_bytes);
    attempt->cookies = std::string((*attempt->request)[http::field::cookie]);
    ++outstanding_;
    ++report_.stats.requests;
    if (attempt->measured) ++report_.metrics.overall.sent;
    else ++outstanding_in_warmup_;
    attempt->source = source;
    dispatch(attempt, source);
  }

  std::shared_ptr<http::request<http::string_body>> make_request(const config::RequestTemplate& what, std::uint64_t request_bytes,
                                                                 std::uint64_t response_bytes) {
    auto request = std::make_shared<http::request<http::string_body>>();
    request->method_string(what.method);
    request->target(what.query.empty() ? what.path : what.path + "?" + what.query);
    request->version(11);
    request->set(http::field::host, what.host.empty() ? "lbsim.test" : what.host);
    for (const auto& [name, value] : what.headers) request->set(name, value);
    std::string cookies;
    for (const auto& [name, value] : what.cookies) cookies += (cookies.empty() ? "" : "; ") + name + "=" + value;
    if (!cookies.empty()) request->set(http::field::cookie, cookies);
    request->set(kResponseBytesHeader, std::to_string(response_bytes));
    request->keep_alive(true);
    // The request's wire size is the mix's: padded with a header up to it.
    std::ostringstream wire;
    wire << *request;
    const std::size_t have = wire.str().size();
    constexpr std::size_t kPadOverhead = sizeof("X-Lbsim-Pad: \r\n") - 1;
    if (request_bytes > have + kPadOverhead) request->set("X-Lbsim-Pad", std::string(std::min<std::uint64_t>(request_bytes - have - kPadOverhead, 60000), 'p'));
    return request;
  }

  struct Browser {
    std::vector<std::shared_ptr<Connection>> idle;
    // The balancer's stickiness cookie ("AWSALB=..."), as the L7 tier last set it: sent
    // back with every request, as the simulator's browser's cookie jar does.
    std::string balancer_cookie;
    std::string session_cookie;  // the application's ("SESSIONID=..."), once a backend started one
    std::vector<std::uint32_t> dns_answer;  // cached for the record's TTL
    double resolved_until_s = -1;
  };

  // What a new connection draws, in the simulator's browser's order from the same stream:
  // an L4 node's address from DNS's answer (cached for the record's TTL, so a node DNS
  // stops announcing still gets new connections until it expires), then, under TLS, the
  // coin of resuming a session (weighted 0 while a tls_resumption_loss is in force).
  std::uint32_t pick_l4(Browser& browser) {
    if (browser.dns_answer.empty() || now() >= browser.resolved_until_s) {
      browser.dns_answer = dns_.answer();
      browser.resolved_until_s = now() + spec_.l4.dns_ttl_s;
    }
    return browser.dns_answer[connection_random_.below(browser.dns_answer.size())];
  }
  bool draw_resumption() {
    faults_.advance(now(), [this](const config::FaultSpec& fault, const FaultTimeline::Step& step) {
      if (fault.kind == config::FaultKind::tls_resumption_loss && (fault.client.empty() || fault.client == client_.name))
        resumption_lost_ = step.starts;
    });
    const double resumption = resumption_lost_ ? 0.0 : client_.tls.resumption;
    return client_.tls.enabled && connection_random_.uniform01() < resumption;
  }

  void dispatch(const std::shared_ptr<Attempt>& attempt, std::uint32_t source) {
    Browser& browser = browsers_[source];
    if (client_.timeout_s) {
      attempt->timeout = std::make_shared<asio::steady_timer>(io_);
      attempt->timeout->expires_after(seconds(*client_.timeout_s));
      attempt->timeout->async_wait([this, attempt](beast::error_code error) {
        if (error || attempt->done) return;
        if (attempt->connection) {
          beast::error_code ignored;
          attempt->connection->socket.close(ignored);
        }
        finish(attempt, results::kStatusTimeout);
      });
    }
    while (!browser.idle.empty()) {
      auto connection = browser.idle.back();
      browser.idle.pop_back();
      if (connection->socket.is_open()) return send_on(attempt, connection, source);
    }
    auto connection = std::make_shared<Connection>(io_, tls_ ? &*tls_ : nullptr);
    connection->requests_left = std::max<std::uint32_t>(client_.requests_per_connection, 1);
    connection->l4 = pick_l4(browser);
    const bool resume = draw_resumption();
    attempt->connection = connection;
    attempt->zone = plan_.nodes[plan_.l4_nodes[connection->l4]].node.zone_index;
    beast::error_code error;
    connection->socket.open(tcp::v4(), error);
    if (!error) connection->socket.bind(tcp::endpoint(asio::ip::address_v4(source), 0), error);
    if (error) return finish(attempt, results::kStatusReset);
    ++report_.stats.connections_opened;
    const tcp::endpoint vip(asio::ip::address_v4(plan_.nodes[plan_.l4_nodes[connection->l4]].vip), plan_.service_port);
    connection->socket.async_connect(vip, [this, attempt, connection, source, resume](beast::error_code connect_error) {
      if (attempt->done) return;
      if (connect_error) return finish(attempt, results::kStatusReset);
      beast::error_code ignored;
      connection->socket.set_option(tcp::no_delay(true), ignored);  // a browser's default
      if (!connection->tls) return send_on(attempt, connection, source);
      handshake(attempt, connection, source, resume);
    });
  }

  // A full handshake, or an abbreviated one offering the latest session's ticket (until a
  // full handshake has given one, a connection meant to resume cannot).
  void handshake(const std::shared_ptr<Attempt>& attempt, const std::shared_ptr<Connection>& connection, std::uint32_t source, bool resume) {
    if (!(resume && offer_session(connection->tls->native_handle(), session_))) connection->full_handshake = true;
    // The server name in clear in the ClientHello, as a browser sends it: the host it asks for.
    const std::string host(attempt->request->at(http::field::host));
    SSL_set_tlsext_host_name(connection->tls->native_handle(), host.c_str());
    connection->tls->async_handshake(asio::ssl::stream_base::client, [this, attempt, connection, source](beast::error_code error) {
      if (attempt->done) return;
      if (error) return finish(attempt, results::kStatusReset);
      send_on(attempt, connection, source);
    });
  }

  // The cookies an answer sets, without their attributes: the balancer's stickiness
  // cookie (AWSALB, or AWSALBAPP) and the application's session cookie (the only other
  // cookie the testbed's backends set).
  static void keep_cookies(Browser& browser, const http::response<http::string_body>& answer) {
    for (const auto& field : answer) {
      if (field.name() != http::field::set_cookie) continue;
      const std::string_view value(field.value().data(), field.value().size());
      const bool balancers = value.starts_with("AWSALB=") || value.starts_with("AWSALBAPP=");
      (balancers ? browser.balancer_cookie : browser.session_cookie) = std::string(value.substr(0, value.find(';')));
    }
  }

  // After an answer: a full handshake's session (TLS 1.3 sends its ticket after the
  // handshake, so it is readable once an answer has been) becomes the one to resume.
  void keep_session(Connection& connection) {
    if (!connection.full_handshake) return;
    connection.full_handshake = false;
    if (TlsSession session = resumable_session(connection.tls->native_handle())) session_ = std::move(session);
  }

  void send_on(const std::shared_ptr<Attempt>& attempt, const std::shared_ptr<Connection>& connection, std::uint32_t source) {
    attempt->connection = connection;
    attempt->zone = plan_.nodes[plan_.l4_nodes[connection->l4]].node.zone_index;
    --connection->requests_left;
    // Its last request says so (Connection: close): the server closes, and under DNAT the
    // L4 node sees the connection end as its last answer goes by.
    attempt->request->keep_alive(connection->requests_left > 0);
    std::string cookies = attempt->cookies;
    for (const std::string* jar : {&browsers_[source].session_cookie, &browsers_[source].balancer_cookie})
      if (!jar->empty()) cookies += (cookies.empty() ? "" : "; ") + *jar;
    if (!cookies.empty()) attempt->request->set(http::field::cookie, cookies);
    ++report_.requests_via_l4[connection->l4];
    if (attempt->measured) {
      ++report_.metrics.by_zone.at(attempt->zone).sent;
      if (group_ != kNone) ++report_.metrics.by_group.at(group_).sent;
    }
    connection->with_stream([&](auto& stream) {
      http::async_write(stream, *attempt->request, [this, attempt, connection, source](beast::error_code error, std::size_t bytes) {
        report_.stats.tx_bytes += static_cast<double>(bytes);
        if (attempt->done) return;
        if (error) return finish(attempt, results::kStatusReset);
        receive(attempt, connection, source);
      });
    });
  }

  void receive(const std::shared_ptr<Attempt>& attempt, const std::shared_ptr<Connection>& connection, std::uint32_t source) {
    attempt->parser = std::make_shared<http::response_parser<http::string_body>>();
    attempt->parser->body_limit(kMaxResponseBytes + 1024);
    connection->with_stream([&](auto& stream) {
      http::async_read(stream, connection->buffer, *attempt->parser,
                       [this, attempt, connection, source](beast::error_code read_error, std::size_t read) {
                         report_.stats.rx_bytes += static_cast<double>(read);
                         if (attempt->done) return;
                         if (read_error) return finish(attempt, results::kStatusReset);
                         if (connection->tls) keep_session(*connection);
                         const auto status = static_cast<std::uint16_t>(attempt->parser->get().result_int());
                         keep_cookies(browsers_[source], attempt->parser->get());
                         if (const auto group = attempt->parser->get()[kGroupHeader]; !group.empty()) {
                           std::uint32_t g = kNone;
                           std::from_chars(group.data(), group.data() + group.size(), g);
                           if (g < spec_.target_groups.size()) attempt->group = g;
                         }
                         if (const auto sticky = attempt->parser->get()[kStickyHeader]; !sticky.empty()) attempt->sticky_hit = sticky == "hit";
                         const bool reusable = connection->requests_left > 0 && attempt->parser->get().keep_alive();
                         if (reusable) browsers_[source].idle.push_back(connection);
                         else {
                           beast::error_code ignored;
                           connection->socket.shutdown(tcp::socket::shutdown_send, ignored);
                           connection->socket.close(ignored);
                         }
                         finish(attempt, status);
                       });
    });
  }

  // Retries as the simulator's client makes them (models/client): after a timeout, a
  // reset or a 5xx, while attempts and the budget allow, after a backoff drawn from the
  // connections' stream; the user's latency runs from the first attempt.
  bool may_retry(const Attempt& attempt) const {
    const config::RetrySpec& r = client_.retries;
    return attempt.number < r.max_retries && r.budget.allows_another(active_retries_, outstanding_);
  }
  void schedule_retry(const Attempt& previous) {
    auto next = std::make_shared<Attempt>();
    next->sent_s = previous.sent_s;
    next->measured = previous.measured;
    next->number = static_cast<std::uint8_t>(previous.number + 1);
    next->source = previous.source;
    next->user = previous.user;
    next->response_bytes = previous.response_bytes;
    next->request = previous.request;
    ++active_retries_;
    if (next->measured) ++report_.metrics.overall.retries;
    auto timer = std::make_shared<asio::steady_timer>(io_);
    timer->expires_after(seconds(client_.retries.backoff.delay(previous.number, connection_random_.uniform01())));
    timer->async_wait([this, timer, next](beast::error_code error) {
      if (!error) dispatch(next, next->source);
    });
  }

  void finish(const std::shared_ptr<Attempt>& attempt, std::uint16_t status) {
    if (attempt->done) return;
    attempt->done = true;
    if (attempt->timeout) attempt->timeout->cancel();
    if (status < 100 && attempt->connection) {
      // A reset or a timeout: this connection is not used again.
      beast::error_code ignored;
      attempt->connection->socket.close(ignored);
    }
    if (attempt->number > 0) --active_retries_;
    const bool retryable = status == results::kStatusReset || status == results::kStatusTimeout || status >= 500;
    if (retryable && may_retry(*attempt)) return schedule_retry(*attempt);
    record(*attempt, status);
  }

  // The user's answer (the last attempt's): into the run's counters and timelines.
  void record(const Attempt& attempt, std::uint16_t status) {
    const double t = now();
    report_.last_answer_s = std::max(report_.last_answer_s, t);
    const auto latency = static_cast<std::uint64_t>(std::llround((t - attempt.sent_s) * 1e9));
    auto& m = report_.metrics;
    if (attempt.measured) m.overall.record_answer(status, latency);
    m.timeline.record(t, latency, !results::is_success(status), status);
    if (attempt.zone != kNone) {
      auto& intervals = m.zone_timeline.at(attempt.zone);
      const auto index = static_cast<std::size_t>(t / m.timeline.interval());
      if (index >= intervals.size()) intervals.resize(index + 1);
      ++intervals[index].answered;
      if (!results::is_success(status)) ++intervals[index].failed;
      if (attempt.measured) m.by_zone.at(attempt.zone).record_answer(status, latency);
    }
    if (attempt.measured && group_ != kNone && attempt.zone != kNone) m.by_group.at(group_).record_answer(status, latency);
    if (attempt.measured && attempt.group != kNone) {
      // (Behind an L7 tier the group is known once the answer says it; the simulator
      // counts a request sent to a group when its L7 node routes it.)
      ++m.by_group.at(attempt.group).sent;
      m.by_group.at(attempt.group).record_answer(status, latency);
      if (attempt.sticky_hit) ++(*attempt.sticky_hit ? m.by_group.at(attempt.group).sticky_hits : m.by_group.at(attempt.group).sticky_misses);
    }
    --outstanding_;
    if (!attempt.measured) --outstanding_in_warmup_;
    if (attempt.user != kNone && t < spec_.duration_s) {
      // Closed loop: the user reads the answer, thinks, then sends again.
      auto timer = std::make_shared<asio::steady_timer>(io_);
      timer->expires_after(seconds(client_.arrival.think_time.sample(random_)));
      const std::uint32_t user = attempt.user;
      timer->async_wait([this, timer, user](beast::error_code) {
        if (now() < spec_.duration_s) send_new(pick_source(), user);
      });
    }
  }

  const std::atomic<bool>& interrupted_;
  const config::ScenarioSpec& spec_;
  const config::ClientSpec& client_;
  const TestbedPlan& plan_;
  const PlannedNode& self_;
  double start_s_;
  asio::io_context io_;
  Random random_, connection_random_;
  std::optional<asio::ssl::context> tls_;
  const DnsView& dns_;
  FaultTimeline faults_;
  bool resumption_lost_ = false;
  TlsSession session_;  // the latest resumable session a full handshake gave
  traffic::ArrivalProcess arrivals_;
  asio::steady_timer arrival_timer_;
  std::unique_ptr<asio::steady_timer> drain_check_;
  std::vector<double> cumulative_;
  std::unordered_map<std::uint32_t, Browser> browsers_;
  std::uint32_t group_ = kNone;
  std::uint64_t outstanding_ = 0, outstanding_in_warmup_ = 0;
  std::uint64_t active_retries_ = 0;
  bool sent_all_ = false;
  ClientReport report_;
};

}  // namespace

ClientReport run_load(const config::ScenarioSpec& spec, const TestbedPlan& plan, const PlannedNode& self, double start_monotonic_s,
                      const DnsView& dns, const std::atomic<bool>& interrupted) {
  Population population(spec, plan, self, start_monotonic_s, dns, interrupted);
  return population.run();
}

}  // namespace lbsim::testbed
