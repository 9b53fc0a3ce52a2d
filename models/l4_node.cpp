// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/l4_node.hpp"

#include "engine/runtime.hpp"
#include "models/backend.hpp"
#include "models/l7_node.hpp"
#include "models/client.hpp"
#include "models/tracing.hpp"

namespace sg4 = simgrid::s4u;

namespace lbsim::models {

L4Node::L4Node(World& world, topology::Vertex vertex)
    : world_(world),
      vertex_(vertex),
      zone_(world.topology.node(vertex).zone_index),
      host_(world.platform.host_of.at(vertex)),
      inbox_(host_),
      random_(Random::stream(world.spec.seed, host_->get_name())) {
  const auto& node = world.topology.node(vertex);
  stats_.name = node.name;
  stats_.kind = topology::NodeKind::l4;
  stats_.zone = node.zone;
  stats_.nic_Bps = world.spec.topology.intra_zone.bandwidth_Bps;
  if (world.spec.l4.packets_per_second > 0) per_message_s_ = 1.0 / world.spec.l4.packets_per_second;
}

void L4Node::connect_targets() {
  // The topology's out-edges are exactly the targets cross-zone allows.
  std::vector<balancing::Target> names;
  const auto& graph = world_.topology.graph();
  for (auto edge : boost::make_iterator_range(boost::out_edges(vertex_, graph))) {
    const topology::Vertex to = boost::target(edge, graph);
    const topology::Node& node = graph[to];
    names.push_back({node.name, static_cast<double>(node.weight)});
    if (node.kind == topology::NodeKind::l7) targets_.push_back({world_.l7_node_of_vertex.at(to), nullptr});
    else targets_.push_back({nullptr, world_.backend_of_vertex.at(to)});
  }
  const auto& l4 = world_.spec.l4;
  balancer_ = std::make_unique<l4::Balancer>(names, l4.algorithm, l4.algorithm_options, l4.panic_threshold_percent,
                                             l4.conntrack_capacity, l4.idle_timeout_s);

  // Health checks: of L7 nodes with the L4 tier's own check; of backends (L4-only) with
  // their target group's, as an NLB target group does.
  std::vector<engine::Inbox*> inboxes;
  std::vector<std::string> target_names;
  for (std::size_t t = 0; t < targets_.size(); ++t) {
    // NLB's checks here are TCP: the target's kernel answers them.
    inboxes.push_back(targets_[t].l7 != nullptr ? &targets_[t].l7->kernel_inbox() : &targets_[t].backend->kernel_inbox());
    target_names.push_back(names[t].name);
  }
  const health::ActiveCheckConfig check = (targets_.empty() || targets_.front().l7 != nullptr)
                                              ? l4.health_check
                                              : world_.spec.target_groups.at(targets_.front().backend->group()).health_check;
  actively_healthy_.assign(targets_.size(), true);
  prober_ = std::make_unique<HealthProber>(world_, host_, host_->get_name() + "-hc", results::HealthSource::l4_check, check,
                                           std::move(inboxes), std::move(target_names), [this](std::size_t t, bool healthy) {
                                             actively_healthy_[t] = healthy;
                                             apply_health(t);
                                           });
  // Passive checks read the target's answers, which only come back through the node
  // under DNAT; NLB skips them for sticky groups (a client must stay on its target).
  const bool sticky = !targets_.empty() && targets_.front().backend != nullptr &&
                      world_.spec.target_groups.at(targets_.front().backend->group()).sticky_duration_s.has_value();
  if (l4.passive_health_checks && l4.forwarding == config::Forwarding::dnat && !sticky) {
    passive_ = std::make_unique<health::PassiveCheck>(targets_.size(), check.unhealthy_threshold);
    prober_->on_pass([this](std::size_t t) { passive_probe_passed(t); });
  }
}

void L4Node::apply_health(std::size_t target) {
  const bool passively_out = passive_ && passive_->out(target);
  balancer_->targets().set_healthy(target, actively_healthy_[target] && !passively_out, engine::Runtime::now());
  world_.note_dns_changes();  // a node left without a healthy target leaves DNS's answer
}

void L4Node::judge_first_answer(const Request* request) {
  const auto target = balancer_->conntrack().note_answered(request->flow);
  if (!target) return;  // not its first answer, or untracked
  // A reset in answer to the SYN: nothing listens there. Any other first answer (a
  // SYN-ACK, or a reply on a flow the table had forgotten) shows the target serving.
  if (request->in_handshake() && request->flight == 0 && request->status == results::kStatusReset) passive_failure(*target, "reset");
  else passive_->connection_succeeded(*target);
}

void L4Node::judge_overdue_syns(double now) {
  while (!pending_syns_.empty() && pending_syns_.front().deadline <= now) {
    const PendingSyn syn = pending_syns_.front();
    pending_syns_.pop_front();
    // Answered, reset or given up since (the flow is gone or answered): nothing to judge.
    if (balancer_->conntrack().unanswered(syn.flow) != syn.target) continue;
    balancer_->conntrack().note_answered(syn.flow);  // judged: the client's later give-up is no second failure
    passive_failure(syn.target, "left unanswered for 1 s: the client resent its SYN");
  }
}

void L4Node::passive_failure(std::uint32_t target, const char* how) {
  if (!passive_->connection_failed(target)) return;
  const std::uint32_t threshold = passive_->threshold();
  world_.metrics.health_events.push_back({engine::Runtime::now(), name() + "-passive", target_node(targets_[target]).name, false,
                                          std::to_string(threshold) + (threshold == 1 ? " connection" : " connections") +
                                              " in a row failed on live traffic (the last " + how + ")",
                                          0.0, results::HealthSource::l4_passive});
  apply_health(target);
}

void L4Node::passive_probe_passed(std::size_t target) {
  if (!passive_->probe_passed(target)) return;
  world_.metrics.health_events.push_back({engine::Runtime::now(), name() + "-passive", target_node(targets_[target]).name, true,
                                          "passed an active probe after passive checks took it out", 0.0,
                                          results::HealthSource::l4_passive});
  apply_health(target);
}

void L4Node::start() {
  prober_->start();
  if (per_message_s_ > 0) {
    // A packet-rate limit holds the node's data path: an actor that takes its time.
    sg4::Actor::create(host_->get_name(), host_, [this] { loop(); })->daemonize();
    return;
  }
  // Otherwise forwarding takes no simulated time: each message is handled on arrival.
  inbox_.set_handler([this](void* payload) { handle(static_cast<Request*>(payload)); });
}

void L4Node::receive_request(Request* request, sg4::Host* from) {
  engine::Transport::send_from(from, inbox_, request, request->wire_bytes);
}

void L4Node::loop() {
  for (;;) {
    Request* request = inbox_.take_as<Request>();
    // A packet-rate limit: forwarding holds the node's one data path for 1/pps.
    sg4::this_actor::sleep_for(per_message_s_);
    stats_.busy_seconds += per_message_s_;
    handle(request);
  }
}

void L4Node::handle(Request* request) {
  if (request->answered) relay_reply(request);
  else forward(request);
}

void L4Node::forward(Request* request) {
  const double bytes = request->wire_bytes;
  const double now = engine::Runtime::now();
  const bool handshake = request->in_handshake();
  stats_.rx_bytes += bytes;
  if (!handshake) {
    ++stats_.requests;
    request->entry_zone = zone_;
    if (request->measured) ++world_.metrics.by_zone.at(zone_).sent;
  }

  // Flows idle past the timeout end even if their client never comes back. Checked as
  // traffic passes rather than on a timer of its own: no extra events, and the cost is
  // one comparison unless something expires.
  balancer_->expire_idle(now);
  if (passive_) judge_overdue_syns(now);
  // A new flow is picked and tracked; a tracked one stays on its target whatever the
  // checks say since. Only a SYN awaits an answer: a connection the table had forgotten
  // (idled out, evicted) and now sees mid-stream was answered long ago.
  const auto choice = balancer_->route(request->flow, request->flow_hash, request->source_hash, random_, now, passive_ && handshake);
  if (!choice) {
    // Every target deregistered or shifted away: nothing to connect to.
    if (request->trace != nullptr) trace_refusal(request, {"l4.no_target"});
    request->reset();
    send_reply(request);
    return;
  }
  const std::uint32_t chosen = choice->target;
  if (!choice->tracked && passive_ && handshake) pending_syns_.push_back({now + health::kSynAnswerSeconds, request->flow, chosen});
  // The client's FIN after its last request ends the flow. Under DNAT the node sees the
  // last answer go back first and closes the flow then (relay_reply), so a slow target
  // holds its connections longer; under DSR the answer bypasses the node, and the last
  // request is the last this node knows of the connection.
  if (request->closes_connection && !handshake && world_.spec.l4.forwarding == config::Forwarding::dsr) close_flow(request->flow);

  const Target& target = targets_[chosen];
  if (target.backend != nullptr && !handshake) {
    request->group = target.backend->group();
    if (request->measured) ++world_.metrics.by_group.at(request->group).sent;
  }
  // The accept queue admits requests; handshake segments ride on the connection.
  if (target.backend != nullptr && !handshake && !target.backend->admit(request)) {
    // The backend's accept queue is full: the client sees a reset, not an HTTP answer.
    if (request->trace != nullptr) trace_refusal(request, {"l4.accept_queue_full", {target.backend->name()}});
    close_flow(request->flow);
    request->reset();
    send_reply(request);
    return;
  }
  // DNAT: the reply comes back through this node, which rewrites the source back to the
  // VIP. DSR: the target answers the client from the VIP itself; this node never sees it.
  if (world_.spec.l4.forwarding == config::Forwarding::dnat) request->push_reply(&inbox_);
  if (request->trace != nullptr) trace_forward(request, target, choice->tracked);
  stats_.tx_bytes += bytes;
  if (target.l7 != nullptr) target.l7->deliver(request, bytes, host_);
  else target.backend->deliver(request, bytes, host_);
}

void L4Node::relay_reply(Request* request) {
  if (request->trace != nullptr) {
    // DNAT's reverse mapping: the source becomes the VIP again.
    results::TraceHop& hop = add_hop(request, world_.topology.node(vertex_), 4, true, engine::Runtime::now());
    const l4::PacketHeader in = request->trace->wire;
    l4::forward_frame(request->trace->wire, mac_of(node_address(world_.topology.node(vertex_))), mac_of(in.dst_ip));
    l4::dnat_reply(request->trace->wire, kVirtualIp, kVirtualPort);
    set_headers(hop, in, request->trace->wire);
    hop.read = {"src_ip", "src_port", "dst_ip", "dst_port", "protocol"};
    hop.notes.push_back({"l4.dnat_reply"});
  }
  stats_.rx_bytes += request->reply_bytes();
  if (passive_) judge_first_answer(request);
  // A reset ends the connection at any point; otherwise its last answer does.
  if (request->status == results::kStatusReset || (request->closes_connection && !request->in_handshake())) close_flow(request->flow);
  send_reply(request);
}

void L4Node::client_closed(const l4::FlowKey& flow) {
  if (dark_) return;
  // Given up before the target answered its handshake: a failed connection.
  const bool never_answered = balancer_->conntrack().unanswered(flow).has_value();
  const auto target = balancer_->close(flow);
  if (!target) return;
  if (never_answered) passive_failure(*target, "never answered before its client gave up");
}

void L4Node::close_flow(const l4::FlowKey& flow) {
  balancer_->close(flow);
}

void L4Node::send_reply(Request* request) {
  const double bytes = request->reply_bytes();
  stats_.tx_bytes += bytes;
  engine::Transport::send_from(host_, *request->pop_reply(), request, bytes);
}

const topology::Node& L4Node::target_node(const Target& target) const {
  return world_.topology.node(target.l7 != nullptr ? target.l7->vertex() : target.backend->vertex());
}

void L4Node::trace_forward(Request* request, const Target& target, bool tracked) {
  const topology::Node& to = target_node(target);
  results::TraceHop& hop = add_hop(request, world_.topology.node(vertex_), 4, false, engine::Runtime::now());
  hop.read = {"src_ip", "src_port", "dst_ip", "dst_port", "protocol"};
  if (tracked) hop.notes.push_back({"l4.existing_flow", {to.name}});
  else hop.notes.push_back({"l4.new_flow", {world_.spec.l4.algorithm, to.name}});
  hop.notes.push_back({"l4.reads_tcp_only"});
  const l4::PacketHeader in = request->trace->wire;
  const std::uint32_t target_ip = node_address(to);
  const l4::MacAddress my_mac = mac_of(node_address(world_.topology.node(vertex_)));
  if (world_.spec.l4.forwarding == config::Forwarding::dnat) {
    // Routed: a new frame to the target (L2), and the destination rewritten (L3).
    l4::forward_frame(request->trace->wire, my_mac, mac_of(target_ip));
    l4::apply_dnat(request->trace->wire, target_ip, kVirtualPort);
    hop.notes.push_back({"l4.dnat"});
  } else {
    l4::apply_dsr(request->trace->wire, my_mac, mac_of(target_ip));
    hop.notes.push_back({"l4.dsr"});
  }
  set_headers(hop, in, request->trace->wire);
}

void L4Node::trace_refusal(Request* request, text::Note why) {
  results::TraceHop& hop = add_hop(request, world_.topology.node(vertex_), 4, false, engine::Runtime::now());
  hop.notes.push_back(std::move(why));
}

void L4Node::go_dark() {
  dark_ = true;
  prober_->set_paused(true);
  inbox_.divert([this](void* payload) { world_.drop(static_cast<Request*>(payload)); });
}

void L4Node::recover() {
  dark_ = false;
  balancer_->conntrack().clear();  // its state went with it: every connection through it is gone
  pending_syns_.clear();
  inbox_.restore();
  prober_->set_paused(false);
}

std::uint32_t L4Node::zone_of_target(std::size_t t) const {
  return targets_[t].l7 != nullptr ? targets_[t].l7->zone() : targets_[t].backend->zone();
}

void L4Node::set_zone_shifted(std::uint32_t zone, bool shifted) {
  bool elsewhere = false;
  for (std::size_t t = 0; t < targets_.size(); ++t) elsewhere = elsewhere || zone_of_target(t) != zone;
  if (!elsewhere) return;  // cross-zone off: DNS takes this node out instead
  for (std::size_t t = 0; t < targets_.size(); ++t)
    if (zone_of_target(t) == zone) balancer_->targets().set_taken_out(t, RoutableTargets::Reason::zonal_shift, shifted);
}

void L4Node::set_deregistered(const Backend* backend, bool out) {
  for (std::size_t t = 0; t < targets_.size(); ++t)
    if (targets_[t].backend == backend) balancer_->targets().set_taken_out(t, RoutableTargets::Reason::deregistered, out);
}

}  // namespace lbsim::models
