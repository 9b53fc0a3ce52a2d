// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/health_prober.hpp"

#include "engine/runtime.hpp"

namespace sg4 = simgrid::s4u;

namespace lbsim::models {

HealthProber::HealthProber(World& world, sg4::Host* host, std::string name, results::HealthSource source,
                           health::ActiveCheckConfig config, std::vector<engine::Inbox*> targets,
                           std::vector<std::string> target_names, OnChange on_change)
    : world_(world),
      host_(host),
      name_(std::move(name)),
      source_(source),
      inbox_(host),
      random_(Random::stream(world.spec.seed, name_)),
      targets_(std::move(targets)),
      target_names_(std::move(target_names)),
      on_change_(std::move(on_change)) {
  // The simulation starts in steady state: targets are trusted until checks say otherwise.
  checks_.assign(targets_.size(), health::ActiveCheck(config, health::State::healthy, 0.0));
}

void HealthProber::start() {
  if (targets_.empty()) return;
  sg4::Actor::create(name_, host_, [this] { loop(); })->daemonize();
}

void HealthProber::loop() {
  const health::ActiveCheckConfig& config = checks_.front().config();
  // Each node checks at its own phase, as independent balancer nodes do.
  sg4::this_actor::sleep_until(random_.uniform01() * config.interval_s);
  for (std::uint32_t round = 1;; ++round) {
    const double started = engine::Runtime::now();
    if (paused_) {
      collect_answers(round);  // (recycles late answers)
      sg4::this_actor::sleep_until(started + config.interval_s);
      continue;
    }
    send_probes(round);
    sg4::this_actor::sleep_until(started + config.timeout_s);
    const std::vector<bool> answered = collect_answers(round);
    const double now = engine::Runtime::now();
    for (std::size_t t = 0; t < checks_.size(); ++t) {
      const health::CheckTransition transition = checks_[t].record(answered[t], now);
      if (transition.changed()) {
        world_.metrics.health_events.push_back(
            {now, name_, target_names_[t], checks_[t].receives_traffic(), transition.reason(), 0.0, source_});
        on_change_(t, checks_[t].receives_traffic());
      }
      if (answered[t] && on_pass_) on_pass_(t);
    }
    sg4::this_actor::sleep_until(started + config.interval_s);
  }
}

void HealthProber::send_probes(std::uint32_t round) {
  for (std::uint32_t t = 0; t < targets_.size(); ++t) {
    Request* probe = world_.requests.acquire();
    probe->is_probe = true;
    probe->probe_round = round;
    probe->probe_target = t;
    probe->push_reply(&inbox_);
    engine::Transport::send(*targets_[t], probe, kProbeBytes);
  }
}

std::vector<bool> HealthProber::collect_answers(std::uint32_t round) {
  std::vector<bool> answered(targets_.size(), false);
  while (void* message = inbox_.try_take()) {
    Request* probe = static_cast<Request*>(message);
    // An answer to an earlier round came after its timeout: that round already failed it.
    // A reset (nothing listening) fails the check as surely as silence.
    if (probe->probe_round == round && probe->status == 200) answered[probe->probe_target] = true;
    world_.requests.release(probe);
  }
  return answered;
}

}  // namespace lbsim::models
