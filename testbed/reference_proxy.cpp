// SPDX-License-Identifier: GPL-3.0-or-later
#include "testbed/reference_proxy.hpp"

#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <unordered_set>

#include "export/export.hpp"
#include "testbed/clock.hpp"
#include "testbed/netns.hpp"
#include "testbed/tls.hpp"
#include "topology/addresses.hpp"

namespace lbsim::testbed {
namespace {

namespace fs = std::filesystem;

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) throw std::runtime_error("could not write " + path.string());
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Whether something accepts connections on the node's address and the service port.
bool accepting(std::uint32_t address, std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(address);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0;
  ::close(fd);
  return ok;
}

double seconds_of(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; }

// Reads what a log file gained since the last call, a whole line at a time.
class LogFollower {
public:
  explicit LogFollower(std::string path) : path_(std::move(path)) {}
  template <typename OnLine>
  void poll(OnLine&& on_line) {
    std::ifstream in(path_);
    in.seekg(static_cast<std::streamoff>(offset_));
    std::string line;
    while (std::getline(in, line)) {
      if (in.eof()) break;  // a line still being written: read it whole next time
      offset_ += line.size() + 1;
      on_line(line);
    }
  }

private:
  std::string path_;
  std::size_t offset_ = 0;
};

}  // namespace

std::optional<HaproxyVerdict> haproxy_verdict(std::string_view line) {
  const std::size_t server = line.find(" : Server ");
  if (server == std::string_view::npos) return std::nullopt;
  std::string_view rest = line.substr(server + 10);
  const std::size_t slash = rest.find('/'), is = rest.find(" is ");
  if (slash == std::string_view::npos || is == std::string_view::npos || slash > is) return std::nullopt;
  HaproxyVerdict verdict;
  verdict.group = std::string(rest.substr(0, slash));
  verdict.target = std::string(rest.substr(slash + 1, is - slash - 1));
  rest.remove_prefix(is + 4);
  if (rest.starts_with("UP")) verdict.healthy = true;
  else if (!rest.starts_with("DOWN")) return std::nullopt;
  if (const std::size_t reason = rest.find("reason: "); reason != std::string_view::npos) {
    const std::string_view text = rest.substr(reason + 8);
    verdict.reason = std::string(text.substr(0, text.find(',')));
  }
  return verdict;
}

RequestTally tally_requests(std::istream& log) {
  RequestTally tally;
  std::unordered_set<std::string> connections;
  std::string line;
  while (std::getline(log, line)) {
    constexpr std::string_view kTag = "lbsim-request ";
    if (!line.starts_with(kTag)) continue;
    std::istringstream words(line.substr(kTag.size()));
    std::string connection, https, reused;
    if (!(words >> connection >> https >> reused)) continue;
    ++tally.requests;
    if (https != "https=1" && https != "https=on") continue;
    if (!connections.insert(connection).second) continue;  // a later request on a connection already counted
    ++(reused == "reused=1" || reused == "reused=r" ? tally.tls_resumed : tally.tls_full);
  }
  return tally;
}

L7Report run_reference_proxy(const config::ScenarioSpec& spec, const TestbedPlan& plan, const PlannedNode& self, const std::string& dir,
                             double start_monotonic_s, volatile const int& stop, const std::function<void()>& listening) {
  const bool haproxy = spec.l7->engine == "haproxy";
  fs::create_directories(dir);
  exporting::ExportOptions options;
  options.directory = fs::absolute(dir).string();
  options.testbed = true;
  const exporting::Export exported = exporting::export_l7(spec, haproxy ? exporting::Proxy::haproxy : exporting::Proxy::nginx, options);
  // One configuration for the tier, or one per zone (in the zones' order).
  const exporting::ProxyConfig& config = exported.configs.size() == 1 ? exported.configs.front() : exported.configs.at(self.node.zone_index);
  const fs::path config_path = fs::path(options.directory) / config.file_name;
  write_file(config_path, config.text);
  for (const auto& side : config.side_files) write_file(fs::path(options.directory) / side.name, side.content);
  write_file(fs::path(options.directory) / exported.certificate_file, self_signed_pem(exported.certificate_key, 30));

  // nginx without its master process: one process, which dies with this one (a master's
  // workers would outlive a killed master), so one core whatever `l7.cpu.cores` says.
  const std::vector<std::string> argv =
      haproxy ? std::vector<std::string>{"/usr/sbin/haproxy", "-db", "-f", config_path.string()}
              : std::vector<std::string>{"/usr/sbin/nginx", "-c", config_path.string(), "-e", "stderr", "-g",
                                         "daemon off; master_process off; pid " + options.directory + "/nginx.pid;"};
  const std::string log = options.directory + "/proxy.log";
  ChildProcess proxy = ChildProcess::spawn(NetworkNamespace::current(), argv, log);
  const double deadline = monotonic_seconds() + 2.5;
  while (!accepting(self.address, plan.service_port)) {
    if (proxy.wait_for(0.02) || monotonic_seconds() > deadline)
      throw std::runtime_error(std::string(haproxy ? "HAProxy" : "nginx") + " did not start: " + read_file(log));
  }
  if (listening) listening();
  L7Report report;
  // HAProxy logs each check verdict that changes a server's state as it makes it: the
  // testbed's health events, named as the simulator names its checkers.
  LogFollower follower(log);
  const auto take_verdicts = [&] {
    follower.poll([&](const std::string& line) {
      const auto verdict = haproxy ? haproxy_verdict(line) : std::nullopt;
      if (!verdict) return;
      report.health_events.push_back({monotonic_seconds() - start_monotonic_s, self.node.name + "-hc-" + verdict->group, verdict->target,
                                      verdict->healthy, "HAProxy: " + verdict->reason, 0.0, results::HealthSource::l7_check});
    });
  };
  while (stop == 0) {
    if (proxy.wait_for(0.02)) throw std::runtime_error(std::string(haproxy ? "HAProxy" : "nginx") + " ended during the run: " + read_file(log));
    take_verdicts();
  }
  proxy.signal(SIGTERM);  // (both stop at once on it, closing what they hold)
  if (!proxy.wait_for(3.0)) proxy.kill();

  report.stats.name = self.node.name;
  report.stats.kind = topology::NodeKind::l7;
  report.stats.zone = self.node.zone;
  report.stats.capacity = haproxy ? spec.l7->cores : 1;
  // The proxy's CPU over its whole life (start-up included: a few milliseconds).
  rusage usage{};
  ::getrusage(RUSAGE_CHILDREN, &usage);
  report.user_seconds = seconds_of(usage.ru_utime);
  report.system_seconds = seconds_of(usage.ru_stime);
  report.stats.busy_seconds = report.user_seconds + report.system_seconds;
  std::ifstream requests(haproxy ? log : options.directory + "/access.log");
  const RequestTally tally = tally_requests(requests);
  report.stats.requests = tally.requests;
  report.stats.tls_full = tally.tls_full;
  report.stats.tls_resumed = tally.tls_resumed;
  return report;
}

}  // namespace lbsim::testbed
