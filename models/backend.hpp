// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A backend: a pool of workers in front of a bounded queue. Each worker takes the next
// request, serves it for a time drawn from the group's service-time distribution, and
// answers along the request's reply path.
//
// Event-driven rather than an actor per worker: a worker is a slot, busy until a timer
// ends its service. Nothing a worker does blocks except for its service time, so the
// queue (FIFO) and the slots give exactly what worker actors taking from the queue
// would, for a heap entry per request instead of a context switch and a CPU action.
//
// Faults change what it does, not what its callers know: a crashed backend's kernel
// resets every connection (in flight and new), a dark one answers nothing at all, a
// slow one serves each request `factor` times slower. Balancers find out through their
// health checks, as they would in reality.
#include <simgrid/s4u.hpp>

#include <deque>
#include <optional>
#include <vector>

#include "results/metrics.hpp"
#include "health/draining.hpp"
#include "models/kernel_stack.hpp"
#include "models/world.hpp"
#include "util/random.hpp"

namespace lbsim::models {

class Backend {
public:
  // `id`: this backend's index in World::backends, stable across nodes (sticky cookies carry it).
  Backend(World& world, std::uint32_t id, topology::Vertex vertex, const config::TargetGroupSpec& group);
  void start();

  // Whether a new request fits (workers plus queue); counts it in if so. A request
  // that does not fit is refused at connection time, as a full accept queue does.
  bool admit(Request* request);
  // The request no longer counts against the queue (served, reset or swallowed).
  void leave(Request* request);
  // Sends an admitted request to this backend from `from`.
  void deliver(Request* request, double bytes, simgrid::s4u::Host* from);

  std::uint32_t group() const { return group_index_; }
  std::uint32_t id() const { return id_; }
  engine::Inbox& inbox() { return inbox_; }
  engine::Inbox& kernel_inbox() { return kernel_.inbox(); }
  std::uint32_t zone() const { return zone_; }
  topology::Vertex vertex() const { return vertex_; }
  const std::string& name() const { return stats_.name; }
  // Its figures so far: a backend still down counts its time down up to now.
  results::NodeStats& stats();

  // Faults (called from the fault injector's actor).
  void crash();
  void go_dark();
  void recover();
  void set_slow_factor(double factor) { slow_factor_ = factor; }
  void set_error_rate(double rate) { error_rate_ = rate; }
  void restore_error_rate() { error_rate_ = group_.error_rate; }
  // Deregistration: in-flight work may finish until the delay ends; then it is cut.
  void begin_draining();
  void cut_remaining();  // at the end of the deregistration delay
  void reregister();
  bool draining() const { return draining_.has_value(); }
  // Crashed, dark or deregistered: it takes no new work, so its idle time is not spare capacity.
  bool out_of_service() const { return life_ != Life::up || draining_.has_value(); }

private:
  void count_service_change(bool was_out);  // opens or closes an out-of-service span
  enum class Life { up, crashed, dark };
  void on_arrival(Request* request);
  // Gives waiting requests to free workers, in arrival order.
  void start_waiting();
  void serve(std::uint32_t worker, Request* request, double arrived_at);
  void complete(std::uint32_t worker, Request* request, double service, double arrived_at);
  void answer_request(Request* request, double arrived_at);
  void trace_answer(Request* request, double busy_for);
  void answer_handshake(Request* request, double cpu_s);
  double draw_service_time();
  // Empties the queue and the workers through `fate` (reset, or swallowed).
  void clear_all(void (Backend::*fate)(Request*));
  // What a node that is down does with each message that reaches it.
  void while_dark(Request* request);
  void reset(Request* request);

  World& world_;
  std::uint32_t id_;
  topology::Vertex vertex_;
  const config::TargetGroupSpec& group_;
  std::uint32_t group_index_;
  std::uint32_t zone_;
  simgrid::s4u::Host* host_;
  engine::Inbox inbox_;
  KernelStack kernel_;
  Random random_;
  std::uint32_t in_system_ = 0;  // queued + in service
  Life life_ = Life::up;
  double out_since_ = 0;     // when it last stopped taking new work, while it is out
  double out_closed_s_ = 0;  // its time out of service in spans that ended
  std::uint64_t epoch_ = 0;  // changes when the process dies: workers drop what they held
  std::vector<Request*> in_service_;  // by worker; nullptr: free
  std::vector<std::uint32_t> free_workers_;
  struct Waiting {
    Request* request;
    double arrived_at;
  };
  std::deque<Waiting> queue_;
  std::size_t max_queue_ = 0;
  double slow_factor_ = 1;
  double error_rate_;
  std::optional<health::Draining> draining_;
  results::NodeStats stats_;
};

}  // namespace lbsim::models
