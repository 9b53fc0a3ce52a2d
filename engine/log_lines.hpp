// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The lines of a log file, streamed: plain or gzip (zlib reads a plain file as it is), in
// a fixed buffer, so memory does not grow with the file. Only a regular file is opened: a
// FIFO or a device named by mistake gets an error rather than a hang. Shared by `lbsim
// import traffic` and the simulator's `replay` arrivals.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lbsim::engine {

class LogLines {
public:
  static constexpr std::size_t kLongestLine = 64 * 1024;

  // Opens `path`; `ok()` says whether it could, `problem()` why not.
  explicit LogLines(const std::string& path);
  ~LogLines();
  LogLines(const LogLines&) = delete;
  LogLines& operator=(const LogLines&) = delete;

  bool ok() const { return file_ != nullptr && problem_.empty(); }
  const std::string& problem() const { return problem_; }
  const std::string& path() const { return path_; }

  enum class Line { text, too_long, end };
  // The next line without its end of line (`text`), or one longer than kLongestLine
  // (skipped whole: `too_long`), or the end. After the end, `problem()` is set if the
  // file could not be read to its end (a gzip file cut short).
  Line next(std::string_view& line);
  // The 1-based number of the line `next` gave last.
  std::uint64_t line_number() const { return line_number_; }

private:
  std::string path_;
  void* file_ = nullptr;  // a gzFile (kept out of this header)
  std::vector<char> buffer_;
  std::uint64_t line_number_ = 0;
  std::string problem_;
};

}  // namespace lbsim::engine
