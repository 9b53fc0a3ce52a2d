// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/client.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>

#include "engine/runtime.hpp"
#include "models/l4_node.hpp"

namespace sg4 = simgrid::s4u;

namespace lbsim::models {

ClientPopulation::ClientPopulation(World& world, std::uint32_t index, topology::Vertex vertex)
    : world_(world),
      spec_(world.spec.clients.at(index)),
      index_(index),
      host_(world.platform.host_of.at(vertex)),
      inbox_(host_),
      random_(Random::stream(world.spec.seed, host_->get_name())),
      mutex_(sg4::Mutex::create()),
      drained_(sg4::ConditionVariable::create()) {
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
  for (const auto& group : world.spec.target_groups)
    if (group.sticky_duration_s) keeps_cookies_ = true;
  stats_.name = world.topology.node(vertex).name;
  stats_.kind = topology::NodeKind::client;
  stats_.nic_Bps = world.spec.topology.internet.bandwidth_Bps;
}

void ClientPopulation::start() {
  sg4::ActorPtr sink = sg4::Actor::create(host_->get_name() + "-sink", host_, [this] { this->sink(); });
  sink->daemonize();
  // The generator is the only non-daemon actor kind: the run ends when every
  // population has sent its traffic and received every answer.
  sg4::Actor::create(host_->get_name() + "-gen", host_, [this] { generate(); });
}

const MixEntry& ClientPopulation::draw_mix_entry() {
  const double ticket = random_.uniform01() * mix_cumulative_.back();
  const auto it = std::upper_bound(mix_cumulative_.begin(), mix_cumulative_.end(), ticket);
  return mix_[std::min<std::size_t>(static_cast<std::size_t>(it - mix_cumulative_.begin()), mix_.size() - 1)];
}

void ClientPopulation::open_connection() {
  flow_.src_ip = kClientNetwork + static_cast<std::uint32_t>(random_.below(spec_.source_ips));
  flow_.dst_ip = kVirtualIp;
  flow_.src_port = static_cast<std::uint16_t>(32768 + next_port_);  // Linux's ephemeral range
  next_port_ = static_cast<std::uint16_t>((next_port_ + 1) % 28232);
  flow_.dst_port = kVirtualPort;
  flow_.protocol = l4::Protocol::tcp;
  flow_hash_ = l4::hash_flow(flow_);
  source_hash_ = l4::hash_source_ip(flow_.src_ip);
  // DNS answers with every L4 node's address; the client takes one at random.
  l4_node_ = static_cast<std::uint32_t>(random_.below(world_.l4_nodes.size()));
  requests_left_on_connection_ = spec_.requests_per_connection;
}

void ClientPopulation::generate() {
  const double mean_gap = 1.0 / spec_.arrival.rate_per_s;
  const double end = world_.spec.duration_s;
  for (double t = random_.exponential(mean_gap); t < end; t += random_.exponential(mean_gap)) {
    sg4::this_actor::sleep_until(t);
    if (requests_left_on_connection_ == 0) open_connection();
    --requests_left_on_connection_;

    Request* request = world_.requests.acquire();
    const MixEntry& what = draw_mix_entry();
    request->id = (static_cast<std::uint64_t>(index_) << 48) | next_id_++;
    request->what = &what;
    request->client = index_;
    request->flow = flow_;
    request->flow_hash = flow_hash_;
    request->source_hash = source_hash_;
    request->closes_connection = requests_left_on_connection_ == 0;
    request->sent_at = engine::Runtime::now();
    if (keeps_cookies_) {
      if (const auto found = cookie_jar_.find(flow_.src_ip); found != cookie_jar_.end())
        Request::copy_cookie(found->second, request->sticky_cookie, request->sticky_cookie_length);
    }
    request->push_reply(&inbox_);

    ++outstanding_;
    ++stats_.requests;
    stats_.tx_bytes += what.spec->request_bytes;
    world_.l4_nodes[l4_node_]->receive_request(request);
  }
  std::unique_lock lock(*mutex_);
  done_sending_ = true;
  while (outstanding_ > 0) drained_->wait(lock);
}

void ClientPopulation::sink() {
  for (;;) {
    Request* request = inbox_.take_as<Request>();
    on_answer(request);
    world_.requests.release(request);
    --outstanding_;
    if (done_sending_ && outstanding_ == 0) drained_->notify_all();
  }
}

void ClientPopulation::on_answer(Request* request) {
  if (request->set_cookie_length > 0)
    cookie_jar_[request->flow.src_ip].assign(request->set_cookie.data(), request->set_cookie_length);
  const auto latency = static_cast<std::uint64_t>(std::llround((engine::Runtime::now() - request->sent_at) * 1e9));
  const std::uint16_t status = request->answered ? request->status : engine::kStatusReset;
  stats_.rx_bytes += request->reply_bytes();
  auto& m = world_.metrics;
  m.overall.record_answer(status, latency);
  if (request->entry_zone != kNone) m.by_zone.at(request->entry_zone).record_answer(status, latency);
  if (request->group != kNone) m.by_group.at(request->group).record_answer(status, latency);
}

}  // namespace lbsim::models
