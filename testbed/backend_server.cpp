// SPDX-License-Identifier: GPL-3.0-or-later
#include "testbed/clock.hpp"
#include "testbed/backend_server.hpp"

#include <time.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <deque>
#include <functional>
#include <memory>

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
      : group_(group), start_s_(start_s), io_(io), random_(Random::stream(spec.seed, self.node.name)) {
    report_.stats.name = self.node.name;
    report_.stats.kind = topology::NodeKind::backend;
    report_.stats.zone = self.node.zone;
    report_.stats.group = group.name;
    report_.stats.capacity = group.workers;
  }

  double now() const { return monotonic_seconds() - start_s_; }

  // Admits a request: it runs `serve` when a worker is free; false when the queue is full.
  bool admit(std::function<void()> serve) {
    if (busy_ < group_.workers) {
      ++busy_;
      serve();
      return true;
    }
    if (waiting_.size() >= group_.queue_limit) return false;
    ++report_.stats.waited;
    waiting_.push_back({now(), std::move(serve)});
    report_.stats.max_queue = std::max(report_.stats.max_queue, waiting_.size());
    return true;
  }
  // A worker finished a request that began at `began_s`.
  void done(double began_s) {
    const double ended = now();
    add_busy(began_s, ended);
    ++report_.stats.requests;
    if (waiting_.empty()) {
      --busy_;
      return;
    }
    auto next = std::move(waiting_.front());
    waiting_.pop_front();
    report_.stats.wait_seconds += ended - next.since;
    next.serve();
  }
  double service_time() { return group_.service_time.sample(random_); }
  bool answers_error() { return group_.error_rate > 0 && random_.uniform01() < group_.error_rate; }
  BackendReport& report() { return report_; }
  asio::io_context& io() { return io_; }

private:
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
  double start_s_;
  asio::io_context& io_;
  Random random_;
  std::uint32_t busy_ = 0;
  struct Waiting {
    double since;
    std::function<void()> serve;
  };
  std::deque<Waiting> waiting_;
  BackendReport report_;
};

class Session : public std::enable_shared_from_this<Session> {
public:
  Session(tcp::socket socket, Backend& backend) : stream_(std::move(socket)), backend_(backend), timer_(backend.io()) {}
  void start() { read(); }

private:
  void read() {
    request_ = {};
    parser_.emplace();
    parser_->header_limit(16 * 1024);
    parser_->body_limit(16 * 1024 * 1024);
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code error, std::size_t) {
      if (error) return self->close();  // the client closed, or sent something that is not HTTP
      self->request_ = self->parser_->release();
      self->admit();
    });
  }

  void admit() {
    auto self = shared_from_this();
    if (!backend_.admit([self] { self->serve(); })) {
      // The accept queue is full: a reset, as a listen queue's overflow is answered.
      ++backend_.report().stats.resets;
      beast::error_code ignored;
      stream_.socket().set_option(asio::socket_base::linger(true, 0), ignored);
      stream_.socket().close(ignored);
    }
  }

  void serve() {
    began_s_ = backend_.now();
    timer_.expires_after(std::chrono::duration_cast<asio::steady_timer::duration>(std::chrono::duration<double>(backend_.service_time())));
    timer_.async_wait([self = shared_from_this()](beast::error_code) { self->answer(); });
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
    response_.set(http::field::content_type, "application/octet-stream");
    response_.body().assign(bytes, 'x');
    response_.keep_alive(request_.keep_alive());
    response_.prepare_payload();
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code error, std::size_t) {
      self->backend_.done(self->began_s_);
      if (error || !self->response_.keep_alive()) return self->close();
      self->read();
    });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  Backend& backend_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  double began_s_ = 0;
};

void accept(tcp::acceptor& acceptor, Backend& backend) {
  acceptor.async_accept([&acceptor, &backend](beast::error_code error, tcp::socket socket) {
    if (!error) {
      // As every production server does (nginx's tcp_nodelay, HAProxy's default): an
      // answer's last partial segment must not wait for the client's delayed ACK.
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      std::make_shared<Session>(std::move(socket), backend)->start();
    }
    if (acceptor.is_open()) accept(acceptor, backend);
  });
}

}  // namespace

BackendReport run_backend(const config::ScenarioSpec& spec, const TestbedPlan& plan, const PlannedNode& self, double start_monotonic_s,
                          volatile const int& stop, const std::function<void()>& listening,
                          const std::function<void(const BackendReport&)>& checkpoint) {
  asio::io_context io;
  Backend backend(spec, spec.target_groups.at(self.node.group), self, start_monotonic_s, io);
  // One listener on any address: the node's own and, under DSR, the VIPs on its loopback.
  tcp::acceptor acceptor(io);
  const tcp::endpoint endpoint(asio::ip::address_v4::any(), plan.service_port);
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(static_cast<int>(std::min<std::uint32_t>(spec.target_groups.at(self.node.group).queue_limit + 128, 65535)));
  accept(acceptor, backend);
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
