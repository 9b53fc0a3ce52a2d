// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/client.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>

#include "engine/agenda.hpp"
#include "engine/runtime.hpp"
#include "models/l4_node.hpp"
#include "models/tracing.hpp"

namespace sg4 = simgrid::s4u;

namespace lbsim::models {

ClientPopulation::ClientPopulation(World& world, std::uint32_t index, topology::Vertex vertex)
    : world_(world),
      spec_(world.spec.clients.at(index)),
      index_(index),
      host_(world.platform.host_of.at(vertex)),
      inbox_(host_),
      random_(Random::stream(world.spec.seed, host_->get_name())),
      connection_random_(Random::stream(world.spec.seed, host_->get_name() + "/connections")),
      browsers_(world, spec_, connection_random_),
      mutex_(sg4::Mutex::create()),
      drained_(sg4::ConditionVariable::create()),
      user_ready_(sg4::ConditionVariable::create()),
      server_key_(world.spec.l7 ? world.spec.l7->tls_key
                  : world.spec.l4.target_group ? world.spec.target_groups.at(*world.spec.l4.target_group).tls_key
                                               : tls::KeyType::ecdsa_p256) {
  double total = 0;
  for (const auto& t : spec_.mix) {
    MixEntry entry;
    entry.spec = &t;
    for (const auto& [k, v] : t.headers) entry.headers.emplace_back(k, v);
    for (const auto& [k, v] : t.cookies) entry.cookies.emplace_back(k, v);
    mix_.push_back(std::move(entry));
    total += t.weight;
    mix_cumulative_.push_back(total);
  }
  stats_.name = world.topology.node(vertex).name;
  node_ = &world.topology.node(vertex);
  stats_.kind = topology::NodeKind::client;
  stats_.nic_Bps = world.spec.topology.internet.bandwidth_Bps;
}

void ClientPopulation::start() {
  // Answers are handled as they arrive (no actor to wake): a browser's bookkeeping takes
  // no simulated time.
  inbox_.set_handler([this](void* payload) { on_answer(static_cast<Request*>(payload)); });
  // The generator is the only non-daemon actor kind: the run ends when every
  // population has sent its traffic and received every answer.
  sg4::Actor::create(host_->get_name() + "-gen", host_, [this] { generate(); });
}

const MixEntry& ClientPopulation::draw_mix_entry() {
  const double ticket = random_.uniform01() * mix_cumulative_.back();
  const auto it = std::upper_bound(mix_cumulative_.begin(), mix_cumulative_.end(), ticket);
  return mix_[std::min<std::size_t>(static_cast<std::size_t>(it - mix_cumulative_.begin()), mix_.size() - 1)];
}

void ClientPopulation::transmit(Request* request, double bytes) {
  if (request->trace != nullptr) trace_send(request);
  request->answered = false;
  request->wire_bytes = bytes;
  request->push_reply(&inbox_);
  stats_.tx_bytes += bytes;
  world_.l4_nodes[request->l4_node]->receive_request(request, host_);
}

double ClientPopulation::client_tls_cpu_before(const Request& request, unsigned flight) const {
  if (!spec_.tls.enabled) return 0;
  const tls::HandshakePlan plan = tls::plan(request.tls_version, server_key_, request.tls_resumed);
  switch (flight) {
    case 1: return plan.client_hello_cpu_s;
    case 2: return plan.client_finish_cpu_s;
    default: return 0;  // after TLS 1.2's last server flight, the request goes at once
  }
}

void ClientPopulation::on_handshake_flight(Request* request) {
  if (request->flight == 0 && request->tls_resumed && !browsers_.has_session()) {
    // TCP is up and the ClientHello is next, but no session to offer yet: a full
    // handshake (TLS 1.2's takes one more round trip).
    request->tls_resumed = false;
    const auto full = tls::plan(request->tls_version, server_key_, false), resumed = tls::plan(request->tls_version, server_key_, true);
    request->flights_left = static_cast<std::uint8_t>(request->flights_left + full.tls_round_trips - resumed.tls_round_trips);
  }
  const double cpu = client_tls_cpu_before(*request, request->flight + 1u);
  if (cpu <= 0) return continue_handshake(request);
  // The client's CPU is not a resource the model shares (a browser has its own): it is
  // time on this request's path only.
  engine::Agenda::at(engine::Runtime::now() + cpu, [this, request] {
    if (request->client_state == Request::ClientState::abandoned || finished_) {
      world_.requests.release(request);  // timed out while the client worked: no answer will come
      return;
    }
    continue_handshake(request);
  });
}

void ClientPopulation::continue_handshake(Request* request) {
  --request->flights_left;
  ++request->flight;
  if (request->flights_left > 0) {
    // The next client flight: ClientHello after the SYN, then TLS 1.2's Finished.
    const double bytes = request->flight == 1 ? tls::plan(request->tls_version, server_key_, request->tls_resumed).client_flight_bytes
                                              : kTlsFinishedBytes;
    transmit(request, bytes);
    return;
  }
  // Established: the request that carried the handshake, then every request that queued.
  bool still_open = false;
  const std::vector<Request*> waiting = browsers_.established(request->connection, still_open);
  if (!still_open) {
    // The client gave up on this connection meanwhile (see abandon_connection).
    request->flights_left = 0;
    place_on_connection(request);
    return;
  }
  for (Request* r : {request}) {
    if (r->client_state == Request::ClientState::abandoned) world_.requests.release(r);
    else transmit(r, r->request_size);
  }
  for (Request* queued : waiting) {
    if (queued->client_state == Request::ClientState::abandoned) world_.requests.release(queued);
    else transmit(queued, queued->request_size);
  }
}

void ClientPopulation::generate() {
  if (spec_.arrival.closed()) generate_closed_loop();
  else generate_open_loop();
  std::unique_lock lock(*mutex_);
  done_sending_ = true;
  // Answers may come in until the drain time is over; what is still out then is
  // reported as unanswered, so a request swallowed with no timeout cannot hang the run.
  const double deadline = world_.spec.duration_s + world_.spec.drain_timeout_s;
  while (outstanding_ > 0 && engine::Runtime::now() < deadline) drained_->wait_until(lock, deadline);
  if (const std::uint64_t unanswered = outstanding_ - outstanding_in_warmup_; unanswered > 0) {
    auto& overall = world_.metrics.overall;
    world_.metrics.unanswered += unanswered;
    overall.failed += unanswered;
    overall.failures_by_status[results::kStatusUnanswered] += unanswered;
  }
  // Done: what still comes back was counted unanswered above, and must not be counted
  // again, nor grow the timeline to whenever a very late answer lands (SimGrid runs the
  // timers still pending after the last actor ends).
  finished_ = true;
  ++world_.clients_done;
  world_.last_client_done_at = engine::Runtime::now();
  if (world_.run_over()) engine::Transport::abandon_all();
}

void ClientPopulation::generate_open_loop() {
  if (spec_.arrival.replay) return generate_replay();
  arrivals_ = std::make_unique<traffic::ArrivalProcess>(spec_.arrival.profile, spec_.arrival.uniform, world_.spec.surges_of(spec_));
  // A chain of kernel timers sends the requests (an actor sleeping to each arrival would
  // cost a context switch per request); this actor waits for the chain to end.
  schedule_arrival(arrivals_->next_after(0, random_));
  std::unique_lock lock(*mutex_);
  while (!sent_all_) user_ready_->wait(lock);
}

void ClientPopulation::schedule_arrival(double at) {
  if (at >= world_.spec.duration_s || world_.traces_done()) {
    sent_all_ = true;
    user_ready_->notify_all();
    return;
  }
  engine::Agenda::at(at, [this, at] {
    send_new_request(kClientNetwork + static_cast<std::uint32_t>(random_.below(spec_.source_ips)), kNone);
    schedule_arrival(arrivals_->next_after(at, random_));
  });
}

void ClientPopulation::generate_replay() {
  replay_ = std::make_unique<ReplayFeed>(*spec_.arrival.replay, spec_.name);
  schedule_replayed();
  std::unique_lock lock(*mutex_);
  while (!sent_all_) user_ready_->wait(lock);
}

void ClientPopulation::schedule_replayed() {
  double at = 0;
  replaying_ = replay_->next(at);
  if (replaying_ == nullptr || at >= world_.spec.duration_s || world_.traces_done()) {
    sent_all_ = true;
    user_ready_->notify_all();
    return;
  }
  engine::Agenda::at(at, [this] {
    send_replayed(*replaying_);
    schedule_replayed();
  });
}

void ClientPopulation::send_replayed(const traffic::LogRecord& record) {
  // What the line does not say comes from the mix's first template (sizes) and the
  // population (an address, when the log has none).
  const config::RequestTemplate& fallback = *mix_.front().spec;
  const double request_bytes = record.request_bytes >= 0 ? record.request_bytes : std::round(fallback.request_bytes.sample(random_));
  const double response_bytes = record.response_bytes >= 0 ? record.response_bytes : std::round(fallback.response_bytes.sample(random_));
  const std::uint32_t source_ip = record.client != 0 ? record.client : kClientNetwork + static_cast<std::uint32_t>(random_.below(spec_.source_ips));
  const MixEntry& what = *replay_->entry_for(record);
  send(source_ip, kNone, what, request_bytes, response_bytes, spec_.arrival.replay->logged_service_times ? record.service_s : -1);
}

void ClientPopulation::generate_closed_loop() {
  // Every user starts after a first think, so they do not all send at t = 0.
  for (std::uint32_t u = 0; u < spec_.arrival.users; ++u) due_.push({spec_.arrival.think_time.sample(random_), u});
  const double end = world_.spec.duration_s;
  std::unique_lock lock(*mutex_);
  for (;;) {
    if (due_.empty()) {
      // Every user is waiting for an answer; stop if time is up, else wait for one.
      if (engine::Runtime::now() >= end) return;
      user_ready_->wait_until(lock, end);
      continue;
    }
    if (world_.traces_done()) return;
    const auto [when, user] = due_.top();
    if (when >= end) return;
    if (when > engine::Runtime::now()) {
      user_ready_->wait_until(lock, when);  // or earlier, if an answer makes a user due
      continue;
    }
    due_.pop();
    // A user is one browser: one address of the population.
    send_new_request(kClientNetwork + user % spec_.source_ips, user);
  }
}

void ClientPopulation::send_new_request(std::uint32_t source_ip, std::uint32_t user) {
  const MixEntry& what = draw_mix_entry();
  const double request_bytes = std::round(what.spec->request_bytes.sample(random_));
  send(source_ip, user, what, request_bytes, std::round(what.spec->response_bytes.sample(random_)));
}

void ClientPopulation::send(std::uint32_t source_ip, std::uint32_t user, const MixEntry& what, double request_bytes, double response_bytes,
                            double logged_service_s) {
  Request* request = world_.requests.acquire();
  request->id = (static_cast<std::uint64_t>(index_) << 48) | next_id_++;
  request->what = &what;
  request->user = user;
  request->request_size = request_bytes;
  request->response_size = response_bytes;
  request->logged_service_s = logged_service_s;
  request->client = index_;
  request->flow.src_ip = source_ip;
  request->sent_at = engine::Runtime::now();
  request->measured = request->sent_at >= world_.spec.warmup_s;
  ++outstanding_;
  ++stats_.requests;
  if (request->measured) ++measured_requests_;
  else ++outstanding_in_warmup_;
  if (index_ == 0 && !world_.trace_requests.empty()) start_trace(request, what);
  if (index_ == 0 && world_.sample_every_s > 0 && request->trace == nullptr && request->sent_at >= world_.next_sample_at) start_sample(request, what);
  dispatch(request);
}

void ClientPopulation::start_trace(Request* request, const MixEntry& what) {
  const auto& wanted = world_.trace_requests;
  if (std::find(wanted.begin(), wanted.end(), stats_.requests) == wanted.end()) return;
  world_.traces.push_back(new_trace(request, what));
}

// A live sample: traced like any other, kept only until its outcome is handed on.
void ClientPopulation::start_sample(Request* request, const MixEntry& what) {
  world_.next_sample_at = (std::floor(request->sent_at / world_.sample_every_s) + 1) * world_.sample_every_s;
  auto trace = new_trace(request, what);
  world_.samples_in_flight.emplace(trace.get(), std::move(trace));
}

std::unique_ptr<results::Trace> ClientPopulation::new_trace(Request* request, const MixEntry& what) {
  auto trace = std::make_unique<results::Trace>();
  trace->request = stats_.requests;
  trace->client = stats_.name;
  trace->method = what.spec->method;
  trace->host = what.spec->host;
  trace->path = what.spec->path;
  trace->query = what.spec->query;
  trace->headers = what.spec->headers;
  trace->cookies = what.spec->cookies;
  trace->sent_at = request->sent_at;
  request->trace = trace.get();
  return trace;
}

void ClientPopulation::trace_send(Request* request) {
  const double now = engine::Runtime::now();
  // The request that carried its connection's setup counts its flights; the client's own
  // TLS work went before this one (the rest start at 0: nothing to add).
  const double tls_cpu = client_tls_cpu_before(*request, request->flight);
  results::TraceHop& hop = add_hop(request, *node_, 7, false, now - tls_cpu);
  hop.tls_s = tls_cpu;
  hop.left = now;
  l4::PacketHeader& wire = request->trace->wire;
  // The VIP resolves (ARP) to the L4 node DNS gave: the frame is addressed to its MAC.
  const l4::MacAddress l4_mac = mac_of(node_address(world_.topology.node(world_.l4_nodes[request->l4_node]->vertex())));
  wire = {mac_of(request->flow.src_ip), l4_mac, request->flow.src_ip, kVirtualIp, l4::Protocol::tcp, request->flow.src_port, kVirtualPort};
  set_headers(hop, wire, wire);
  if (request->in_handshake() && request->flight == 0)
    hop.notes.push_back({"client.opens", {world_.l4_nodes[request->l4_node]->name()}});
  else if (request->in_handshake() && request->flight == 1)
    hop.notes.push_back({request->tls_resumed ? "client.tls_resume" : "client.tls_full",
                         {request->tls_version == tls::Version::tls13 ? "1.3" : "1.2"}});
  else if (!request->in_handshake())
    hop.notes.push_back({request->attempt > 0 ? "client.request_retry" : "client.request",
                         {std::string(request->what->spec->method), request->what->spec->path, std::to_string(request->connection),
                          std::to_string(request->attempt)}});
  if (tls_cpu > 0)
    hop.notes.push_back({request->flight == 1 ? "client.key_share" : "client.finished"});
}

void ClientPopulation::trace_answer(Request* request) {
  results::TraceHop& hop = add_hop(request, *node_, 7, true, engine::Runtime::now());
  set_headers(hop, request->trace->wire, request->trace->wire);
  if (!request->in_handshake()) hop.message = "response " + results::status_name(request->answered ? request->status : results::kStatusReset);
}

void ClientPopulation::dispatch(Request* request) {
  if (finished_) {  // a retry due after the run was over
    world_.requests.release(request);
    return;
  }
  arm_timeout(request);
  place_on_connection(request);
}

void ClientPopulation::place_on_connection(Request* request) {
  switch (browsers_.place(request)) {
    case Browsers::Send::request: transmit(request, request->request_size); break;
    case Browsers::Send::handshake:
      // Retries are left out: a storm of them would count one request many times.
      if (request->measured && request->attempt == 0) ++stats_.connections_opened;
      transmit(request, kTcpSegmentBytes);
      break;
    case Browsers::Send::nothing: break;  // it goes when its connection is up
  }
}

void ClientPopulation::arm_timeout(Request* request) {
  if (spec_.timeout_s) arm_timeout_at(request, engine::Runtime::now() + *spec_.timeout_s);
}

void ClientPopulation::move_timeout(Request* from, Request* to) {
  to->timeout_timer = nullptr;
  if (from->timeout_timer == nullptr) return;
  from->timeout_timer->remove();
  from->timeout_timer = nullptr;
  arm_timeout_at(to, to->client_deadline);
}

void ClientPopulation::arm_timeout_at(Request* request, double deadline) {
  const std::uint64_t id = request->id;
  request->client_deadline = deadline;
  // Runs in the simulation kernel, like every client callback: nothing here blocks.
  request->timeout_timer = simgrid::kernel::timer::Timer::set(deadline, [this, request, id] {
    request->timeout_timer = nullptr;  // SimGrid deletes a timer once it has run
    // (An attempt answered meanwhile is finished, or recycled under another id.)
    if (request->id == id && request->client_state == Request::ClientState::pending && !finished_) on_timeout(request);
  });
}

bool ClientPopulation::may_retry(const Request* request) const {
  const config::RetrySpec& r = spec_.retries;
  if (request->attempt >= r.max_retries) return false;
  return r.budget.allows_another(active_retries_, outstanding_);
}

void ClientPopulation::schedule_retry(const Request* previous) {
  Request* next = world_.requests.acquire();
  next->id = (static_cast<std::uint64_t>(index_) << 48) | next_id_++;
  next->what = previous->what;
  hold(next->what);
  next->logged_service_s = previous->logged_service_s;
  next->user = previous->user;
  next->request_size = previous->request_size;
  next->response_size = previous->response_size;
  next->client = previous->client;
  next->flow.src_ip = previous->flow.src_ip;
  next->sent_at = previous->sent_at;  // the user has been waiting since the first attempt
  next->measured = previous->measured;
  next->attempt = static_cast<std::uint8_t>(previous->attempt + 1);
  next->trace = previous->trace;  // the user's request goes on: its trace too
  ++active_retries_;
  if (next->measured) ++world_.metrics.overall.retries;
  const double delay = spec_.retries.backoff.delay(previous->attempt, connection_random_.uniform01());
  engine::Agenda::at(engine::Runtime::now() + delay, [this, next] { dispatch(next); });
}

void ClientPopulation::on_timeout(Request* request) {
  // Its answer may still come: it will be dropped (and the object recycled) then.
  request->client_state = Request::ClientState::abandoned;
  if (request->attempt > 0) --active_retries_;
  const std::uint32_t source_ip = request->flow.src_ip;
  const std::uint64_t connection = request->connection;
  // Giving up closes the connection: its RST passes the L4 node, which forgets the flow.
  world_.l4_nodes[request->l4_node]->client_closed(request->flow);
  if (may_retry(request)) {
    schedule_retry(request);
    // The retry carries a live sample on; the abandoned attempt, still on its way, must
    // not write into it once the sample has been handed on and freed.
    if (request->trace != nullptr && world_.samples_in_flight.contains(request->trace)) request->trace = nullptr;
  } else {
    finish(request, results::kStatusTimeout);
  }
  // Swallowed on the way, it will never come back: recycle it now. (One still waiting
  // for its connection is recycled with the connection.)
  if (request->dropped) world_.requests.release(request);
  abandon_connection(source_ip, connection);
}

void ClientPopulation::abandon_connection(std::uint32_t source_ip, std::uint64_t connection) {
  for (Request* queued : browsers_.abandon(source_ip, connection)) {
    if (queued->client_state == Request::ClientState::abandoned) world_.requests.release(queued);
    else place_on_connection(queued);
  }
}

void ClientPopulation::complete_attempt(Request* request) {
  if (request->attempt > 0) --active_retries_;
  if (request->timeout_timer != nullptr) {
    request->timeout_timer->remove();
    request->timeout_timer = nullptr;
  }
  const std::uint16_t status = request->answered ? request->status : results::kStatusReset;
  if (status == results::kStatusReset) abandon_connection(request->flow.src_ip, request->connection);
  const bool retryable = status == results::kStatusReset || status >= 500;
  if (retryable && may_retry(request)) schedule_retry(request);
  else finish(request, status);
}

void ClientPopulation::finish(Request* request, std::uint16_t status) {
  if (request->trace != nullptr) {
    request->trace->status = status;
    request->trace->answered_at = engine::Runtime::now();
    request->trace->complete = true;
    if (const auto sample = world_.samples_in_flight.find(request->trace); sample != world_.samples_in_flight.end()) {
      world_.on_sample(*sample->second);
      request->trace = nullptr;
      world_.samples_in_flight.erase(sample);
    }
  }
  const auto latency = static_cast<std::uint64_t>(std::llround((engine::Runtime::now() - request->sent_at) * 1e9));
  auto& m = world_.metrics;
  if (request->measured) m.overall.record_answer(status, latency);
  m.timeline.record(engine::Runtime::now(), latency, !results::is_success(status), status);
  if (request->entry_zone != kNone) {
    auto& intervals = m.zone_timeline.at(request->entry_zone);
    const auto index = static_cast<std::size_t>(engine::Runtime::now() / m.timeline.interval());
    if (index >= intervals.size()) intervals.resize(index + 1);
    ++intervals[index].answered;
    if (!results::is_success(status)) ++intervals[index].failed;
  }
  if (request->measured && request->entry_zone != kNone) m.by_zone.at(request->entry_zone).record_answer(status, latency);
  if (request->measured && request->group != kNone) m.by_group.at(request->group).record_answer(status, latency);
  if (request->user != kNone) {
    // Closed loop: the user reads the answer, thinks, then is due again.
    due_.push({engine::Runtime::now() + spec_.arrival.think_time.sample(random_), request->user});
    user_ready_->notify_one();
  }
  --outstanding_;
  if (!request->measured) --outstanding_in_warmup_;
  if (done_sending_ && outstanding_ == 0) drained_->notify_all();
}

void ClientPopulation::on_answer(Request* request) {
  if (request->client_state == Request::ClientState::abandoned || finished_) {
    // An attempt the client gave up on answers too late: nobody waits for it any more.
    world_.requests.release(request);
    return;
  }
  if (request->trace != nullptr) trace_answer(request);
  if (request->in_handshake() && request->answered && request->status != results::kStatusReset) {
    on_handshake_flight(request);
    return;
  }
  stats_.rx_bytes += request->reply_bytes();
  browsers_.keep_cookies(*request);
  if (request->answered && request->status != results::kStatusReset) browsers_.keep_session();
  complete_attempt(request);
  world_.requests.release(request);
}

}  // namespace lbsim::models
