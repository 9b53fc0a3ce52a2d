// SPDX-License-Identifier: GPL-3.0-or-later
#include "testbed/l7_proxy.hpp"

#include <openssl/ssl.h>
#include <sys/resource.h>
#include <time.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "health/active_check.hpp"
#include "health/outlier.hpp"
#include "l4/flow.hpp"
#include "l7/connection_pool.hpp"
#include "l7/rate_limit.hpp"
#include "l7/rules.hpp"
#include "l7/sticky.hpp"
#include "l7/waf.hpp"
#include "testbed/backend_server.hpp"
#include "testbed/clock.hpp"
#include "testbed/fault_timeline.hpp"
#include "testbed/handshake_meter.hpp"
#include "testbed/tls.hpp"
#include "topology/addresses.hpp"
#include "util/random.hpp"
#include "zone/zoned_targets.hpp"

namespace lbsim::testbed {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
using TlsStream = asio::ssl::stream<MeteredStream<beast::tcp_stream>>;
using asio::awaitable;
using asio::use_awaitable;

beast::tcp_stream& tcp_of(beast::tcp_stream& stream) { return stream; }
beast::tcp_stream& tcp_of(TlsStream& stream) { return stream.next_layer().next(); }

std::chrono::steady_clock::duration span_of(double seconds) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
}

double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// The process's CPU so far, in user space and in the kernel.
std::pair<double, double> user_and_system_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
  return {seconds(usage.ru_utime), seconds(usage.ru_stime)};
}

// ALB's fixed connect timeout to targets (a shorter upstream timeout bounds it), as the
// simulator's L7 node has it.
constexpr double kConnectTimeoutSeconds = 10;
// The size of the answers this node makes itself (errors, redirects), as the simulator
// counts them.
constexpr std::size_t kOwnAnswerBytes = 150;

// Beast reads at most a buffer's free capacity (at least 512 bytes) at a time: room for
// a whole answer makes it one read instead of one per 512 bytes.
constexpr std::size_t kReadBufferBytes = 64 * 1024;

// One kept-alive connection to a backend. Its stream runs its timers on the executor of
// whichever request's coroutine uses it, one at a time (beast::tcp_stream does so).
struct Upstream {
  explicit Upstream(const asio::any_io_executor& executor) : stream(executor) { buffer.reserve(kReadBufferBytes); }
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
};

// A request waiting for a pooled connection (l7::ConnectionPool's `Waiting`): it is handed
// an idle one, or told to open one, or (the node went dark) neither.
struct Waiter {
  explicit Waiter(const asio::any_io_executor& executor) : timer(executor) {}
  asio::steady_timer timer;
  std::unique_ptr<Upstream> handed;
  bool open_new = false;
  bool woken = false;
};

// One target group as this node sees it (the simulator's models::UpstreamGroup).
struct Group {
  std::vector<std::size_t> nodes;      // slot -> plan node
  std::vector<std::uint32_t> ids;      // slot -> backend id (its place in plan.backends: what cookies name)
  std::vector<std::int32_t> slot_of_id;
  std::unique_ptr<zone::ZonedTargets> targets;
  std::optional<l7::LbCookieStickiness> sticky;
  std::optional<l7::AppCookieStickiness> app_sticky;
  std::unique_ptr<health::OutlierDetector> outliers;
  l7::ConnectionPool<Waiter*> pool{0, 0};
  std::vector<std::vector<std::unique_ptr<Upstream>>> idle;  // slot -> idle connections (pool.idle(slot) of them)
  std::uint32_t active = 0;                                   // requests sent upstream, not concluded (circuit breaker)
  std::vector<health::ActiveCheck> checks;
  std::string checker;                                        // "<node>-hc-<group>", as the simulator's prober is named
  std::unique_ptr<std::atomic<std::uint32_t>[]> passed_round;  // slot -> the last check round it passed
};

// How an upstream exchange ended: the backend's answer, a reset (or a refused
// connection), a timeout; or no connection at all (a circuit breaker's overflow, or the
// node went dark while the request waited for one).
enum class Outcome { answered, reset, timeout, no_connection };

// What the decision under the lock came to.
struct Routing {
  bool forward = false;
  std::uint16_t status = 0;      // answered here: the status
  std::string location;          // redirect
  std::size_t body_bytes = kOwnAnswerBytes;
  std::uint32_t group = 0;
  std::uint32_t slot = 0;
  std::string set_cookie;        // the balancer's cookie for the client (sticky), if any
  bool set_cookie_is_app = false;
  bool group_chosen = false;
  std::optional<bool> sticky_hit;  // a sticky group's decision: its cookie held, or not
  std::optional<std::string> rewritten_path, rewritten_host;  // the rule's rewrites, if any applied
  std::uint32_t attempts = 0;    // retries made so far
  std::uint64_t epoch = 0;       // the node's life it was picked in (going dark ends one)
};

