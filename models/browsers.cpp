// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/browsers.hpp"

#include "engine/runtime.hpp"

namespace lbsim::models {

Browsers::Browsers(World& world, const config::ClientSpec& spec, Random& random) : world_(world), spec_(spec), random_(random) {
  for (const auto& group : world.spec.target_groups)
    if (group.sticky_duration_s) keeps_cookies_ = true;
}

void Browsers::open_connection(Connection& c, std::uint32_t source_ip) {
  c.id = ++last_connection_id_;
  c.flow.src_ip = source_ip;
  c.flow.dst_ip = kVirtualIp;
  c.flow.src_port = static_cast<std::uint16_t>(32768 + c.next_port);  // Linux's ephemeral range
  c.next_port = static_cast<std::uint16_t>((c.next_port + 1) % 28232);
  c.flow.dst_port = kVirtualPort;
  c.flow.protocol = l4::Protocol::tcp;
  c.flow_hash = l4::hash_flow(c.flow);
  c.source_hash = l4::hash_source_ip(source_ip);
  // DNS answers with the L4 nodes' addresses; the browser caches the answer for its TTL
  // and takes one address at random.
  const double now = engine::Runtime::now();
  if (!c.resolved || now >= c.resolved_until) {
    c.resolved = resolve();
    c.resolved_until = now + world_.spec.l4.dns_ttl_s;
  }
  c.l4_node = (*c.resolved)[random_.below(c.resolved->size())];
  c.requests_left = spec_.requests_per_connection;
  // TCP's round trip, then TLS's: a resumed session is a coin weighted by `resumption`
  // (kept only if a session is at hand when the ClientHello goes: ClientPopulation).
  const double resumption = resumption_lost_ ? 0.0 : spec_.tls.resumption;
  c.resumed = spec_.tls.enabled && random_.uniform01() < resumption;
  c.flights = tls::kTcpRoundTrips;
  if (spec_.tls.enabled) c.flights += tls::plan(spec_.tls.version, tls::KeyType::ecdsa_p256, c.resumed).tls_round_trips;
  connecting_[c.id] = {};
}

std::shared_ptr<const std::vector<std::uint32_t>> Browsers::resolve() {
  std::vector<std::uint32_t> answer = world_.dns_answer();
  if (!last_answer_ || *last_answer_ != answer) last_answer_ = std::make_shared<const std::vector<std::uint32_t>>(std::move(answer));
  return last_answer_;
}

Browsers::Send Browsers::place(Request* request) {
  const std::uint32_t source_ip = request->flow.src_ip;
  Connection& connection = connections_[source_ip];
  if (connection.requests_left == 0) open_connection(connection, source_ip);
  --connection.requests_left;
  request->flow = connection.flow;
  request->flow_hash = connection.flow_hash;
  request->source_hash = connection.source_hash;
  request->closes_connection = connection.requests_left == 0;
  if (keeps_cookies_) {
    if (const auto found = cookie_jar_.find(source_ip); found != cookie_jar_.end()) {
      const CookieJar& jar = found->second;
      if (!jar.balancer.empty()) Request::copy_cookie(jar.balancer, request->sticky_cookie, request->sticky_cookie_length);
      request->sticky_cookie_is_app = jar.balancer_is_app;
      request->app_session_cookie = jar.session;
    }
  }
  request->connection = connection.id;
  request->l4_node = connection.l4_node;

  const auto connecting = connecting_.find(connection.id);
  if (connecting == connecting_.end()) return Send::request;
  if (connecting->second.handshake_started) {
    connecting->second.waiting.push_back(request);  // HTTP waits for its connection
    return Send::nothing;
  }
  // This request opens the connection: it carries the handshake, starting with a SYN.
  connecting->second.handshake_started = true;
  request->flights_left = connection.flights;
  request->flight = 0;
  request->tls_version = spec_.tls.version;
  request->tls_resumed = connection.resumed;
  return Send::handshake;
}

std::vector<Request*> Browsers::established(std::uint64_t connection, bool& still_open) {
  const auto found = connecting_.find(connection);
  still_open = found != connecting_.end();
  if (!still_open) return {};
  std::vector<Request*> waiting = std::move(found->second.waiting);
  connecting_.erase(found);
  return waiting;
}

std::vector<Request*> Browsers::abandon(std::uint32_t source_ip, std::uint64_t connection) {
  if (const auto found = connections_.find(source_ip); found != connections_.end() && found->second.id == connection)
    found->second.requests_left = 0;  // the next request opens a new connection
  const auto connecting = connecting_.find(connection);
  if (connecting == connecting_.end()) return {};
  std::vector<Request*> waiting = std::move(connecting->second.waiting);
  connecting_.erase(connecting);
  return waiting;
}

void Browsers::keep_cookies(const Request& answer) {
  if (answer.set_cookie_length == 0 && !answer.sets_app_session) return;
  CookieJar& jar = cookie_jar_[answer.flow.src_ip];
  if (answer.set_cookie_length > 0) {
    jar.balancer.assign(answer.set_cookie.data(), answer.set_cookie_length);
    jar.balancer_is_app = answer.set_cookie_is_app;
  }
  // (Only a group with application-based stickiness starts sessions.)
  if (answer.sets_app_session) jar.session = &*world_.spec.target_groups.at(answer.group).app_cookie;
}

}  // namespace lbsim::models
