// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/stream.hpp"

#include <chrono>
#include <thread>
#include <type_traits>
#include <utility>
#include <variant>

#include "cli/stream_commands.hpp"
#include "config/loader.hpp"
#include "models/simulation.hpp"

namespace lbsim::cli {
namespace {

// Faults given while one run goes are bounded like any list a user can grow.
constexpr std::size_t kMaxLiveFaults = 10000;

// Keeps simulated time from running ahead of the wall clock times the speed.
class Pacer {
public:
  explicit Pacer(double speed) { set_speed(speed, 0); }
  void set_speed(double speed, double now) {
    speed_ = speed;
    restart(now);
  }
  // Pace from here on (after a pause, the time it lasted is not made up for).
  void restart(double now) {
    origin_wall_ = std::chrono::steady_clock::now();
    origin_sim_ = now;
  }
  void wait_for(double now) const {
    if (speed_ <= 0) return;
    const auto due = origin_wall_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                        std::chrono::duration<double>((now - origin_sim_) / speed_));
    std::this_thread::sleep_until(due);
  }

private:
  double speed_ = 0;
  std::chrono::steady_clock::time_point origin_wall_;
  double origin_sim_ = 0;
};

class Steering {
public:
  Steering(const config::ScenarioSpec& spec, const StreamOptions& options, reports::StreamWriter& writer)
      : spec_(spec), writer_(writer), reader_(options.command_fd), pacer_(options.speed) {}

  std::vector<config::FaultSpec> poll(double now) {
    pacer_.wait_for(now);
    std::vector<config::FaultSpec> faults;
    reader_.begin_poll();
    while (const auto entry = reader_.next(false)) obey(*entry, now, faults);
    while (paused_ && !reader_.closed()) {  // a paused run waits for its next command
      if (const auto entry = reader_.next(true)) obey(*entry, now, faults);
    }
    if (paused_) resume(now);  // nobody left to say "resume"
    return faults;
  }
  // The faults a "recover" command asked to end, since the last call.
  std::vector<std::size_t> take_ends() { return std::exchange(ends_, {}); }

private:
  void obey(const CommandLineReader::Entry& entry, double now, std::vector<config::FaultSpec>& faults) {
    if (std::holds_alternative<CommandLineReader::Overlong>(entry))
      return reject("(a line over " + std::to_string(kMaxCommandLineBytes) + " bytes)", "a command line is at most " + std::to_string(kMaxCommandLineBytes) + " bytes");
    const std::string& line = std::get<std::string>(entry);
    std::visit(
        [&](const auto& command) {
          using C = std::decay_t<decltype(command)>;
          if constexpr (std::is_same_v<C, BadCommand>) reject(command_excerpt(line), command.why);
          else if constexpr (std::is_same_v<C, FaultCommand>) start_fault(line, command, faults);
          else if constexpr (std::is_same_v<C, RecoverCommand>) ends_.push_back(command.fault);
          else if constexpr (std::is_same_v<C, PauseCommand>) pause(now);
          else if constexpr (std::is_same_v<C, ResumeCommand>) resume(now);
          else if constexpr (std::is_same_v<C, SpeedCommand>) set_speed(command.value, now);
        },
        parse_command(line));
  }
  void start_fault(const std::string& line, const FaultCommand& command, std::vector<config::FaultSpec>& faults) {
    if (live_faults_ >= kMaxLiveFaults)
      return reject(command_excerpt(line), "at most " + std::to_string(kMaxLiveFaults) + " faults may be given to one run");
    try {
      faults.push_back(config::load_live_fault(spec_, command.fault_json, "command"));
      ++live_faults_;
    } catch (const config::ConfigError& e) {
      reject(command_excerpt(line), e.what());
    }
  }
  void pause(double now) {
    paused_ = true;
    writer_.note("paused", {{"t", now}});
  }
  void resume(double now) {
    paused_ = false;
    pacer_.restart(now);
    writer_.note("resumed", {{"t", now}});
  }
  void set_speed(double value, double now) {
    pacer_.set_speed(value, now);
    writer_.note("speed", {{"t", now}, {"value", value}});
  }
  // `shown` is already an escaped excerpt: a rejected line's raw bytes never reach the stream.
  void reject(const std::string& shown, const std::string& why) { writer_.note("rejected", {{"command", shown}, {"error", why}}); }

  const config::ScenarioSpec& spec_;
  reports::StreamWriter& writer_;
  CommandLineReader reader_;
  Pacer pacer_;
  bool paused_ = false;
  std::vector<std::size_t> ends_;
  std::size_t live_faults_ = 0;
};

}  // namespace

results::RunResult run_streamed(const config::ScenarioSpec& spec, const StreamOptions& options, reports::StreamWriter& writer) {
  Steering steering(spec, options, writer);
  models::LiveHooks hooks;
  hooks.tick_s = options.tick_s;
  hooks.sample_every_s = options.sample_every_s;
  hooks.on_sample = [&writer](const results::Trace& trace) { writer.sample(trace); };
  hooks.on_tick = [&writer](const results::RunMetrics& metrics, double now) { writer.tick(metrics, now); };
  hooks.poll = [&steering](double now) { return steering.poll(now); };
  hooks.on_rejected = [&writer](const config::FaultSpec& fault, const std::string& why) {
    writer.note("rejected", {{"command", fault.label}, {"error", why}});
  };
  hooks.take_ends = [&steering] { return steering.take_ends(); };
  hooks.on_rejected_end = [&writer](std::size_t fault) {
    writer.note("rejected", {{"command", "recover"}, {"error", "fault " + std::to_string(fault) + " is not in force"}});
  };
  writer.start(options.tick_s);
  models::RunOptions run;
  run.live = &hooks;
  return models::run_scenario(spec, run);
}

}  // namespace lbsim::cli
