// SPDX-License-Identifier: GPL-3.0-or-later
#include "testbed/clock.hpp"
#include "testbed/backend_server.hpp"

#include <time.h>

#include <openssl/ssl.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <algorithm>
#include <charconv>
#include <deque>
#include <unordered_map>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "l7/rules.hpp"
#include "testbed/fault_timeline.hpp"
#include "testbed/handshake_meter.hpp"
#include "testbed/l7_proxy.hpp"
#include "testbed/tls.hpp"
#include "util/random.hpp"

namespace lbsim::testbed {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;


// The backend's workers and queue, shared by its connections.
class Backend {
public:
  Backend(const config::ScenarioSpec& spec, const config::TargetGroupSpec& group, const PlannedNode& self, double start_s,
          asio::io_context& io)
      // The simulator's backend's own stream, drawn in the same order (a service time as a
      // request starts, an error draw as it ends): the k-th request a backend serves takes
      // the same time in both, so a crosscheck compares the systems, not two samples.
      : group_(group),
        name_(self.node.name),
        start_s_(start_s),
        io_(io),
        random_(Random::stream(spec.seed, self.node.name)),
        error_rate_(group.error_rate),
        faults_(spec.faults) {
    report_.stats.name = self.node.name;
    report_.stats.kind = topology::NodeKind::backend;
    report_.stats.zone = self.node.zone;
    report_.stats.group = group.name;
    report_.stats.capacity = group.workers;
  }

  double now() const { return monotonic_seconds() - start_s_; }

  // Admits a request: it runs `serve(began_s)` when a worker is free; false when the queue
  // is full (a handshake is `always` admitted: its connection is already accepted).
  bool admit(std::function<void(double)> serve, bool always = false) {
    if (busy_ < group_.workers) {
      ++busy_;
      serve(now());
      return true;
    }
    if (!always && waiting_.size() >= group_.queue_limit) return false;
    waiting_.push_back({now(), !always, std::move(serve)});
    report_.stats.max_queue = std::max(report_.stats.max_queue, waiting_.size());
    return true;
  }
  // A worker finished, at `ended_s`, a request (or a handshake's flight) that began at
  // `began_s`. The next in the queue begins then, or when it came if that was later: on a
  // request's emulated timeline, not when this process got round to noticing (below).
  void release(double began_s, double ended_s, bool request) {
    add_busy(began_s, ended_s);
    if (request) ++report_.stats.requests;
    if (waiting_.empty()) {
      --busy_;
      return;
    }
    auto next = std::move(waiting_.front());
    waiting_.pop_front();
    const double began = std::max(next.since, ended_s);
    // As the simulator counts: requests' waits only, and only those that took time (one
    // that came after the previous service's end on the timeline waited for nothing).
    if (next.request && began > next.since) {
      ++report_.stats.waited;
      report_.stats.wait_seconds += began - next.since;
    }
    next.serve(began);
  }
  void handshake_done(bool resumed, double cpu_s) {
    ++(resumed ? report_.stats.tls_resumed : report_.stats.tls_full);
    report_.stats.tls_cpu_seconds += cpu_s;
  }
  double service_time() {
    catch_up_on_faults();
    return group_.service_time.sample(random_) * slow_factor_;
  }
  bool answers_error() {
    catch_up_on_faults();
    return error_rate_ > 0 && random_.uniform01() < error_rate_;
  }
  BackendReport& report() { return report_; }
  const std::string& name() const { return name_; }
  // The application's session cookie (application-based stickiness), if the group has one.
  const std::optional<std::string>& app_cookie() const { return group_.app_cookie; }
  // A session the application starts: this backend's name and a count, never drawn from
  // the random stream (the k-th request must still take the simulator's k-th time).
  std::string next_session_id() { return name_ + "-" + std::to_string(++sessions_started_); }
  asio::io_context& io() { return io_; }

  // Its open connections, each with how to reset it: a deregistration's delay running out
  // cuts what is still there, as the simulator's draining backend does.
  std::uint64_t track(std::function<void()> reset) {
    open_.emplace(next_connection_, std::move(reset));
    return next_connection_++;
  }
  void forget(std::uint64_t connection) { open_.erase(connection); }
  void reset_all() {
    auto open = std::move(open_);
    open_.clear();
    for (auto& [connection, reset] : open) reset();
  }

private:
  // This backend's share of the failure timeline: a gray failure slows its service, an
  // error fault makes it answer 500s, each until the fault ends.
  void catch_up_on_faults() {
    faults_.advance(now(), [this](const config::FaultSpec& fault, const FaultTimeline::Step& step) {
      if (!l7::glob_match(fault.targets, name_)) return;
      if (fault.kind == config::FaultKind::slow_backend) slow_factor_ = step.starts ? fault.factor : 1.0;
      if (fault.kind == config::FaultKind::backend_errors) error_rate_ = step.starts ? fault.error_rate : group_.error_rate;
    });
  }

