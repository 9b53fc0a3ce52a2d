// SPDX-License-Identifier: GPL-3.0-or-later
// lbsim's L7 proxy for real, on this process's own network namespace (made at the start
// of each test: root, as CI runs): backends and the proxy on threads, clients on plain
// sockets to 127.0.0.1:443. What a real client sees — statuses, headers, closed
// connections — and what the proxy counted.
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdlib>
#include <string>
#include <set>
#include <thread>

#include "config/loader.hpp"
#include "testbed/backend_server.hpp"
#include "testbed/clock.hpp"
#include "testbed/l7_proxy.hpp"
#include "testbed/plan.hpp"
#include "testbed/tls.hpp"

namespace lbsim::testbed {
namespace {

// One zone, one L7 node, backends of two groups; `tls` the clients' (none or 1.3).
config::ScenarioSpec layout(const std::string& tls) {
  return config::load_scenario(R"(
name: proxy
duration: 30s
topology:
  zones: [a]
  internet:   { latency: 5ms, bandwidth: 1Gbps }
  intra_zone: { latency: 100us, bandwidth: 10Gbps }
  inter_zone: { latency: 1ms, bandwidth: 10Gbps }
clients:
  - { name: web, arrival: { kind: poisson, rate: 10/s }, source_ips: 10, tls: )" + tls + R"(, mix: [{ weight: 1, path: / }] }
l4: { nodes_per_zone: 1 }
l7:
  nodes_per_zone: 1
  cpu: { cores: 2 }
  rules:
    - { priority: 1, if: { path: /api/* }, forward: api }
    - { priority: 2, if: { path: /old/* }, redirect: { path: /new/, status: 301 } }
    - { priority: 3, if: { path: /teapot }, fixed_response: { status: 418, body: 10B } }
    - { default: true, forward: web }
target_groups:
  web: { per_zone: 1, workers: 4, service_time: { dist: constant, value: 1ms } }
  api: { per_zone: 1, workers: 4, service_time: { dist: constant, value: 1ms } }
)",
                               "proxy.yaml");
}

// The proxy and its backends, running on threads of this process in a namespace of its own.
class Running {
public:
  explicit Running(const std::string& tls, ProxyOptions options = {}) : Running(layout(tls), options) {}
  Running(config::ScenarioSpec spec, ProxyOptions options) : spec_(std::move(spec)), topology_(spec_), plan_(plan_testbed(spec_, topology_)) {
    if (::unshare(CLONE_NEWNET) != 0) throw std::runtime_error("these tests need root (CAP_SYS_ADMIN) to make a network namespace");
    std::string commands = "ip link set lo up";
    for (std::size_t b : plan_.backends) commands += " && ip addr add " + format_address(plan_.nodes[b].address) + "/32 dev lo";
    if (std::system(commands.c_str()) != 0) throw std::runtime_error("could not configure the namespace: " + commands);
    start_s_ = monotonic_seconds();
    for (std::size_t b : plan_.backends)
      threads_.emplace_back([this, b] { run_backend(spec_, plan_, plan_.nodes[b], start_s_, stop_); });
    std::atomic<bool> listening(false);
    threads_.emplace_back([this, &listening, options] {
      report_ = run_l7_proxy(spec_, plan_, plan_.nodes[plan_.l7_nodes.at(0)], start_s_, stop_, [&] { listening = true; }, options);
    });
    while (!listening) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // (the backends' listeners too)
  }
  ~Running() { stop(); }
  const L7Report& stop() {
    stop_ = 1;
    for (auto& t : threads_)
      if (t.joinable()) t.join();
    return report_;
  }

private:
  config::ScenarioSpec spec_;
  topology::Topology topology_;
  TestbedPlan plan_;
  double start_s_ = 0;
  volatile int stop_ = 0;
  std::vector<std::thread> threads_;
  L7Report report_;
};

int connect_to_proxy() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(443);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) ADD_FAILURE() << "no proxy listening on 127.0.0.1:443";
  return fd;
}

void send_all(int fd, const std::string& bytes) {
  for (std::size_t sent = 0; sent < bytes.size();) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;  // the proxy may close early (an oversized request): what it answered is what counts
    sent += static_cast<std::size_t>(n);
  }
}

// Everything the proxy sends until it closes the connection (or `seconds` pass).
std::string read_until_closed(int fd, double seconds) {
  std::string text;
  const double until = monotonic_seconds() + seconds;
  char buffer[65536];
  while (monotonic_seconds() < until) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return text;
}

// One answer on a kept-alive connection: its head and body.
std::string read_one_answer(int fd) {
  std::string text;
  char buffer[65536];
  const double until = monotonic_seconds() + 5;
  while (monotonic_seconds() < until) {
    const std::size_t end = text.find("\r\n\r\n");
    if (end != std::string::npos) {
      const std::size_t length_at = text.find("Content-Length: ");
      const std::size_t length = length_at == std::string::npos ? 0 : std::stoul(text.substr(length_at + 16));
      if (text.size() >= end + 4 + length) return text;
    }
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return text;
}

std::string get(const std::string& path, const std::string& extra = "") {
  return "GET " + path + " HTTP/1.1\r\nHost: lbsim.test\r\nX-Lbsim-Response-Bytes: 100\r\n" + extra + "\r\n";
}

// `connections` TLS 1.3 connections to the proxy, one GET each, every one after the first
// offering the first's session: their answers.
std::vector<boost::beast::http::response<boost::beast::http::string_body>> tls_exchanges(int connections, const std::string& path) {
  namespace asio = boost::asio;
  namespace http = boost::beast::http;
  asio::io_context io;
  asio::ssl::context tls = make_client_tls(tls::Version::tls13);
  TlsSession session;
  std::vector<http::response<http::string_body>> answers;
  for (int connection = 0; connection < connections; ++connection) {
    asio::ssl::stream<asio::ip::tcp::socket> stream(io, tls);
    stream.next_layer().connect({asio::ip::address_v4::loopback(), 443});
    if (session) offer_session(stream.native_handle(), session);
    stream.handshake(asio::ssl::stream_base::client);
    http::request<http::string_body> request(http::verb::get, path, 11);
    request.set(http::field::host, "lbsim.test");
    http::write(stream, request);
    boost::beast::flat_buffer buffer;
    http::read(stream, buffer, answers.emplace_back());
    if (!session) session = resumable_session(stream.native_handle());
    boost::system::error_code ignored;
    stream.next_layer().close(ignored);
  }
  return answers;
}

TEST(L7Proxy, RoutesByCoresRulesAndAnswersRedirectsAndFixedResponsesItself) {
  Running proxy("none");
  const int fd = connect_to_proxy();
  send_all(fd, get("/api/users"));
  const std::string api = read_one_answer(fd);
  EXPECT_EQ(api.rfind("HTTP/1.1 200", 0), 0u) << api;
  EXPECT_NE(api.find("X-Lbsim-Group: 1\r\n"), std::string::npos) << "api is the second target group: " << api;
  EXPECT_NE(api.find("Server: lbsim-testbed"), std::string::npos) << "a backend answered: " << api;
  send_all(fd, get("/index.html"));
  const std::string web = read_one_answer(fd);
  EXPECT_NE(web.find("X-Lbsim-Group: 0\r\n"), std::string::npos) << "the default rule forwards to web: " << web;
  send_all(fd, get("/old/page?x=1"));
  const std::string moved = read_one_answer(fd);
  EXPECT_EQ(moved.rfind("HTTP/1.1 301", 0), 0u) << moved;
  EXPECT_NE(moved.find("Location: https://lbsim.test/new/?x=1"), std::string::npos) << moved;
  EXPECT_EQ(moved.find("X-Lbsim-Group"), std::string::npos) << "no group saw it: " << moved;
  send_all(fd, get("/teapot"));
  const std::string teapot = read_one_answer(fd);
  EXPECT_EQ(teapot.rfind("HTTP/1.1 418", 0), 0u) << teapot;
  EXPECT_NE(teapot.find("Server: lbsim-l7"), std::string::npos) << "the proxy answered itself: " << teapot;
  ::close(fd);
  const L7Report& report = proxy.stop();
  EXPECT_EQ(report.stats.requests, 4u);
  EXPECT_EQ(report.stats.upstream_connections, 2u) << "one pooled connection to each backend";
  EXPECT_GT(report.stats.busy_seconds, 0.0);
}

// The backend that answered (every testbed backend names itself), and the cookie set.
std::string header_of(const std::string& answer, const std::string& name) {
  const std::size_t at = answer.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "";
  const std::size_t from = at + name.size() + 4;
  return answer.substr(from, answer.find("\r\n", from) - from);
}

TEST(L7Proxy, TheBalancersCookieKeepsAClientOnOneBackendAndWithoutItRoundRobinSpreads) {
  Running proxy(config::load_scenario(R"(
name: sticky
duration: 30s
topology:
  zones: [a]
  internet:   { latency: 5ms, bandwidth: 1Gbps }
  intra_zone: { latency: 100us, bandwidth: 10Gbps }
clients:
  - { name: web, arrival: { kind: poisson, rate: 10/s }, source_ips: 10, tls: none, mix: [{ weight: 1, path: / }] }
l4: { nodes_per_zone: 1 }
l7: { nodes_per_zone: 1, cpu: { cores: 1 }, algorithm: round_robin, rules: [ { default: true, forward: web } ] }
target_groups:
  web: { per_zone: 2, workers: 4, service_time: { dist: constant, value: 1ms }, stickiness: { type: lb_cookie, duration: 1h } }
)",
                                      "sticky.yaml"),
                ProxyOptions{});
  const int fd = connect_to_proxy();
  send_all(fd, get("/"));
  const std::string first = read_one_answer(fd);
  const std::string cookie = header_of(first, "Set-Cookie");
  const std::string pinned = header_of(first, kBackendHeader);
  ASSERT_EQ(cookie.rfind("AWSALB=", 0), 0u) << "a first answer sets the balancer's cookie: " << first;
  ASSERT_FALSE(pinned.empty()) << first;
  const std::string jar = cookie.substr(0, cookie.find(';'));
  for (int i = 0; i < 6; ++i) {
    send_all(fd, get("/", "Cookie: " + jar + "\r\n"));
    const std::string answer = read_one_answer(fd);
    EXPECT_EQ(header_of(answer, kBackendHeader), pinned) << "request " << i << " with the cookie";
    EXPECT_EQ(header_of(answer, "Set-Cookie"), "") << "a hit sends no new cookie";
    EXPECT_EQ(header_of(answer, kStickyHeader), "hit") << "the client is told, to count hits as the model does";
  }
  std::set<std::string> without;
  for (int i = 0; i < 4; ++i) {
    send_all(fd, get("/"));
    without.insert(header_of(read_one_answer(fd), kBackendHeader));
  }
  EXPECT_EQ(without.size(), 2u) << "without the cookie, round robin reaches both backends";
  ::close(fd);
}

// Every value of a header an answer carries (Set-Cookie may come more than once).
std::vector<std::string> headers_of(const std::string& answer, const std::string& name) {
  std::vector<std::string> values;
  for (std::size_t at = answer.find("\r\n" + name + ": "); at != std::string::npos; at = answer.find("\r\n" + name + ": ", at + 2)) {
    const std::size_t from = at + name.size() + 4;
    values.push_back(answer.substr(from, answer.find("\r\n", from) - from));
  }
  return values;
}

TEST(L7Proxy, AnApplicationsSessionCookieMakesTheBalancerPinItsClientToTheBackendThatStartedIt) {
  // ALB's application-based stickiness: the backend starts a session (its own cookie),
  // the balancer answers it with AWSALBAPP naming that backend; a request carrying both
  // goes back there, one without the session cookie is not sticky.
  Running proxy(config::load_scenario(R"(
name: app-sticky
duration: 30s
topology:
  zones: [a]
  internet:   { latency: 5ms, bandwidth: 1Gbps }
  intra_zone: { latency: 100us, bandwidth: 10Gbps }
clients:
  - { name: web, arrival: { kind: poisson, rate: 10/s }, source_ips: 10, tls: none, mix: [{ weight: 1, path: / }] }
l4: { nodes_per_zone: 1 }
l7: { nodes_per_zone: 1, cpu: { cores: 1 }, algorithm: round_robin, rules: [ { default: true, forward: web } ] }
target_groups:
  web: { per_zone: 3, workers: 4, service_time: { dist: constant, value: 1ms },
         stickiness: { type: app_cookie, cookie: SESSIONID, duration: 1h } }
)",
                                      "app-sticky.yaml"),
                ProxyOptions{});
  const int fd = connect_to_proxy();
  send_all(fd, get("/"));
  const std::string first = read_one_answer(fd);
  const std::string starter = header_of(first, kBackendHeader);
  std::string session, balancer;
  for (const std::string& cookie : headers_of(first, "Set-Cookie")) {
    const std::string pair = cookie.substr(0, cookie.find(';'));
    (pair.rfind("AWSALBAPP=", 0) == 0 ? balancer : session) = pair;
  }
  ASSERT_EQ(session.rfind("SESSIONID=" + starter + "-", 0), 0u) << "the backend that answered starts the session: " << first;
  ASSERT_FALSE(balancer.empty()) << "the balancer answers a new session with AWSALBAPP: " << first;
  EXPECT_EQ(header_of(first, kStickyHeader), "miss");
  for (int i = 0; i < 5; ++i) {
    send_all(fd, get("/", "Cookie: " + session + "; " + balancer + "\r\n"));
    const std::string answer = read_one_answer(fd);
    EXPECT_EQ(header_of(answer, kBackendHeader), starter) << "request " << i << " with the session";
    EXPECT_EQ(header_of(answer, kStickyHeader), "hit") << answer;
    EXPECT_TRUE(headers_of(answer, "Set-Cookie").empty() || header_of(answer, "Set-Cookie").rfind("AWSALBAPP=", 0) == 0)
        << "the application keeps its session: " << answer;
  }
  std::set<std::string> without;
  for (int i = 0; i < 6; ++i) {
    send_all(fd, get("/", "Cookie: " + balancer + "\r\n"));  // the balancer's cookie alone: no session, not sticky
    const std::string answer = read_one_answer(fd);
    without.insert(header_of(answer, kBackendHeader));
    EXPECT_NE(header_of(answer, kStickyHeader), "hit") << answer;
  }
  EXPECT_EQ(without.size(), 3u) << "without its session the client is spread over the three backends";
  ::close(fd);
}

TEST(L7Proxy, HostileClientsGetTheirAnswerOrAClosedConnectionAreCountedAndOthersAreServed) {
  ProxyOptions options;
  options.timeouts.request_s = 1;  // (a slowloris is found out after this)
  Running proxy("none", options);
  // A slow client: a request's head that never ends.
  const int slow = connect_to_proxy();
  send_all(slow, "GET / HTTP/1.1\r\nHost: lbsim.test\r\nX-Trickle: ");
  // Meanwhile others are served.
  const int good = connect_to_proxy();
  send_all(good, get("/"));
  const std::string served = read_one_answer(good);
  EXPECT_EQ(served.rfind("HTTP/1.1 200", 0), 0u) << served;

  const int garbage = connect_to_proxy();
  send_all(garbage, "\x01\x02 this is not HTTP\r\n\r\n");
  const std::string bad = read_until_closed(garbage, 3);
  EXPECT_EQ(bad.rfind("HTTP/1.1 400", 0), 0u) << bad;

  const int huge = connect_to_proxy();
  send_all(huge, "GET / HTTP/1.1\r\nHost: lbsim.test\r\nX-Big: " + std::string(kMaxRequestHeaderBytes + 10, 'a') + "\r\n\r\n");
  const std::string too_big = read_until_closed(huge, 3);
  EXPECT_EQ(too_big.rfind("HTTP/1.1 431", 0), 0u) << too_big.substr(0, 100);

  const int body = connect_to_proxy();
  send_all(body, "POST / HTTP/1.1\r\nHost: lbsim.test\r\nContent-Length: " + std::to_string(kMaxRequestBodyBytes + 1) + "\r\n\r\n");
  const std::string too_long = read_until_closed(body, 3);
  EXPECT_EQ(too_long.rfind("HTTP/1.1 413", 0), 0u) << too_long.substr(0, 100);

  const std::string timed_out = read_until_closed(slow, 3);
  EXPECT_EQ(timed_out.rfind("HTTP/1.1 408", 0), 0u) << timed_out;
  // And the good client's connection is still up and served.
  send_all(good, get("/again"));
  const std::string again = read_one_answer(good);
  EXPECT_EQ(again.rfind("HTTP/1.1 200", 0), 0u) << again;
  for (int fd : {slow, good, garbage, huge, body}) ::close(fd);
  const L7Report& report = proxy.stop();
  EXPECT_EQ(report.hostile.malformed, 1u);
  EXPECT_EQ(report.hostile.oversized, 2u);
  EXPECT_EQ(report.hostile.slow, 1u);
  EXPECT_EQ(report.stats.requests, 2u) << "only the good client's requests were routed";
}

TEST(L7Proxy, TlsGarbageIsClosedAndCountedWhileRealHandshakesSucceedAndResume) {
  Running proxy("{ version: \"1.3\" }");
  const int garbage = connect_to_proxy();
  send_all(garbage, std::string("\x16\x03\x01\x00\x05hello", 10) + std::string(200, 'z'));
  EXPECT_EQ(read_until_closed(garbage, 3).find("HTTP"), std::string::npos) << "no HTTP answer to a broken handshake";
  ::close(garbage);

  for (const auto& response : tls_exchanges(2, "/api/x")) {
    EXPECT_EQ(response.result_int(), 200u);
    EXPECT_EQ(response[kGroupHeader], "1");
  }
  const L7Report& report = proxy.stop();
  EXPECT_EQ(report.hostile.tls_failures, 1u);
  EXPECT_EQ(report.stats.tls_full, 1u);
  EXPECT_EQ(report.stats.tls_resumed, 1u) << "the second connection resumed by ticket";
  EXPECT_GT(report.stats.tls_cpu_seconds, 0.0);
  EXPECT_EQ(report.stats.requests, 2u);
}

TEST(L7Proxy, WithoutSessionTicketsEveryHandshakeIsFull) {
  ProxyOptions options;
  options.session_tickets = false;
  Running proxy("{ version: \"1.3\" }", options);
  for (const auto& response : tls_exchanges(2, "/")) EXPECT_EQ(response.result_int(), 200u);
  const L7Report& report = proxy.stop();
  EXPECT_EQ(report.stats.tls_full, 2u);
  EXPECT_EQ(report.stats.tls_resumed, 0u);
}

}  // namespace
}  // namespace lbsim::testbed