// The request's fields as core reads them: views into the Beast message, which outlives them.
struct ViewStorage {
  std::vector<l7::Field> headers, cookies;
  l7::RequestView build(const Request& request, std::uint32_t source_ip) {
    headers.clear();
    cookies.clear();
    l7::RequestView view;
    for (const auto& field : request) {
      const std::string_view name(field.name_string().data(), field.name_string().size());
      const std::string_view value(field.value().data(), field.value().size());
      headers.emplace_back(name, value);
      if (l7::iequals(name, "cookie")) split_cookies(value);
    }
    view.method = std::string_view(request.method_string().data(), request.method_string().size());
    const std::string_view target(request.target().data(), request.target().size());
    const std::size_t question = target.find('?');
    view.path = target.substr(0, question);
    if (question != std::string_view::npos) view.query = target.substr(question + 1);
    view.host = std::string_view(request[http::field::host].data(), request[http::field::host].size());
    view.headers = headers;
    view.cookies = cookies;
    view.source_ip = source_ip;
    return view;
  }
  void split_cookies(std::string_view text) {
    while (!text.empty()) {
      const std::size_t end = std::min(text.find(';'), text.size());
      std::string_view pair = text.substr(0, end);
      text.remove_prefix(std::min(end + 1, text.size()));
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      const std::size_t equals = pair.find('=');
      if (equals == std::string_view::npos || equals == 0) continue;
      cookies.emplace_back(pair.substr(0, equals), pair.substr(equals + 1));
    }
  }
};

Response own_answer(std::uint16_t status, std::size_t body_bytes, const std::string& location = {}) {
  Response response;
  response.version(11);
  response.result(status);
  response.set(http::field::server, "lbsim-l7");
  response.set(http::field::content_type, "text/plain");
  if (!location.empty()) response.set(http::field::location, location);
  response.body().assign(body_bytes, 'x');
  return response;
}

class Proxy {
public:
  Proxy(const config::ScenarioSpec& spec, const TestbedPlan& plan, const PlannedNode& self, double start_s, const ProxyOptions& options)
      : timeouts_(options.timeouts),
        spec_(spec),
        l7_(*spec.l7),
        plan_(plan),
        self_(self),
        start_s_(start_s),
        io_(static_cast<int>(std::max<std::uint32_t>(l7_.cores, 1))),
        rules_(l7_.rules),
        random_(Random::stream(spec.seed, self.node.name)),
        faults_(spec.faults),
        connect_timeout_s_(std::min(kConnectTimeoutSeconds, l7_.upstream_timeout_s)) {
    report_.stats.name = self.node.name;
    report_.stats.kind = topology::NodeKind::l7;
    report_.stats.zone = self.node.zone;
    report_.stats.capacity = l7_.cores;
    report_.stats.nic_Bps = spec.topology.intra_zone.bandwidth_Bps;
    if (l7_.rate_limit) rate_limiter_.emplace(*l7_.rate_limit);
    connect_groups();
    if (plan.tls) {
      tls_.emplace(make_server_tls(l7_.tls_key, std::to_string(spec.seed) + "/l7"));
      if (!options.session_tickets) {
        SSL_CTX_set_options(tls_->native_handle(), SSL_OP_NO_TICKET);
        SSL_CTX_set_num_tickets(tls_->native_handle(), 0);
      }
    }
  }

  L7Report run(volatile const int& stop, const std::function<void()>& listening) {
    tcp::acceptor acceptor(io_);
    const tcp::endpoint endpoint(asio::ip::address_v4::any(), plan_.service_port);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(4096);
    asio::co_spawn(io_, accept_loop(acceptor), asio::detached);
    for (std::size_t g = 0; g < groups_.size(); ++g)
      if (!groups_[g].nodes.empty()) asio::co_spawn(executor(), check_loop(g), asio::detached);
    const double cpu_at_start = process_cpu_seconds();
    const auto [user_at_start, system_at_start] = user_and_system_seconds();
    if (listening) listening();
    asio::co_spawn(executor(), watch(stop), asio::detached);
    std::vector<std::thread> threads;
    for (std::uint32_t c = 1; c < std::max<std::uint32_t>(l7_.cores, 1); ++c) threads.emplace_back([this] { io_.run(); });
    io_.run();
    for (auto& t : threads) t.join();
    report_.stats.busy_seconds = process_cpu_seconds() - cpu_at_start;
    const auto [user, system] = user_and_system_seconds();
    report_.user_seconds = user - user_at_start;
    report_.system_seconds = system - system_at_start;
    return std::move(report_);
  }

private:
  double now() const { return monotonic_seconds() - start_s_; }
  // Where a connection's work runs: a strand of its own when several threads run the
  // node (one connection's handlers never run at once), the context itself with one.
  asio::any_io_executor executor() {
    if (l7_.cores > 1) return asio::make_strand(io_);
    return io_.get_executor();
  }