  void add_busy(double from, double to) {
    report_.stats.busy_seconds += to - from;
    while (from < to) {
      const auto second = static_cast<std::size_t>(std::max(0.0, from));
      const double end = std::min(to, static_cast<double>(second + 1));
      if (report_.busy_per_second.size() <= second) report_.busy_per_second.resize(second + 1, 0.0);
      report_.busy_per_second[second] += end - from;
      from = end;
    }
  }

  const config::TargetGroupSpec& group_;
  std::string name_;
  double start_s_;
  asio::io_context& io_;
  Random random_;
  double slow_factor_ = 1;
  double error_rate_;
  FaultTimeline faults_;
  std::uint32_t busy_ = 0;
  struct Waiting {
    double since;
    bool request;
    std::function<void(double)> serve;
  };
  // (open_ before waiting_: a queued serve holds its session, whose destructor forgets it
  // in open_, so open_ must outlive the queue.)
  std::unordered_map<std::uint64_t, std::function<void()>> open_;
  std::deque<Waiting> waiting_;
  std::uint64_t next_connection_ = 0;
  std::uint64_t sessions_started_ = 0;
  BackendReport report_;
};

// Whether a Cookie header holds the cookie `name` ("a=1; SESSIONID=x").
bool has_cookie(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const std::size_t end = header.find(';');
    std::string_view pair = header.substr(0, end);
    while (pair.starts_with(' ')) pair.remove_prefix(1);
    if (pair.starts_with(name) && pair.substr(name.size()).starts_with('=')) return true;
    if (end == std::string_view::npos) break;
    header.remove_prefix(end + 1);
  }
  return false;
}

using MeteredSocket = MeteredStream<tcp::socket>;
using TlsStream = asio::ssl::stream<MeteredSocket>;
tcp::socket& socket_of(tcp::socket& stream) { return stream; }
tcp::socket& socket_of(TlsStream& stream) { return stream.next_layer().next(); }

template <typename Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
public:
  Session(Stream stream, Backend& backend, std::shared_ptr<HandshakeMeter> meter = {})
      : stream_(std::move(stream)), backend_(backend), timer_(backend.io()), meter_(std::move(meter)) {
    buffer_.reserve(16 * 1024);  // (Beast reads at most the free capacity: one read per request, not one per 512 bytes)
  }
  Session(tcp::socket socket, asio::ssl::context& tls, Backend& backend, std::shared_ptr<HandshakeMeter> meter)
      : stream_(MeteredSocket(std::move(socket), meter), tls), backend_(backend), timer_(backend.io()), meter_(std::move(meter)) {
    buffer_.reserve(16 * 1024);
  }

  ~Session() { backend_.forget(id_); }

  void start() {
    id_ = backend_.track([weak = this->weak_from_this()] {
      if (auto self = weak.lock()) self->reset();
    });
    if constexpr (std::is_same_v<Stream, TlsStream>) await_client_hello();
    else read();
  }

