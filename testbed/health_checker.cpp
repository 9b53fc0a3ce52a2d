// SPDX-License-Identifier: GPL-3.0-or-later
#include "testbed/health_checker.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <limits>

namespace lbsim::testbed {

TcpHealthChecker::TcpHealthChecker(health::ActiveCheckConfig config, std::vector<std::uint32_t> addresses, std::uint16_t port,
                                   double phase_s, OnChange on_change, OnPass on_pass)
    : config_(config),
      addresses_(std::move(addresses)),
      port_(port),
      next_round_s_(phase_s),
      // The run starts in steady state: targets are trusted until checks say otherwise.
      checks_(addresses_.size(), health::ActiveCheck(config, health::State::healthy, 0.0)),
      probes_(addresses_.size()),
      on_change_(std::move(on_change)),
      on_pass_(std::move(on_pass)) {}

TcpHealthChecker::~TcpHealthChecker() {
  for (auto& p : probes_)
    if (p.fd >= 0) ::close(p.fd);
}

void TcpHealthChecker::add_fds(std::vector<pollfd>& fds) {
  first_fd_ = fds.size();
  fd_target_.clear();
  for (std::size_t t = 0; t < probes_.size(); ++t) {
    if (probes_[t].fd < 0) continue;
    fds.push_back({probes_[t].fd, POLLOUT, 0});
    fd_target_.push_back(t);
  }
}

void TcpHealthChecker::finish(std::size_t target, bool answered, double now_s) {
  Probe& probe = probes_[target];
  const double took = now_s - probe.started_s;
  ::close(probe.fd);
  probe.fd = -1;
  const health::CheckTransition transition =
      checks_[target].record_result(answered ? std::optional<double>(took) : std::nullopt, now_s);
  if (transition.changed()) on_change_(target, checks_[target].receives_traffic(), transition.reason(), now_s);
  if (transition.passed && on_pass_) on_pass_(target, now_s);
}

void TcpHealthChecker::set_paused(bool paused, double now_s) {
  paused_ = paused;
  fd_target_.clear();
  for (auto& p : probes_) {
    if (p.fd >= 0) ::close(p.fd);
    p.fd = -1;
  }
  while (!paused && next_round_s_ < now_s) next_round_s_ += config_.interval_s;
}

void TcpHealthChecker::service(const std::vector<pollfd>& fds, double now_s) {
  if (paused_) return;
  for (std::size_t i = 0; i < fd_target_.size(); ++i) {
    const pollfd& p = fds[first_fd_ + i];
    const std::size_t target = fd_target_[i];
    if (probes_[target].fd != p.fd || (p.revents & (POLLOUT | POLLERR | POLLHUP)) == 0) continue;
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &error, &length);
    // A handshake completed within the timeout passes (record_result judges the time).
    finish(target, error == 0, now_s);
  }
  fd_target_.clear();
  for (std::size_t t = 0; t < probes_.size(); ++t)
    if (probes_[t].fd >= 0 && now_s - probes_[t].started_s >= config_.timeout_s) finish(t, false, now_s);
  if (now_s < next_round_s_) return;
  next_round_s_ += config_.interval_s;
  for (std::size_t t = 0; t < probes_.size(); ++t) {
    if (probes_[t].fd >= 0) continue;  // still waiting: the timeout judges it
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) continue;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port_);
    address.sin_addr.s_addr = htonl(addresses_[t]);
    probes_[t] = {fd, now_s};
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) finish(t, true, now_s);
    else if (errno != EINPROGRESS) finish(t, false, now_s);
  }
}

double TcpHealthChecker::next_deadline_s() const {
  if (paused_) return std::numeric_limits<double>::infinity();
  double next = next_round_s_;
  for (const auto& p : probes_)
    if (p.fd >= 0) next = std::min(next, p.started_s + config_.timeout_s);
  return next;
}

}  // namespace lbsim::testbed
