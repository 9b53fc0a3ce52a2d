// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/stream.hpp"

#include <nlohmann/json.hpp>
#include <poll.h>

#include <utility>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <thread>

#include "config/loader.hpp"
#include "models/simulation.hpp"

namespace lbsim::cli {
namespace {

// Lines from a file descriptor, read without blocking unless asked to.
class LineReader {
public:
  explicit LineReader(int fd) : fd_(fd) {}
  // The next complete line, if one is there (or, with `wait`, once one arrives).
  std::optional<std::string> next(bool wait) {
    for (;;) {
      if (const auto newline = buffer_.find('\n'); newline != std::string::npos) {
        std::string line = buffer_.substr(0, newline);
        buffer_.erase(0, newline + 1);
        return line;
      }
      if (fd_ < 0 || closed_ || !fill(wait)) return std::nullopt;
    }
  }
  bool closed() const { return fd_ < 0 || closed_; }

private:
  bool fill(bool wait) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, wait ? -1 : 0) <= 0) return false;
    char chunk[4096];
    const ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n <= 0) {
      closed_ = true;  // end of input: no more commands
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }
  int fd_;
  bool closed_ = false;
  std::string buffer_;
};

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
    while (const auto line = reader_.next(false)) obey(*line, now, faults);
    while (paused_ && !reader_.closed()) {  // a paused run waits for its next command
      if (const auto line = reader_.next(true)) obey(*line, now, faults);
    }
    if (paused_) resume(now);  // nobody left to say "resume"
    return faults;
  }
  // The faults a "recover" command asked to end, since the last call.
  std::vector<std::size_t> take_ends() { return std::exchange(ends_, {}); }

private:
  void obey(const std::string& line, double now, std::vector<config::FaultSpec>& faults) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) return;
    nlohmann::json command;
    try {
      command = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception&) {
      return reject(line, "not a JSON object");
    }
    const std::string cmd = command.is_object() && command.contains("cmd") && command["cmd"].is_string() ? command["cmd"].get<std::string>() : "";
    if (cmd == "fault") {
      if (!command.contains("fault")) return reject(line, "a fault command needs \"fault\": {kind: ..., ...}");
      try {
        faults.push_back(config::load_live_fault(spec_, command["fault"].dump(), "command"));
      } catch (const config::ConfigError& e) {
        reject(line, e.what());
      }
    } else if (cmd == "recover") {
      if (!command.contains("fault") || !command["fault"].is_number_unsigned())
        return reject(line, "a recover command needs \"fault\": the index its fault event gave");
      ends_.push_back(command["fault"].get<std::size_t>());
    } else if (cmd == "pause") {
      paused_ = true;
      writer_.note("paused", {{"t", now}});
    } else if (cmd == "resume") {
      resume(now);
    } else if (cmd == "speed" && command.contains("value") && command["value"].is_number() && command["value"].get<double>() >= 0) {
      pacer_.set_speed(command["value"].get<double>(), now);
      writer_.note("speed", {{"t", now}, {"value", command["value"].get<double>()}});
    } else {
      reject(line, "expected a command: fault, recover, pause, resume or speed (with a value >= 0)");
    }
  }
  void resume(double now) {
    paused_ = false;
    pacer_.restart(now);
    writer_.note("resumed", {{"t", now}});
  }
  void reject(const std::string& line, const std::string& why) { writer_.note("rejected", {{"command", line}, {"error", why}}); }

  const config::ScenarioSpec& spec_;
  reports::StreamWriter& writer_;
  LineReader reader_;
  Pacer pacer_;
  bool paused_ = false;
  std::vector<std::size_t> ends_;
};

}  // namespace

results::RunResult run_streamed(const config::ScenarioSpec& spec, const StreamOptions& options, reports::StreamWriter& writer) {
  Steering steering(spec, options, writer);
  models::LiveHooks hooks;
  hooks.tick_s = options.tick_s;
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

std::optional<double> parse_speed(const std::string& text) {
  if (text == "max") return 0.0;
  if (text == "realtime") return 1.0;
  std::string number = text;
  if (!number.empty() && number.back() == 'x') number.pop_back();
  double value = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc{} || end != number.data() + number.size() || value < 0) return std::nullopt;
  return value;
}

}  // namespace lbsim::cli
