// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Network namespaces that cannot outlive the testbed. Each is created unnamed (no
// /run/netns entry) and held only by a file descriptor of the supervising process and
// by the processes inside it, all of which die with the supervisor (PR_SET_PDEATHSIG).
// So whatever ends the supervisor — a normal exit, Ctrl-C, a crash, SIGKILL — the
// kernel frees every namespace and with it every veth: nothing is left to clean up.
#include <sys/types.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace lbsim::testbed {

// The testbed cannot run here: not root, no namespaces, no `ip`. exit 2 with the text.
class TestbedUnavailable : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Why this process cannot build a testbed, or nothing when it can: tries what it needs
// (a new network namespace, iproute2's `ip`) in a throwaway child.
std::optional<std::string> missing_capability();

class NetworkNamespace {
public:
  static NetworkNamespace create();
  // The calling thread's own (a child's children start in it).
  static NetworkNamespace current();
  NetworkNamespace(NetworkNamespace&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  NetworkNamespace& operator=(NetworkNamespace&& other) noexcept;
  NetworkNamespace(const NetworkNamespace&) = delete;
  NetworkNamespace& operator=(const NetworkNamespace&) = delete;
  ~NetworkNamespace();

  int fd() const { return fd_; }
  // A path naming it for `ip ... netns PATH` run by any process of this machine.
  std::string path() const;
  // Runs a command inside (iproute2's `ip -batch -`, say) with `input` on its stdin; throws
  // std::runtime_error with its stderr if it fails.
  void run(const std::vector<std::string>& argv, const std::string& input = "") const;
  // Moves the calling thread into this namespace (its sockets are created here after).
  void enter_this_thread() const;

private:
  explicit NetworkNamespace(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// A process of the testbed, started inside a namespace: it dies with the supervisor,
// runs in its own process group (Ctrl-C reaches the supervisor alone, which stops the
// rest in order), and is killed and reaped when this handle goes.
class ChildProcess {
public:
  ChildProcess() = default;
  static ChildProcess spawn(const NetworkNamespace& ns, const std::vector<std::string>& argv, const std::string& log_file);
  ChildProcess(ChildProcess&& other) noexcept : pid_(other.pid_) { other.pid_ = -1; }
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }
  void signal(int sig) const;
  // Waits up to `seconds` for it to exit; its status, or nothing if it still runs.
  std::optional<int> wait_for(double seconds);
  // SIGKILL and reap.
  void kill();

private:
  pid_t pid_ = -1;
};

}  // namespace lbsim::testbed