  void connect_groups() {
    const topology::Topology topology(spec_);
    const auto& graph = topology.graph();
    groups_.resize(spec_.target_groups.size());
    std::vector<std::vector<balancing::Target>> names(groups_.size());
    std::vector<std::vector<std::uint32_t>> zones(groups_.size());
    for (auto edge : boost::make_iterator_range(boost::out_edges(self_.vertex, graph))) {
      const topology::Vertex to = boost::target(edge, graph);
      for (std::size_t b = 0; b < plan_.backends.size(); ++b) {
        const PlannedNode& backend = plan_.nodes[plan_.backends[b]];
        if (backend.vertex != to) continue;
        Group& group = groups_[backend.node.group];
        group.nodes.push_back(plan_.backends[b]);
        group.ids.push_back(static_cast<std::uint32_t>(b));
        names[backend.node.group].push_back({backend.node.name, static_cast<double>(graph[to].weight)});
        zones[backend.node.group].push_back(backend.node.zone_index);
      }
    }
    for (std::size_t g = 0; g < groups_.size(); ++g) {
      Group& group = groups_[g];
      if (group.nodes.empty()) continue;  // no rule forwards there
      const config::TargetGroupSpec& spec = spec_.target_groups[g];
      group.targets = std::make_unique<zone::ZonedTargets>(names[g], zones[g], spec_.topology.zones.size(), self_.node.zone_index,
                                                           l7_.zone_aware, l7_.algorithm, l7_.algorithm_options,
                                                           l7_.panic_threshold_percent, spec.slow_start_s);
      group.pool = l7::ConnectionPool<Waiter*>(group.nodes.size(), l7_.backend_connections);
      group.idle.resize(group.nodes.size());
      group.slot_of_id.assign(plan_.backends.size(), -1);
      for (std::size_t s = 0; s < group.ids.size(); ++s) group.slot_of_id[group.ids[s]] = static_cast<std::int32_t>(s);
      if (const auto duration = spec.sticky_duration_s) {
        // One secret per load balancer, the simulator's: a cookie from any node is honoured by all.
        std::uint64_t secret_state = spec_.seed ^ 0x5354494b4359ULL;
        const std::uint64_t secret = splitmix64(secret_state);
        if (spec.app_cookie) group.app_sticky.emplace(*spec.app_cookie, *duration, secret);
        else group.sticky.emplace(*duration, secret);
      }
      if (l7_.outlier_detection) group.outliers = std::make_unique<health::OutlierDetector>(group.nodes.size(), *l7_.outlier_detection);
      // The run starts in steady state, as the simulator's: targets are trusted until checks say otherwise.
      group.checks.assign(group.nodes.size(), health::ActiveCheck(spec.health_check, health::State::healthy, 0.0));
      group.checker = self_.node.name + "-hc-" + spec.name;
      group.passed_round = std::make_unique<std::atomic<std::uint32_t>[]>(group.nodes.size());
    }
  }

  // ---- clients ----------------------------------------------------------------------

