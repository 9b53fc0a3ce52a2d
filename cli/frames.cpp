// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/frames.hpp"

#include <iostream>
#include <memory>

#include "reports/capture.hpp"

namespace lbsim::cli {
namespace {

struct FramesArgs {
  std::string file;
  std::string format = "text";
  std::size_t frame = 0;       // --frame N: that frame's layers and fields
  std::size_t limit = 10'000;  // frames read at most: a viewer's list, not a whole day's capture
};

int frames(const FramesArgs& args) {
  reports::Capture capture;
  try {
    capture = reports::read_capture(args.file, args.limit);
  } catch (const reports::CaptureError& e) {
    std::cerr << "lbsim: error: " << e.what() << '\n';
    return 2;
  }
  if (args.frame > capture.frames.size()) {
    std::cerr << "lbsim: error: --frame " << args.frame << ": " << args.file << " holds " << capture.frames.size() << " frames"
              << (capture.truncated ? " within --limit" : "") << '\n';
    return 2;
  }
  if (args.format == "json") std::cout << reports::capture_json(capture).dump(2) << '\n';
  else if (args.frame > 0) reports::print_frame(std::cout, capture.frames[args.frame - 1]);
  else reports::print_capture(std::cout, capture);
  return 0;
}

}  // namespace

std::function<int()> add_frames_command(CLI::App& app, CLI::App*& command) {
  auto args = std::make_shared<FramesArgs>();
  command = app.add_subcommand("frames", "decode a packet capture (pcap) frame by frame: OSI layers, TLS and HTTP, rewrites");
  command->add_option("FILE", args->file, "capture file (from lbsim testbed --pcap or lbsim trace --pcap)")->required();
  command->add_option("--format", args->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  command->add_option("--frame", args->frame, "print this frame's layers and fields (1 = the first)")->check(CLI::PositiveNumber);
  command->add_option("--limit", args->limit, "read at most this many frames (default 10000)")->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}));
  return [args] { return frames(*args); };
}

}  // namespace lbsim::cli
