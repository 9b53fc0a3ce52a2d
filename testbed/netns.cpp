// SPDX-License-Identifier: GPL-3.0-or-later
#include "testbed/netns.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace lbsim::testbed {
namespace {

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

// Reads a pipe to its end, keeping at most `limit` bytes (a child's stderr).
std::string drain(int fd, std::size_t limit = 4096) {
  std::string text;
  char buffer[512];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (text.size() < limit) text.append(buffer, static_cast<std::size_t>(n));
  }
  return text;
}

int wait_status(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

std::vector<char*> c_args(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  return args;
}

}  // namespace

std::optional<std::string> missing_capability() {
  const pid_t pid = ::fork();
  if (pid < 0) return errno_text("fork");
  if (pid == 0) {
    if (::unshare(CLONE_NEWNET) != 0) ::_exit(errno == EPERM ? 10 : 11);
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, STDOUT_FILENO);
    ::dup2(null, STDERR_FILENO);
    ::execlp("ip", "ip", "-brief", "link", nullptr);
    ::_exit(12);
  }
  int status = wait_status(pid);
  if (!WIFEXITED(status)) return std::string("a probe of network namespaces died");
  switch (WEXITSTATUS(status)) {
    case 0: return std::nullopt;
    case 10: return std::string("the testbed needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN) to create network namespaces; run it as root");
    case 11: return std::string("this kernel has no network namespaces (unshare(CLONE_NEWNET) failed)");
    case 12: return std::string("the testbed needs iproute2's `ip` command (Debian package iproute2; scripts/install-deps.sh installs it)");
    default: return std::string("`ip link` failed inside a new network namespace");
  }
}

NetworkNamespace NetworkNamespace::current() {
  const int fd = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error(errno_text("open /proc/thread-self/ns/net"));
  return NetworkNamespace(fd);
}

NetworkNamespace NetworkNamespace::create() {
  int ready[2], done[2];
  if (::pipe2(ready, O_CLOEXEC) != 0 || ::pipe2(done, O_CLOEXEC) != 0) throw std::runtime_error(errno_text("pipe"));
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(errno_text("fork"));
  if (pid == 0) {
    // The child makes the namespace and waits while the parent opens it (until the
    // parent closes its end of `done`: the child must not hold that end itself).
    ::close(done[1]);
    ::close(ready[0]);
    const char ok = ::unshare(CLONE_NEWNET) == 0 ? 1 : 0;
    (void)!::write(ready[1], &ok, 1);
    char byte;
    (void)!::read(done[0], &byte, 1);
    ::_exit(0);
  }
  ::close(ready[1]);
  ::close(done[0]);
  char ok = 0;
  const bool made = ::read(ready[0], &ok, 1) == 1 && ok == 1;
  int fd = -1;
  if (made) fd = ::open(("/proc/" + std::to_string(pid) + "/ns/net").c_str(), O_RDONLY | O_CLOEXEC);
  const int open_errno = errno;
  ::close(done[1]);  // the child exits; the namespace lives on through fd
  ::close(ready[0]);
  wait_status(pid);
  if (!made) throw std::runtime_error("cannot create a network namespace (unshare failed)");
  if (fd < 0) throw std::runtime_error(std::string("cannot open a new network namespace: ") + std::strerror(open_errno));
  return NetworkNamespace(fd);
}

NetworkNamespace& NetworkNamespace::operator=(NetworkNamespace&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

NetworkNamespace::~NetworkNamespace() {
  if (fd_ >= 0) ::close(fd_);
}

std::string NetworkNamespace::path() const { return "/proc/" + std::to_string(::getpid()) + "/fd/" + std::to_string(fd_); }

void NetworkNamespace::enter_this_thread() const {
  if (::setns(fd_, CLONE_NEWNET) != 0) throw std::runtime_error(errno_text("setns"));
}

void NetworkNamespace::run(const std::vector<std::string>& argv, const std::string& input) const {
  int in[2], err[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) throw std::runtime_error(errno_text("pipe"));
  auto args = c_args(argv);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(errno_text("fork"));
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::setns(fd_, CLONE_NEWNET) != 0) ::_exit(126);
    ::dup2(in[0], STDIN_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    ::dup2(err[1], STDOUT_FILENO);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(err[1]);
  std::size_t written = 0;
  while (written < input.size()) {
    const ssize_t n = ::write(in[1], input.data() + written, input.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  ::close(in[1]);
  const std::string output = drain(err[0]);
  ::close(err[0]);
  const int status = wait_status(pid);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string command;
    for (const auto& a : argv) command += (command.empty() ? "" : " ") + a;
    throw std::runtime_error("`" + command + "` failed in a testbed namespace: " + output);
  }
}

ChildProcess ChildProcess::spawn(const NetworkNamespace& ns, const std::vector<std::string>& argv, const std::string& log_file) {
  auto args = c_args(argv);
  const int log = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log < 0) throw std::runtime_error(errno_text(("open " + log_file).c_str()));
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(errno_text("fork"));
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(125);  // the supervisor died before the line above
    ::setpgid(0, 0);
    if (::setns(ns.fd(), CLONE_NEWNET) != 0) ::_exit(126);
    const int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, STDIN_FILENO);
    ::dup2(log, STDOUT_FILENO);
    ::dup2(log, STDERR_FILENO);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(log);
  ChildProcess child;
  child.pid_ = pid;
  return child;
}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    kill();
    pid_ = other.pid_;
    other.pid_ = -1;
  }
  return *this;
}

ChildProcess::~ChildProcess() { kill(); }

void ChildProcess::signal(int sig) const {
  if (pid_ > 0) ::kill(pid_, sig);
}

std::optional<int> ChildProcess::wait_for(double seconds) {
  if (pid_ <= 0) return 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      return status;
    }
    if (r < 0 && errno != EINTR) {
      pid_ = -1;
      return 0;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void ChildProcess::kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  wait_status(pid_);
  pid_ = -1;
}

}  // namespace lbsim::testbed
