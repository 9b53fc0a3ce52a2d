// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The commands a watched run (lbsim run --stream) reads on its control channel, one JSON
// object per line (see cli/stream.hpp for the list), and the bounded reader they arrive
// through. The channel is an input like any other: whatever arrives on it — bytes that
// are not UTF-8, a line with no end, JSON nested a million deep — gets one "rejected"
// event and the run goes on, with memory and time per tick bounded.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace lbsim::cli {

// Longer lines are rejected (a fault command is a few hundred bytes).
inline constexpr std::size_t kMaxCommandLineBytes = 64 * 1024;
// Deeper JSON is rejected before it is parsed (a fault command nests two levels).
inline constexpr int kMaxCommandDepth = 16;
// "speed" outside (0, this] is refused: beyond it a tick's wall-clock wait underflows.
inline constexpr double kMaxSpeed = 1e6;
inline constexpr double kMinSpeed = 1e-3;
// At most this much is read from the channel per tick, so that a writer that never
// stops (stdin from /dev/zero) cannot hold the simulation at one instant.
inline constexpr std::size_t kMaxCommandBytesPerPoll = 256 * 1024;

struct FaultCommand {
  std::string fault_json;  // the "fault" object, for config::load_live_fault
};
struct RecoverCommand {
  std::size_t fault = 0;  // the index its fault event gave
};
struct PauseCommand {};
struct ResumeCommand {};
struct SpeedCommand {
  double value = 0;  // simulated seconds per wall second; 0: as fast as possible
};
struct BlankLine {};
struct BadCommand {
  std::string why;
};
using Command = std::variant<BlankLine, FaultCommand, RecoverCommand, PauseCommand, ResumeCommand, SpeedCommand, BadCommand>;

// One line of the channel (without its newline) as a command, or why it is not one.
Command parse_command(std::string_view line);

// What a "rejected" event quotes of a line: its start, escaped (never raw bytes).
std::string command_excerpt(std::string_view line);

// A speed as a user gives it: "max" or "0" (as fast as possible), "realtime" (1),
// "10x" or "10" (ten times real time); nothing when out of range or not a number.
std::optional<double> parse_speed(const std::string& text);

// Lines from a file descriptor, read without blocking unless asked to. A line longer
// than kMaxCommandLineBytes is dropped up to its newline and reported once, as an
// Overlong entry, so the buffer never holds more than that.
class CommandLineReader {
public:
  struct Overlong {};
  using Entry = std::variant<std::string, Overlong>;

  explicit CommandLineReader(int fd) : fd_(fd) {}
  // Starts a poll: from here, next(false) reads at most kMaxCommandBytesPerPoll bytes.
  void begin_poll() { read_since_poll_ = 0; }
  // The next complete line (or the news that one was too long), if there is one; with
  // `wait`, blocks until there is one or the channel closes. A last line without its
  // newline counts once the channel has closed.
  std::optional<Entry> next(bool wait);
  bool closed() const { return fd_ < 0 || closed_; }

private:
  std::optional<Entry> take_line();
  bool fill(bool wait);

  int fd_;
  bool closed_ = false;
  bool skipping_ = false;      // inside an overlong line: drop bytes up to its newline
  std::size_t read_since_poll_ = 0;
  std::string buffer_;
};

}  // namespace lbsim::cli
