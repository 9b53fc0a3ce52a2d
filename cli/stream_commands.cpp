// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/stream_commands.hpp"

#include <nlohmann/json.hpp>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>

#include "util/strings.hpp"

namespace lbsim::cli {
namespace {

using json = nlohmann::json;

// How deep `text` nests arrays and objects, counted without parsing (strings skipped),
// stopping as soon as it passes `limit`: the JSON parser and a value's dump recurse.
int nesting_depth(std::string_view text, int limit) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) break;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

bool blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

Command speed_command(const json& command) {
  const char* const why = "a speed command needs \"value\": 0 (as fast as possible) or from 0.001 to 1000000 simulated seconds per wall second";
  if (!command.contains("value") || !command["value"].is_number()) return BadCommand{why};
  const double value = command["value"].get<double>();
  if (!(value == 0 || (value >= kMinSpeed && value <= kMaxSpeed))) return BadCommand{why};
  return SpeedCommand{value};
}

}  // namespace

Command parse_command(std::string_view line) {
  if (blank(line)) return BlankLine{};
  if (line.size() > kMaxCommandLineBytes) return BadCommand{"a command line is at most " + std::to_string(kMaxCommandLineBytes) + " bytes"};
  if (const auto bad = first_invalid_utf8(line))
    return BadCommand{"not UTF-8: byte " + printable(line.substr(*bad, 1)) + " at column " + std::to_string(*bad + 1)};
  if (nesting_depth(line, kMaxCommandDepth) > kMaxCommandDepth)
    return BadCommand{"JSON nested deeper than " + std::to_string(kMaxCommandDepth) + " levels"};
  json command;
  try {
    command = json::parse(line);
  } catch (const json::parse_error& e) {
    return BadCommand{"not JSON (column " + std::to_string(e.byte) + "): expected one object per line"};
  } catch (const json::out_of_range&) {  // a number beyond a double, such as 5e777 (found by fuzzing: it aborted the run)
    return BadCommand{"a number in the command is out of range"};
  }
  if (!command.is_object()) return BadCommand{"expected a JSON object, like {\"cmd\": \"pause\"}"};
  const auto cmd = command.find("cmd");
  const std::string name = cmd != command.end() && cmd->is_string() ? cmd->get<std::string>() : "";
  if (name == "fault") {
    if (!command.contains("fault")) return BadCommand{"a fault command needs \"fault\": {kind: ..., ...}"};
    return FaultCommand{command["fault"].dump()};
  }
  if (name == "recover") {
    if (!command.contains("fault") || !command["fault"].is_number_unsigned())
      return BadCommand{"a recover command needs \"fault\": the index its fault event gave"};
    return RecoverCommand{command["fault"].get<std::size_t>()};
  }
  if (name == "pause") return PauseCommand{};
  if (name == "resume") return ResumeCommand{};
  if (name == "speed") return speed_command(command);
  return BadCommand{"expected a command: fault, recover, pause, resume or speed"};
}

std::string command_excerpt(std::string_view line) {
  constexpr std::size_t kShown = 200;
  if (line.size() <= kShown) return printable(line);
  return printable(line.substr(0, kShown)) + "... (" + std::to_string(line.size()) + " bytes)";
}

std::optional<double> parse_speed(const std::string& text) {
  if (text == "max") return 0.0;
  if (text == "realtime") return 1.0;
  std::string number = text;
  if (!number.empty() && number.back() == 'x') number.pop_back();
  double value = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc{} || end != number.data() + number.size()) return std::nullopt;
  if (!(value == 0 || (value >= kMinSpeed && value <= kMaxSpeed))) return std::nullopt;
  return value;
}

std::optional<CommandLineReader::Entry> CommandLineReader::next(bool wait) {
  for (;;) {
    if (auto entry = take_line()) return entry;
    if (closed()) {
      if (buffer_.empty() || skipping_) return std::nullopt;
      std::string last = std::move(buffer_);  // a last line without its newline
      buffer_.clear();
      return last;
    }
    if (!wait && read_since_poll_ >= kMaxCommandBytesPerPoll) return std::nullopt;
    if (!fill(wait) && !closed()) return std::nullopt;
  }
}

std::optional<CommandLineReader::Entry> CommandLineReader::take_line() {
  if (skipping_) {
    const auto newline = buffer_.find('\n');
    if (newline == std::string::npos) {
      buffer_.clear();
      return std::nullopt;
    }
    buffer_.erase(0, newline + 1);
    skipping_ = false;
  }
  if (const auto newline = buffer_.find('\n'); newline != std::string::npos) {
    std::string line = buffer_.substr(0, newline);
    buffer_.erase(0, newline + 1);
    if (line.size() > kMaxCommandLineBytes) return Overlong{};
    return line;
  }
  if (buffer_.size() > kMaxCommandLineBytes) {
    buffer_.clear();
    skipping_ = true;
    return Overlong{};
  }
  return std::nullopt;
}

bool CommandLineReader::fill(bool wait) {
  pollfd p{fd_, POLLIN, 0};
  int ready;
  do ready = ::poll(&p, 1, wait ? -1 : 0);
  while (ready < 0 && errno == EINTR);
  if (ready < 0) closed_ = true;  // nothing will ever be read from it
  if (ready <= 0) return false;
  char chunk[4096];
  ssize_t n;
  do n = ::read(fd_, chunk, sizeof chunk);
  while (n < 0 && errno == EINTR);
  if (n <= 0) {
    closed_ = true;  // end of input (or an error reading it): no more commands
    return false;
  }
  buffer_.append(chunk, static_cast<std::size_t>(n));
  read_since_poll_ += static_cast<std::size_t>(n);
  return true;
}

}  // namespace lbsim::cli