private:
  // The handshake is the backend's work as a request's service is: once its ClientHello
  // is in, it waits for a worker like a request (never refused: the accept queue took the
  // connection), which holds it until the server's flight is out, as in the simulator.
  void await_client_hello() {
    socket_of(stream_).async_wait(tcp::socket::wait_read, [self = this->shared_from_this()](beast::error_code error) {
      if (error) return self->close();
      self->backend_.admit([self](double) { self->handshake(); }, /*always=*/true);
    });
  }

  // (Real CPU, timed as it runs: it begins now, whenever the worker was freed.)
  void handshake() {
    began_s_ = backend_.now();
    meter_->on = true;
    meter_->flight_sent = [self = this->shared_from_this()] { self->release_handshake_worker(); };
    stream_.async_handshake(asio::ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code error) {
      self->meter_->on = false;
      self->release_handshake_worker();
      if (error) return self->close();
      self->backend_.handshake_done(SSL_session_reused(self->stream_.native_handle()) == 1, self->meter_->cpu_s);
      self->read();
    });
  }
  void release_handshake_worker() {
    meter_->flight_sent = {};
    if (std::exchange(holds_worker_, false)) backend_.release(began_s_, backend_.now(), /*request=*/false);
  }

  void read() {
    request_ = {};
    parser_.emplace();
    parser_->header_limit(16 * 1024);
    parser_->body_limit(16 * 1024 * 1024);
    http::async_read(stream_, buffer_, *parser_, [self = this->shared_from_this()](beast::error_code error, std::size_t) {
      if (error) return self->close();  // the client closed, or sent something that is not HTTP
      self->request_ = self->parser_->release();
      if (self->request_.count(kHealthCheckHeader) != 0) return self->answer_check();
      self->admit();
    });
  }

  void admit() {
    auto self = this->shared_from_this();
    if (!backend_.admit([self](double began_s) { self->serve(began_s); })) {
      // The accept queue is full: a reset, as a listen queue's overflow is answered.
      ++backend_.report().stats.resets;
      beast::error_code ignored;
      socket_of(stream_).set_option(asio::socket_base::linger(true, 0), ignored);
      socket_of(stream_).close(ignored);
    }
  }

  // The service is emulated by a timer. Its deadline is on the emulated timeline: `began_s`
  // is when the worker's previous request ended there (or when this one came), however late
  // this process woke. A wake-up's lateness (about 0.5 ms on two busy shared cores) then
  // delays this answer only, as the stack's other turns do, and is not added to the next
  // request's service too: at 75 % load that compounding took p50 10-15 % above the model.
  void serve(double began_s) {
    began_s_ = began_s;
    service_s_ = backend_.service_time();
    const double left = std::max(0.0, began_s_ + service_s_ - backend_.now());
    timer_.expires_after(std::chrono::duration_cast<asio::steady_timer::duration>(std::chrono::duration<double>(left)));
    timer_.async_wait([self = this->shared_from_this()](beast::error_code) { self->answer(); });
  }

  void answer() {
    std::uint64_t bytes = 0;
    const auto header = request_[kResponseBytesHeader];
    std::from_chars(header.data(), header.data() + header.size(), bytes);
    bytes = std::min(bytes, kMaxResponseBytes);
    response_ = {};
    response_.version(11);
    response_.result(backend_.answers_error() ? http::status::internal_server_error : http::status::ok);
    response_.set(http::field::server, "lbsim-testbed");
    response_.set(kBackendHeader, backend_.name());  // who answered (behind an L7 tier, the client cannot tell otherwise)
    response_.set(http::field::content_type, "application/octet-stream");
    // Application-based stickiness: the application starts a session for a client that
    // has none, as the simulator's backends do; the L7 tier then points its AWSALBAPP
    // cookie at this backend.
    const auto cookies = request_[http::field::cookie];
    if (const auto& session = backend_.app_cookie(); session && !has_cookie(std::string_view(cookies.data(), cookies.size()), *session))
      response_.set(http::field::set_cookie, *session + "=" + backend_.next_session_id() + "; Path=/");
    response_.body().assign(bytes, 'x');
    response_.keep_alive(request_.keep_alive());
    response_.prepare_payload();
    // The worker is free once its answer is ready to go to the kernel, as the simulator's
    // is once it is sent (after the error draw: the stream's order is the simulator's).
    backend_.release(began_s_, began_s_ + service_s_, /*request=*/true);
    http::async_write(stream_, response_, [self = this->shared_from_this()](beast::error_code error, std::size_t) {
      if (error || !self->response_.keep_alive()) return self->close();
      self->read();
    });
  }

  // An L7 node's health check: the health endpoint, cheap, but it waits its turn for a
  // worker, as the simulator's backend serves a probe; it draws nothing from the stream
  // (the k-th request still takes the simulator's k-th service time) and is no request.
  void answer_check() {
    auto self = this->shared_from_this();
    backend_.admit([self](double began_s) {
      self->response_ = {};
      self->response_.version(11);
      self->response_.result(http::status::ok);
      self->response_.keep_alive(false);
      self->response_.prepare_payload();
      self->backend_.release(began_s, began_s, /*request=*/false);  // served at once, on the timeline
      http::async_write(self->stream_, self->response_, [self](beast::error_code, std::size_t) { self->close(); });
    }, /*always=*/true);
  }

  // Cut: a reset, whatever is under way (its pending operations end with an error).
  void reset() {
    beast::error_code ignored;
    socket_of(stream_).set_option(asio::socket_base::linger(true, 0), ignored);
    socket_of(stream_).close(ignored);
  }

  void close() {
    // (Under TLS without a close_notify: the client has read its whole answer by its length.)
    beast::error_code ignored;
    socket_of(stream_).shutdown(tcp::socket::shutdown_send, ignored);
  }

  Stream stream_;
  Backend& backend_;
  asio::steady_timer timer_;
  std::shared_ptr<HandshakeMeter> meter_;
  bool holds_worker_ = true;  // during the handshake
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  double began_s_ = 0;
  double service_s_ = 0;
  std::uint64_t id_ = 0;
};

