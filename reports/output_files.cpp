// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/output_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <sstream>
#include <system_error>

namespace lbsim::reports {
namespace fs = std::filesystem;
namespace {

std::string os_error(int code) { return std::strerror(code); }

// Closes on every path out; close's own failure is checked by finish().
class FileDescriptor {
public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // 0, or the errno of a close that failed (NFS and full disks report there).
  int finish() {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0 ? 0 : errno;
  }

private:
  int fd_;
};

// A hidden name beside `path`, made with O_EXCL | O_NOFOLLOW so nothing already there
// (a file, a planted symlink) is opened. The umask applies to `permissions` as usual.
std::pair<fs::path, int> create_temporary_beside(const fs::path& path, mode_t permissions) {
  static std::atomic<unsigned> counter{0};
  const std::string stem = path.filename().string().substr(0, 100);  // leaves room below NAME_MAX
  for (int attempt = 0; attempt < 100; ++attempt) {
    const fs::path candidate =
        path.parent_path() / (".lbsim-" + stem + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".part");
    const int fd = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, permissions);
    if (fd >= 0) return {candidate, fd};
    if (errno != EEXIST) throw OutputError(path, os_error(errno));
  }
  throw OutputError(path, "no free temporary name beside it");
}

// 0, or the errno of the write that failed.
int write_all(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t written = ::write(fd, content.data(), content.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    content.remove_prefix(static_cast<std::size_t>(written));
  }
  return 0;
}

}  // namespace

OutputError::OutputError(const fs::path& path, const std::string& why)
    : std::runtime_error("cannot write " + path.string() + ": " + why), path_(path), why_(why) {}

void write_file(const fs::path& path, std::string_view content, FileMode mode) {
  // A file is replaced by renaming a new one over it: never a device, a pipe or a folder
  // (renaming over /dev/null would put a regular file in its place).
  std::error_code error_code;
  const fs::file_status existing = fs::symlink_status(path, error_code);
  if (fs::exists(existing) && !fs::is_regular_file(existing) && !fs::is_symlink(existing))
    throw OutputError(path, "it exists and is not a regular file (a device, a pipe or a folder is never replaced)");
  auto [temporary, raw_fd] = create_temporary_beside(path, mode == FileMode::executable ? 0777 : 0666);
  FileDescriptor fd(raw_fd);
  int error = write_all(fd.get(), content);
  const int close_error = fd.finish();
  if (error == 0) error = close_error;
  if (error == 0 && ::rename(temporary.c_str(), path.c_str()) != 0) error = errno;
  if (error != 0) {
    ::unlink(temporary.c_str());
    throw OutputError(path, os_error(error));
  }
}

void write_file(const fs::path& path, const std::function<void(std::ostream&)>& produce) {
  std::ostringstream content;
  produce(content);
  write_file(path, content.view());
}

void prepare_output_folder(const fs::path& dir) {
  std::error_code error;
  if (fs::exists(dir, error) && !fs::is_directory(dir, error)) throw OutputError(dir, "it exists and is not a folder");
  fs::create_directories(dir, error);
  if (error) throw OutputError(dir, "cannot make it a folder (" + error.message() + ")");
  // Proven by writing: permissions alone do not show a read-only mount or a full disk.
  const fs::path probe = dir / ".lbsim-write-test";
  try {
    write_file(probe, "lbsim checks that it can write here\n");
  } catch (const OutputError& e) {
    throw OutputError(dir, "cannot write a file in it (" + e.what_failed() + ")");
  }
  fs::remove(probe, error);
}

}  // namespace lbsim::reports