  awaitable<void> accept_loop(tcp::acceptor& acceptor) {
    for (;;) {
      beast::error_code error;
      tcp::socket socket = co_await acceptor.async_accept(executor(), asio::redirect_error(use_awaitable, error));
      if (error) {
        if (!acceptor.is_open()) co_return;
        continue;
      }
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      const tcp::endpoint peer = socket.remote_endpoint(ignored);
      const tcp::endpoint local = socket.local_endpoint(ignored);
      const std::uint32_t source = peer.address().is_v4() ? peer.address().to_v4().to_uint() : 0;
      const std::uint64_t flow_hash = l4::hash_flow(l4::FlowKey{source, local.address().to_v4().to_uint(), peer.port(), local.port(), l4::Protocol::tcp});
      const auto executor = socket.get_executor();
      if (tls_) {
        auto stream = std::make_shared<TlsStream>(MeteredStream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)),
                                                                                    std::make_shared<HandshakeMeter>()),
                                                  *tls_);
        asio::co_spawn(executor, serve(stream, source, flow_hash), asio::detached);
      } else {
        asio::co_spawn(executor, serve(std::make_shared<beast::tcp_stream>(std::move(socket)), source, flow_hash), asio::detached);
      }
    }
  }

  template <class Stream>
  awaitable<void> serve(std::shared_ptr<Stream> stream, std::uint32_t source, std::uint64_t flow_hash) {
    const std::uint64_t id = track(stream);
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      if (!co_await handshake(*stream)) {
        forget(id);
        co_return;
      }
    }
    beast::flat_buffer buffer;
    buffer.reserve(kReadBufferBytes / 4);
    ViewStorage fields;
    for (;;) {
      beast::error_code error;
      if (buffer.size() == 0) {
        // Between requests a connection may idle (ALB's idle timeout); once a request's
        // first byte is in, the whole of it must follow within the request timeout.
        tcp_of(*stream).expires_after(span_of(timeouts_.idle_s));
        const std::size_t n = co_await stream->async_read_some(buffer.prepare(4096), asio::redirect_error(use_awaitable, error));
        if (error) break;
        buffer.commit(n);
      }
      // (Its own timer, not the stream's: a stream's timeout closes the socket, and a slow
      // client is owed its 408.)
      tcp_of(*stream).expires_never();
      asio::steady_timer deadline(co_await asio::this_coro::executor);
      auto expired = std::make_shared<bool>(false);
      deadline.expires_after(span_of(timeouts_.request_s));
      deadline.async_wait([expired, weak = std::weak_ptr<Stream>(stream)](beast::error_code cancelled) {
        if (cancelled) return;
        *expired = true;
        beast::error_code ignored;
        if (auto s = weak.lock()) tcp_of(*s).socket().cancel(ignored);
      });
      http::request_parser<http::string_body> parser;
      parser.header_limit(kMaxRequestHeaderBytes);
      parser.body_limit(kMaxRequestBodyBytes);
      co_await http::async_read(*stream, buffer, parser, asio::redirect_error(use_awaitable, error));
      deadline.cancel();
      if (error && *expired) error = beast::error::timeout;
      if (error) {
        if (const std::uint16_t status = refuse(error); status != 0) {
          Response answer = own_answer(status, kOwnAnswerBytes);
          answer.keep_alive(false);
          answer.prepare_payload();
          tcp_of(*stream).expires_after(span_of(timeouts_.request_s));
          co_await http::async_write(*stream, answer, asio::redirect_error(use_awaitable, error));
        }
        break;
      }
      Request request = parser.release();
      const bool keep_alive = request.keep_alive();
      tcp_of(*stream).expires_never();
      Response response = co_await handle(request, source, flow_hash, fields);
      response.keep_alive(keep_alive);
      response.prepare_payload();
      tcp_of(*stream).expires_after(span_of(timeouts_.idle_s));
      co_await http::async_write(*stream, response, asio::redirect_error(use_awaitable, error));
      if (error || !keep_alive) break;
    }
    beast::error_code ignored;
    tcp_of(*stream).socket().shutdown(tcp::socket::shutdown_send, ignored);
    forget(id);
  }

  // The status a broken request gets before its connection is closed (0: none, the client went away).
  std::uint16_t refuse(const beast::error_code& error) {
    const std::lock_guard lock(mutex_);
    if (error == beast::error::timeout) {
      ++report_.hostile.slow;
      return 408;
    }
    if (error == http::error::header_limit) {
      ++report_.hostile.oversized;
      return 431;
    }
    if (error == http::error::body_limit) {
      ++report_.hostile.oversized;
      return 413;
    }
    if (error == http::error::end_of_stream || error == http::error::partial_message || error == asio::error::eof ||
        error == asio::error::connection_reset || error == asio::error::operation_aborted || error.category() == asio::error::get_ssl_category() ||
        error == asio::ssl::error::stream_truncated)
      return 0;
    ++report_.hostile.malformed;
    return 400;
  }

  awaitable<bool> handshake(TlsStream& stream) {
    HandshakeMeter& meter = stream.next_layer().meter();
    tcp_of(stream).expires_after(span_of(timeouts_.handshake_s));
    meter.on = true;
    beast::error_code error;
    co_await stream.async_handshake(asio::ssl::stream_base::server, asio::redirect_error(use_awaitable, error));
    meter.on = false;
    const std::lock_guard lock(mutex_);
    if (error) {
      ++report_.hostile.tls_failures;
      co_return false;
    }
    ++(SSL_session_reused(stream.native_handle()) == 1 ? report_.stats.tls_resumed : report_.stats.tls_full);
    report_.stats.tls_cpu_seconds += meter.cpu_s;
    co_return true;
  }

  // ---- one request ---------------------------------------------------------------------

  awaitable<Response> handle(Request& request, std::uint32_t source, std::uint64_t flow_hash, ViewStorage& fields) {
    ++waiting_;  // (for a core: the lock below)
    Routing routing = route(fields.build(request, source), source, flow_hash);
    if (!routing.forward) co_return with_group(own_answer(routing.status, routing.body_bytes, routing.location), routing);
    // As a proxy sends it on: kept alive to the backend whatever the client said, with
    // the client's address in X-Forwarded-For, rewritten where the rule says so.
    if (routing.rewritten_path) request.target(*routing.rewritten_path);
    if (routing.rewritten_host) request.set(http::field::host, *routing.rewritten_host);
    request.keep_alive(true);
    request.set("X-Forwarded-For", format_address(source));
    Response response;
    for (;;) {
      Group& group = groups_[routing.group];
      const tcp::endpoint backend(asio::ip::address_v4(plan_.nodes[group.nodes[routing.slot]].address), topology::kBackendPort);
      std::unique_ptr<Upstream> upstream;
      const Outcome outcome = co_await exchange(routing, backend, request, response, upstream);
      if (!conclude(routing, outcome, response, std::move(upstream), Client{request, fields, source, flow_hash})) break;
    }
    co_return with_group(std::move(response), routing);
  }

  Response with_group(Response response, const Routing& routing) {
    if (routing.group_chosen) response.set(kGroupHeader, std::to_string(routing.group));
    if (routing.sticky_hit) response.set(kStickyHeader, *routing.sticky_hit ? "hit" : "miss");
    if (!routing.set_cookie.empty()) {
      const std::string_view name = routing.set_cookie_is_app ? l7::kAppLbCookieName : l7::kLbCookieName;
      response.insert(http::field::set_cookie, std::string(name) + "=" + routing.set_cookie + "; Path=/");
    }
    return response;
  }

  // ALB's order: the WAF first, then the listener rules; the rate limit may key on the
  // rule that matched, so it comes after matching and before the action.
  Routing route(const l7::RequestView& view, std::uint32_t source, std::uint64_t flow_hash) {
    const std::lock_guard lock(mutex_);
    ++report_.stats.requests;
    Routing routing;
    // A full queue for the cores: shed with a 503 at once, as the simulator's acceptor does.
    if (waiting_-- > l7_.queue_limit) {
      ++report_.stats.refused;
      routing.status = 503;
      return routing;
    }
    if (l7_.waf) {
      if (const l7::WafVerdict verdict = l7::waf_inspect(view, view.query); verdict.blocked) {
        routing.status = verdict.status;
        return routing;
      }
    }
    const l7::RouteDecision decision = rules_.route(view, random_);
    if (rate_limiter_) {
      if (const l7::RateDecision limit = rate_limiter_->check(view, decision.rule->label, now()); !limit.allowed) {
        routing.status = limit.status;
        return routing;
      }
    }
    if (decision.action != l7::ActionKind::forward) {
      routing.status = decision.status;
      routing.location = decision.location;
      if (decision.action == l7::ActionKind::fixed_response) routing.body_bytes += static_cast<std::size_t>(decision.rule->fixed.body_bytes);
      return routing;
    }
    routing.rewritten_path = decision.rewritten_path;
    routing.rewritten_host = decision.rewritten_host;
    routing.group = decision.group;
    routing.group_chosen = true;
    pick(routing, view, source, flow_hash, kNoSlot);
    return routing;
  }

  static constexpr std::uint32_t kNoSlot = UINT32_MAX;

  // The backend for a routed request, counted as started; or this node's own 503.
  // (Called with the lock held.)
  void pick(Routing& routing, const l7::RequestView& view, std::uint32_t source, std::uint64_t flow_hash, std::uint32_t avoid) {
    Group& group = groups_[routing.group];
    routing.forward = false;
    routing.status = 503;
    if (l7_.circuit_breakers && !l7_.circuit_breakers->admits_request(group.active)) {
      ++report_.stats.overflows;  // Envoy's upstream_rq_pending_overflow: 503 without trying
      return;
    }
    if (!group.targets || !group.targets->has_routable()) return;  // nothing registered
    std::uint32_t slot = pick_slot(group, routing, view, source, flow_hash);
    // A retry goes to another backend when the group has one (Envoy's previous_hosts).
    for (int attempt = 0; slot == avoid && attempt < 3; ++attempt) slot = pick_slot(group, routing, view, source, flow_hash);
    group.targets->start(slot);
    routing.epoch = epoch_;
    ++group.active;
    ++active_requests_;
    routing.slot = slot;
    routing.forward = true;
    routing.status = 0;
  }

  std::uint32_t pick_slot(Group& group, Routing& routing, const l7::RequestView& view, std::uint32_t source, std::uint64_t flow_hash) {
    const double t = now();
    const std::uint64_t source_hash = l4::hash_source_ip(source);
    if (!group.sticky && !group.app_sticky) return static_cast<std::uint32_t>(group.targets->pick(flow_hash, source_hash, random_, t));
    const auto available = [&](std::uint32_t id) {
      return id < group.slot_of_id.size() && group.slot_of_id[id] >= 0 && group.targets->routable(static_cast<std::size_t>(group.slot_of_id[id]));
    };
    const auto pick_one = [&]() -> std::optional<std::uint32_t> { return group.ids[group.targets->pick(flow_hash, source_hash, random_, t)]; };
    const l7::StickyDecision decision = group.sticky ? group.sticky->route(view, t, available, pick_one) : group.app_sticky->route(view, t, available, pick_one);
    routing.sticky_hit = decision.reason == l7::StickyDecision::Reason::hit;
    if (!decision.set_cookie.empty()) {
      routing.set_cookie = decision.set_cookie;
      routing.set_cookie_is_app = group.app_sticky.has_value();
    }
    return static_cast<std::uint32_t>(group.slot_of_id.at(*decision.target));
  }

  // One exchange with the routed backend on a pooled connection: reused, newly opened,
  // or waited for. `upstream` is the connection afterwards (empty if it is gone).
  awaitable<Outcome> exchange(const Routing& routing, const tcp::endpoint& backend, Request& request, Response& response,
                              std::unique_ptr<Upstream>& upstream) {
    const auto executor = co_await asio::this_coro::executor;
    bool fresh = false;
    {
      Waiter waiter(executor);
      bool wait = false;
      {
        const std::lock_guard lock(mutex_);
        Group& group = groups_[routing.group];
        const bool may_wait = !l7_.circuit_breakers || l7_.circuit_breakers->admits_pending(group.pool.pending());
        switch (group.pool.acquire(routing.slot, &waiter, may_wait)) {
          case l7::ConnectionPool<Waiter*>::Acquired::reuse:
            upstream = std::move(group.idle[routing.slot].back());
            group.idle[routing.slot].pop_back();
            break;
          case l7::ConnectionPool<Waiter*>::Acquired::open: fresh = true; break;
          case l7::ConnectionPool<Waiter*>::Acquired::wait: wait = true; break;
          case l7::ConnectionPool<Waiter*>::Acquired::overflow:
            ++report_.stats.overflows;
            co_return Outcome::no_connection;
        }
      }
      while (wait) {
        waiter.timer.expires_after(std::chrono::seconds(1));  // (woken by a cancel; the expiry is a safety net)
        beast::error_code ignored;
        co_await waiter.timer.async_wait(asio::redirect_error(use_awaitable, ignored));
        const std::lock_guard lock(mutex_);
        if (!waiter.woken) continue;
        wait = false;
        upstream = std::move(waiter.handed);
        fresh = waiter.open_new;
        if (!upstream && !fresh) co_return Outcome::no_connection;  // the node went dark meanwhile
      }
    }
    beast::error_code error;
    if (fresh) {
      upstream = std::make_unique<Upstream>(executor);
      {
        const std::lock_guard lock(mutex_);
        ++report_.stats.upstream_connections;
      }
      upstream->stream.expires_after(span_of(connect_timeout_s_));
      co_await upstream->stream.async_connect(backend, asio::redirect_error(use_awaitable, error));
      if (error) co_return error == beast::error::timeout ? Outcome::timeout : Outcome::reset;
      upstream->stream.socket().set_option(tcp::no_delay(true), error);
    }
    upstream->stream.expires_after(span_of(l7_.upstream_timeout_s));
    co_await http::async_write(upstream->stream, request, asio::redirect_error(use_awaitable, error));
    if (error) co_return error == beast::error::timeout ? Outcome::timeout : Outcome::reset;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxResponseBytes + 1024);
    co_await http::async_read(upstream->stream, upstream->buffer, parser, asio::redirect_error(use_awaitable, error));
    if (error) co_return error == beast::error::timeout ? Outcome::timeout : Outcome::reset;
    upstream->stream.expires_never();
    response = parser.release();
    co_return Outcome::answered;
  }

  // Who sent a request, for picking its backend again on a retry.
  struct Client {
    const Request& request;
    ViewStorage& fields;
    std::uint32_t source;
    std::uint64_t flow_hash;
  };

  // How an exchange ended: the connection goes back to the pool (or is closed), outlier
  // detection hears of it, and the request is answered — or retried on another backend,
  // which returns true with `routing` re-picked.
  bool conclude(Routing& routing, Outcome outcome, Response& response, std::unique_ptr<Upstream> upstream, Client client) {
    const std::lock_guard lock(mutex_);
    if (routing.epoch != epoch_) {
      // The node went dark meanwhile and forgot this request (and its connection).
      response = own_answer(503, kOwnAnswerBytes);
      return false;
    }
    Group& group = groups_[routing.group];
    const std::uint32_t slot = routing.slot;
    group.targets->finish(slot);
    if (outcome == Outcome::no_connection) {
      --group.active;
      --active_requests_;
      if (routing.attempts > 0) --active_retries_;
      response = own_answer(503, kOwnAnswerBytes);
      return false;
    }
    const bool keeps_connection = outcome == Outcome::answered && upstream && response.keep_alive();
    release(group, slot, keeps_connection ? std::move(upstream) : nullptr);
    if (outcome == Outcome::timeout) ++report_.stats.timeouts;
    const std::uint16_t status = outcome == Outcome::answered ? static_cast<std::uint16_t>(response.result_int())
                                 : outcome == Outcome::timeout ? 504
                                                               : 502;
    if (group.outliers && group.outliers->record_response(slot, status >= 500, now())) {
      group.targets->eject(slot, group.outliers->ejected_until(slot));
      report_.health_events.push_back({now(), self_.node.name + "-outlier", plan_.nodes[group.nodes[slot]].node.name, false,
                                       "ejected after " + std::to_string(group.outliers->config().consecutive_5xx) + " consecutive 5xx (ejection " +
                                           std::to_string(group.outliers->times_ejected(slot)) + ")",
                                       group.outliers->ejected_until(slot), results::HealthSource::outlier});
    }
    if (outcome == Outcome::answered && group.app_sticky && has_set_cookie(response, group.app_sticky->app_cookie())) {
      // The application started a session: point the balancer's cookie at who started it.
      routing.set_cookie = group.app_sticky->on_app_cookie_set(group.ids[slot], now());
      routing.set_cookie_is_app = true;
    }
    --group.active;
    --active_requests_;
    if (may_retry(routing, status, outcome)) {
      if (routing.attempts++ == 0) ++active_retries_;
      ++report_.stats.retries;
      // (The request's view is built only for a retry: stickiness may read its cookie.)
      pick(routing, client.fields.build(client.request, client.source), client.source, client.flow_hash, slot);
      if (routing.forward) return true;
      --active_retries_;
      response = own_answer(503, kOwnAnswerBytes);
      return false;
    }
    if (routing.attempts > 0) --active_retries_;
    if (outcome != Outcome::answered) response = own_answer(status, kOwnAnswerBytes);
    return false;
  }

  static bool has_set_cookie(const Response& response, const std::string& cookie) {
    for (const auto& field : response)
      if (field.name() == http::field::set_cookie && field.value().starts_with(cookie + "=")) return true;
    return false;
  }

  bool may_retry(const Routing& routing, std::uint16_t status, Outcome outcome) {
    const config::L7RetrySpec& r = l7_.retries;
    if (routing.attempts >= r.max_retries) return false;
    const bool retryable = (outcome == Outcome::reset && r.on_reset) || (outcome == Outcome::timeout && r.on_timeout) ||
                           (outcome == Outcome::answered && status >= 500 && r.on_5xx);
    if (!retryable) return false;
    if (routing.attempts > 0) return true;  // already counted in the budget
    return r.budget.allows_another(active_retries_, active_requests_);
  }

  // A connection back to the pool: to the next request in line, or idle; or closed, and
  // the next in line told to open one in its place. (Called with the lock held.)
  void release(Group& group, std::uint32_t slot, std::unique_ptr<Upstream> connection) {
    Waiter* next = nullptr;
    if (connection) {
      if (!group.pool.release(slot, next)) {
        group.idle[slot].push_back(std::move(connection));
        return;
      }
      next->handed = std::move(connection);
    } else {
      if (!group.pool.close(slot, next)) return;
      next->open_new = true;
    }
    wake(next);
  }

  static void wake(Waiter* waiter) {
    waiter->woken = true;
    asio::post(waiter->timer.get_executor(), [waiter] { waiter->timer.cancel(); });
  }

  // ---- health checks ---------------------------------------------------------------------

  // The group's active checks, as the simulator's prober makes them: every interval at
  // this node's own phase (drawn from the prober's stream), a GET to each target; the
  // verdicts are recorded together when the round's timeout is over.
  awaitable<void> check_loop(std::size_t g) {
    Group& group = groups_[g];
    const health::ActiveCheckConfig config = spec_.target_groups[g].health_check;
    Random phase_random = Random::stream(spec_.seed, group.checker);
    asio::steady_timer timer(co_await asio::this_coro::executor);
    const auto sleep_until = [&](double t) -> awaitable<void> {
      timer.expires_after(span_of(std::max(0.0, t - now())));
      beast::error_code ignored;
      co_await timer.async_wait(asio::redirect_error(use_awaitable, ignored));
    };
    co_await sleep_until(phase_random.uniform01() * config.interval_s);
    for (std::uint32_t round = 1;; ++round) {
      const double started = now();
      const bool paused = dark_.load();
      if (!paused)
        for (std::size_t slot = 0; slot < group.nodes.size(); ++slot)
          asio::co_spawn(executor(), probe(g, slot, round, config.timeout_s), asio::detached);
      co_await sleep_until(started + config.timeout_s);
      if (!paused && !dark_.load()) {
        const std::lock_guard lock(mutex_);
        const double t = now();
        for (std::size_t slot = 0; slot < group.nodes.size(); ++slot) {
          const bool passed = group.passed_round[slot].load() == round;
          const health::CheckTransition transition = group.checks[slot].record(passed, t);
          if (!transition.changed()) continue;
          report_.health_events.push_back({t, group.checker, plan_.nodes[group.nodes[slot]].node.name, group.checks[slot].receives_traffic(),
                                           transition.reason(), 0.0, results::HealthSource::l7_check});
          group.targets->set_healthy(slot, group.checks[slot].receives_traffic(), t);
        }
      }
      co_await sleep_until(started + config.interval_s);
    }
  }

  awaitable<void> probe(std::size_t g, std::size_t slot, std::uint32_t round, double timeout_s) {
    Group& group = groups_[g];
    beast::tcp_stream stream(co_await asio::this_coro::executor);
    stream.expires_after(span_of(timeout_s));
    beast::error_code error;
    co_await stream.async_connect(tcp::endpoint(asio::ip::address_v4(plan_.nodes[group.nodes[slot]].address), topology::kBackendPort),
                                  asio::redirect_error(use_awaitable, error));
    if (error) co_return;
    Request check(http::verb::get, "/", 11);
    check.set(http::field::host, "lbsim.test");
    check.set(kHealthCheckHeader, "1");
    check.keep_alive(false);
    co_await http::async_write(stream, check, asio::redirect_error(use_awaitable, error));
    if (error) co_return;
    beast::flat_buffer buffer;
    Response answer;
    co_await http::async_read(stream, buffer, answer, asio::redirect_error(use_awaitable, error));
    if (!error && answer.result_int() == 200) group.passed_round[slot].store(round);
  }

  // ---- the failure timeline ---------------------------------------------------------------

  // Every 20 ms: the run's end, and this node's share of the failure timeline — going dark
  // (a zone outage, a node loss), a zonal shift, a deregistration. Also the CPU per second.
  awaitable<void> watch(volatile const int& stop) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    double cpu_before = process_cpu_seconds();
    std::size_t second = 0;
    for (;;) {
      if (stop != 0) {
        io_.stop();
        co_return;
      }
      faults_.advance(now(), [this](const config::FaultSpec& fault, const FaultTimeline::Step& step) { apply(fault, step.starts); });
      if (const double t = now(); t >= static_cast<double>(second + 1)) {
        const double cpu = process_cpu_seconds();
        report_.busy_per_second.resize(second + 1, 0.0);
        report_.busy_per_second[second] = cpu - cpu_before;
        cpu_before = cpu;
        second = static_cast<std::size_t>(t);
      }
      timer.expires_after(std::chrono::milliseconds(20));
      beast::error_code ignored;
      co_await timer.async_wait(asio::redirect_error(use_awaitable, ignored));
    }
  }

  void apply(const config::FaultSpec& fault, bool starts) {
    using Kind = config::FaultKind;
    if (goes_dark(fault, self_.node)) return starts ? go_dark() : void(dark_ = false);
    const std::lock_guard lock(mutex_);
    for (Group& group : groups_) {
      if (!group.targets) continue;
      if (fault.kind == Kind::deregistration) {
        for (std::size_t slot = 0; slot < group.nodes.size(); ++slot)
          if (l7::glob_match(fault.targets, plan_.nodes[group.nodes[slot]].node.name))
            group.targets->set_taken_out(slot, balancing::RoutableTargets::Reason::deregistered, starts);
      } else if (fault.kind == Kind::zonal_shift) {
        bool elsewhere = false;
        for (std::size_t node : group.nodes) elsewhere = elsewhere || plan_.nodes[node].node.zone != fault.zone;
        if (!elsewhere) continue;  // every target is there: a shift cannot take them all
        for (std::size_t slot = 0; slot < group.nodes.size(); ++slot)
          if (plan_.nodes[group.nodes[slot]].node.zone == fault.zone)
            group.targets->set_taken_out(slot, balancing::RoutableTargets::Reason::zonal_shift, starts);
      }
    }
  }

  // The node is off the network (the fabric drops its frames): what it held is lost. Its
  // connections are closed where they stand, its pool forgets every backend connection,
  // and its checks stop until it is back.
  void go_dark() {
    dark_ = true;
    std::vector<std::function<void()>> closers;
    {
      const std::lock_guard lock(mutex_);
      ++epoch_;
      for (auto& [id, close] : sessions_) closers.push_back(close);
      for (Group& group : groups_) {
        group.pool.clear([](std::size_t, Waiter* waiter) { wake(waiter); });
        for (auto& idle : group.idle) idle.clear();
        group.active = 0;
      }
      active_requests_ = 0;
      active_retries_ = 0;
    }
    for (auto& close : closers) close();
  }

  template <class Stream>
  std::uint64_t track(const std::shared_ptr<Stream>& stream) {
    const std::lock_guard lock(mutex_);
    const std::uint64_t id = next_session_++;
    sessions_.emplace(id, [weak = std::weak_ptr<Stream>(stream)] {
      if (auto s = weak.lock()) asio::post(s->get_executor(), [s] {
        beast::error_code ignored;
        tcp_of(*s).socket().close(ignored);
      });
    });
    return id;
  }
  void forget(std::uint64_t id) {
    const std::lock_guard lock(mutex_);
    sessions_.erase(id);
  }

  ClientTimeouts timeouts_;
  const config::ScenarioSpec& spec_;
  const config::L7Spec& l7_;
  const TestbedPlan& plan_;
  const PlannedNode& self_;
  double start_s_;
  asio::io_context io_;
  std::optional<asio::ssl::context> tls_;
  // Every decision (rules, pickers, pools, health) is made under this lock: the threads
  // are the node's cores, and core's decision code is single-threaded by design.
  std::mutex mutex_;
  l7::RuleTable rules_;
  Random random_;
  std::optional<l7::RateLimiter> rate_limiter_;
  std::vector<Group> groups_;
  FaultTimeline faults_;
  double connect_timeout_s_;
  std::uint32_t active_requests_ = 0;  // upstream, all groups (for the retry budget)
  std::uint32_t active_retries_ = 0;
  std::atomic<std::uint32_t> waiting_{0};  // requests read and waiting for the lock (a core)
  std::atomic<bool> dark_{false};
  std::uint64_t epoch_ = 0;  // changes when the node goes dark
  std::unordered_map<std::uint64_t, std::function<void()>> sessions_;
  std::uint64_t next_session_ = 0;
  L7Report report_;
};

}  // namespace

L7Report run_l7_proxy(const config::ScenarioSpec& spec, const TestbedPlan& plan, const PlannedNode& self, double start_monotonic_s,
                      volatile const int& stop, const std::function<void()>& listening, const ProxyOptions& options) {
  Proxy proxy(spec, plan, self, start_monotonic_s, options);
  return proxy.run(stop, listening);
}

}  // namespace lbsim::testbed