void accept(tcp::acceptor& acceptor, Backend& backend, asio::ssl::context* tls) {
  acceptor.async_accept([&acceptor, &backend, tls](beast::error_code error, tcp::socket socket) {
    if (!error) {
      // As every production server does (nginx's tcp_nodelay, HAProxy's default): an
      // answer's last partial segment must not wait for the client's delayed ACK.
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      if (tls != nullptr)
        std::make_shared<Session<TlsStream>>(std::move(socket), *tls, backend, std::make_shared<HandshakeMeter>())->start();
      else
        std::make_shared<Session<tcp::socket>>(std::move(socket), backend)->start();
    }
    if (acceptor.is_open()) accept(acceptor, backend, tls);
  });
}

}  // namespace

BackendReport run_backend(const config::ScenarioSpec& spec, const TestbedPlan& plan, const PlannedNode& self, double start_monotonic_s,
                          volatile const int& stop, const std::function<void()>& listening,
                          const std::function<void(const BackendReport&)>& checkpoint) {
  // The backend outlives the I/O context: destroying the context destroys the handlers it
  // still holds, and with them sessions whose destructors tell the backend.
  std::unique_ptr<Backend> backend_holder;
  asio::io_context io;
  backend_holder = std::make_unique<Backend>(spec, spec.target_groups.at(self.node.group), self, start_monotonic_s, io);
  Backend& backend = *backend_holder;
  // One listener on any address: the node's own and, under DSR, the VIPs on its loopback.
  // Behind an L7 tier only its own (which lets several share a namespace in tests).
  tcp::acceptor acceptor(io);
  const tcp::endpoint endpoint(plan.two_tier() ? asio::ip::address_v4(self.address) : asio::ip::address_v4::any(), plan.backend_port);
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(static_cast<int>(std::min<std::uint32_t>(spec.target_groups.at(self.node.group).queue_limit + 128, 65535)));
  std::optional<asio::ssl::context> tls;
  if (plan.backend_tls) {
    const auto& group = spec.target_groups.at(self.node.group);
    tls.emplace(make_server_tls(group.tls_key, std::to_string(spec.seed) + "/" + group.name));
  }
  accept(acceptor, backend, tls ? &*tls : nullptr);
  // Deregistration: the L4 nodes send it no new connections; once the group's delay has
  // run out, what it still holds is reset — unless the fault ended first (re-registered).
  std::vector<std::unique_ptr<asio::steady_timer>> cuts;
  for (const auto& fault : spec.faults) {
    if (fault.kind != config::FaultKind::deregistration || !l7::glob_match(fault.targets, self.node.name)) continue;
    const double cut_at = fault.at_s + spec.target_groups.at(self.node.group).deregistration_delay_s;
    if ((fault.for_s && fault.at_s + *fault.for_s <= cut_at) || cut_at < backend.now()) continue;
    auto& cut = cuts.emplace_back(std::make_unique<asio::steady_timer>(io));
    cut->expires_after(std::chrono::duration_cast<asio::steady_timer::duration>(std::chrono::duration<double>(cut_at - backend.now())));
    cut->async_wait([&backend](beast::error_code error) {
      if (!error) backend.reset_all();
    });
  }
  if (listening) listening();
  asio::steady_timer watch(io);
  int ticks = 0;
  std::function<void()> check_stop = [&] {
    if (stop != 0) {
      io.stop();
      return;
    }
    if (checkpoint && ++ticks % 25 == 0) checkpoint(backend.report());
    watch.expires_after(std::chrono::milliseconds(20));
    watch.async_wait([&](beast::error_code) { check_stop(); });
  };
  check_stop();
  io.run();
  return backend.report();
}

}  // namespace lbsim::testbed
