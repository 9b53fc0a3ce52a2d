// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/log_lines.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>

namespace lbsim::engine {

LogLines::LogLines(const std::string& path) : path_(path), buffer_(kLongestLine + 2) {
  // O_NONBLOCK: opening a FIFO with no writer must not wait for one (it is refused below).
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    problem_ = std::strerror(errno);
    return;
  }
  struct stat status {};
  if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
    problem_ = "not a regular file";
    ::close(fd);
    return;
  }
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  gzFile file = ::gzdopen(fd, "rb");
  if (file == nullptr) {
    problem_ = "cannot be opened";
    ::close(fd);
    return;
  }
  ::gzbuffer(file, 256 * 1024);
  file_ = file;
}

LogLines::~LogLines() {
  if (file_ != nullptr) ::gzclose(static_cast<gzFile>(file_));
}

LogLines::Line LogLines::next(std::string_view& line) {
  if (file_ == nullptr || !problem_.empty()) return Line::end;
  auto* file = static_cast<gzFile>(file_);
  const int size = static_cast<int>(buffer_.size());
  buffer_.back() = 'x';  // gzgets ends a line that fills the buffer here: how a long one shows (a NUL in a line cannot fool it)
  if (::gzgets(file, buffer_.data(), size) == nullptr) {
    int error = Z_OK;
    const char* message = ::gzerror(file, &error);
    if (error != Z_OK && error != Z_STREAM_END)
      problem_ = std::string(message != nullptr ? message : "cannot be read") + " (a gzip file cut short?)";
    return Line::end;
  }
  ++line_number_;
  const auto filled = [&] { return buffer_.back() == '\0' && buffer_[buffer_.size() - 2] != '\n'; };
  if (filled()) {
    // Longer than the buffer: the rest of it is skipped too.
    do buffer_.back() = 'x';
    while (::gzgets(file, buffer_.data(), size) != nullptr && filled());
    return Line::too_long;
  }
  std::string_view text(buffer_.data());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  line = text;
  return Line::text;
}

}  // namespace lbsim::engine
