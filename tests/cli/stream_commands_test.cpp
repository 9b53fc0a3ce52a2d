// SPDX-License-Identifier: GPL-3.0-or-later
// The --stream control channel's parser and reader, on hostile input (issue 18, class 6).
#include "cli/stream_commands.hpp"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <thread>

namespace lbsim::cli {
namespace {

template <class T>
bool is(const Command& c) {
  return std::holds_alternative<T>(c);
}
std::string why(const Command& c) { return is<BadCommand>(c) ? std::get<BadCommand>(c).why : "(accepted)"; }

TEST(StreamCommands, ParsesEachCommand) {
  EXPECT_TRUE(is<PauseCommand>(parse_command(R"({"cmd": "pause"})")));
  EXPECT_TRUE(is<ResumeCommand>(parse_command(R"({"cmd":"resume"})")));
  EXPECT_TRUE(is<BlankLine>(parse_command(" \t\r")));
  const auto recover = parse_command(R"({"cmd": "recover", "fault": 3})");
  ASSERT_TRUE(is<RecoverCommand>(recover));
  EXPECT_EQ(std::get<RecoverCommand>(recover).fault, 3u);
  const auto speed = parse_command(R"({"cmd": "speed", "value": 10})");
  ASSERT_TRUE(is<SpeedCommand>(speed));
  EXPECT_EQ(std::get<SpeedCommand>(speed).value, 10);
  const auto fault = parse_command(R"({"cmd": "fault", "fault": {"kind": "zone_outage", "zone": "b"}})");
  ASSERT_TRUE(is<FaultCommand>(fault));
  EXPECT_EQ(std::get<FaultCommand>(fault).fault_json, R"({"kind":"zone_outage","zone":"b"})");
}

TEST(StreamCommands, RefusesWhatIsNotACommand) {
  EXPECT_EQ(why(parse_command("{\"cmd\": \"launch\"}")), "expected a command: fault, recover, pause, resume or speed");
  EXPECT_EQ(why(parse_command("[1, 2]")), "expected a JSON object, like {\"cmd\": \"pause\"}");
  EXPECT_EQ(why(parse_command("{\"cmd\": \"pause\"")), "not JSON (column 16): expected one object per line");
  EXPECT_EQ(why(parse_command(R"({"cmd": "recover", "fault": -1})")), "a recover command needs \"fault\": the index its fault event gave");
  EXPECT_EQ(why(parse_command(R"({"cmd": "fault"})")), "a fault command needs \"fault\": {kind: ..., ...}");
  // Found by fuzzing: a number beyond a double threw past the parser's catch and aborted the run.
  EXPECT_EQ(why(parse_command("5e777")), "a number in the command is out of range");
  EXPECT_EQ(why(parse_command(R"({"cmd": "speed", "value": 1e400})")), "a number in the command is out of range");
}

TEST(StreamCommands, SpeedOutsideItsRangeIsRefused) {
  // 1e-300 simulated seconds per wall second would make a tick wait longer than a clock holds.
  for (const char* value : {"-1", "1e-300", "0.0005", "1e7", "1e308"})
    EXPECT_TRUE(is<BadCommand>(parse_command(std::string(R"({"cmd": "speed", "value": )") + value + "}"))) << value;
  for (const char* value : {"0", "0.001", "1", "1000000"})
    EXPECT_TRUE(is<SpeedCommand>(parse_command(std::string(R"({"cmd": "speed", "value": )") + value + "}"))) << value;
  EXPECT_EQ(parse_speed("max"), 0.0);
  EXPECT_EQ(parse_speed("10x"), 10.0);
  EXPECT_EQ(parse_speed("1e-300"), std::nullopt);
  EXPECT_EQ(parse_speed("2000000x"), std::nullopt);
  EXPECT_EQ(parse_speed("nan"), std::nullopt);
}

TEST(StreamCommands, InvalidUtf8IsRefusedWithItsColumnAndNeverEchoedRaw) {
  const std::string line = "{\"cmd\": \"pa\xFFuse\"}";
  EXPECT_EQ(why(parse_command(line)), "not UTF-8: byte \\xFF at column 12");
  EXPECT_EQ(command_excerpt(line), "{\"cmd\": \"pa\\xFFuse\"}");
  EXPECT_EQ(command_excerpt("\x1b[2J"), "\\x1B[2J");  // a terminal escape stays text
}

TEST(StreamCommands, DeepNestingIsRefusedBeforeParsing) {
  // A million levels would overflow the parser's (and a dump's) stack.
  const std::string deep = "{\"cmd\": \"fault\", \"fault\": " + std::string(1'000'000, '[') + std::string(1'000'000, ']') + "}";
  EXPECT_EQ(why(parse_command(deep)), "a command line is at most 65536 bytes");
  const std::string nested = "{\"cmd\": \"fault\", \"fault\": " + std::string(20, '[') + std::string(20, ']') + "}";
  EXPECT_EQ(why(parse_command(nested)), "JSON nested deeper than 16 levels");
  // Brackets inside strings are text, not nesting.
  EXPECT_TRUE(is<FaultCommand>(parse_command("{\"cmd\": \"fault\", \"fault\": {\"zone\": \"" + std::string(40, '[') + "\\\"\"}}")));
  const std::string shallow = "{\"cmd\": \"fault\", \"fault\": " + std::string(15, '[') + std::string(15, ']') + "}";
  EXPECT_TRUE(is<FaultCommand>(parse_command(shallow)));
}

// A pipe whose write end a test fills, read through a CommandLineReader.
class Channel : public ::testing::Test {
protected:
  void SetUp() override { ASSERT_EQ(::pipe(fds_), 0); }
  void TearDown() override {
    ::close(fds_[0]);
    if (fds_[1] >= 0) ::close(fds_[1]);
  }
  void send(const std::string& bytes) { ASSERT_EQ(::write(fds_[1], bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size())); }
  void hang_up() {
    ::close(fds_[1]);
    fds_[1] = -1;
  }
  int fds_[2] = {-1, -1};
};

TEST_F(Channel, SplitsLinesAndKeepsALastLineWithoutNewlineOnceClosed) {
  CommandLineReader reader(fds_[0]);
  send("one\ntw");
  reader.begin_poll();
  auto first = reader.next(false);
  ASSERT_TRUE(first);
  EXPECT_EQ(std::get<std::string>(*first), "one");
  EXPECT_FALSE(reader.next(false));  // "tw" is not a line yet
  send("o\nthree");
  hang_up();
  EXPECT_EQ(std::get<std::string>(*reader.next(false)), "two");
  EXPECT_EQ(std::get<std::string>(*reader.next(false)), "three");
  EXPECT_FALSE(reader.next(false));
  EXPECT_TRUE(reader.closed());
}

TEST_F(Channel, AnOverlongLineIsReportedOnceAndDroppedUpToItsNewline) {
  CommandLineReader reader(fds_[0]);
  std::thread writer([this] {
    send(std::string(kMaxCommandLineBytes + 10'000, 'x'));
    send("x\n{\"cmd\": \"pause\"}\n");
    hang_up();
  });
  int overlong = 0;
  std::vector<std::string> lines;
  while (auto entry = reader.next(true)) {
    if (std::holds_alternative<CommandLineReader::Overlong>(*entry)) ++overlong;
    else lines.push_back(std::get<std::string>(*entry));
  }
  writer.join();
  EXPECT_EQ(overlong, 1);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "{\"cmd\": \"pause\"}");
}

TEST_F(Channel, AWriterThatNeverStopsCannotHoldAPollForever) {
  // As stdin from /dev/zero: endless bytes, no newline. A poll reads a bounded amount and
  // returns; the line too long is reported once however much more arrives.
  const int zero = ::open("/dev/zero", O_RDONLY);
  ASSERT_GE(zero, 0);
  CommandLineReader reader(zero);
  int overlong = 0;
  for (int poll = 0; poll < 50; ++poll) {
    reader.begin_poll();
    while (auto entry = reader.next(false)) {
      ASSERT_TRUE(std::holds_alternative<CommandLineReader::Overlong>(*entry));
      ++overlong;
    }
  }
  ::close(zero);
  EXPECT_EQ(overlong, 1);
}

}  // namespace
}  // namespace lbsim::cli
