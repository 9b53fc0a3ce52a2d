// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The CPU a TLS server spends on one handshake, measured as the testbed's backends and
// L7 proxies terminate it. OpenSSL processes each received flight (and computes the
// answer to it) inside the read completion that delivers it, so the thread CPU time
// those completions take while the handshake runs is the handshake's own CPU, apart from
// whatever else the thread serves meanwhile. `MeteredStream` sits under asio's
// ssl::stream and times them; it also says when the server's first flight is written
// (a backend holds a worker until then, as the simulator's does).
#include <time.h>

#include <boost/system/error_code.hpp>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

namespace lbsim::testbed {

struct HandshakeMeter {
  bool on = false;
  double cpu_s = 0;
  std::function<void()> flight_sent;  // once, when the server's first flight is written
};

inline double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// An asio AsyncStream over `Next` (a tcp::socket, a beast::tcp_stream) that meters reads
// while its meter is on.
// The socket under `next`: a tcp::socket is its own, a beast::tcp_stream holds one.
template <class Next>
auto& lowest_of(Next& next) {
  if constexpr (requires { next.socket(); }) return next.socket();
  else return next.lowest_layer();
}

template <class Next>
class MeteredStream {
public:
  using executor_type = typename Next::executor_type;
  using lowest_layer_type = std::remove_reference_t<decltype(lowest_of(std::declval<Next&>()))>;  // (asio's ssl::stream asks for it)
  MeteredStream(Next next, std::shared_ptr<HandshakeMeter> meter) : next_(std::move(next)), meter_(std::move(meter)) {}
  executor_type get_executor() { return next_.get_executor(); }
  lowest_layer_type& lowest_layer() { return lowest_of(next_); }
  const lowest_layer_type& lowest_layer() const { return lowest_of(const_cast<Next&>(next_)); }
  Next& next() { return next_; }
  HandshakeMeter& meter() { return *meter_; }

  template <typename Buffers, typename Handler>
  auto async_read_some(const Buffers& buffers, Handler&& handler) {
    if (!meter_->on) return next_.async_read_some(buffers, std::forward<Handler>(handler));
    return next_.async_read_some(buffers, [meter = meter_, handler = std::forward<Handler>(handler)](boost::system::error_code error,
                                                                                                     std::size_t n) mutable {
      const double before = thread_cpu_seconds();
      handler(error, n);
      meter->cpu_s += thread_cpu_seconds() - before;
    });
  }
  template <typename Buffers, typename Handler>
  auto async_write_some(const Buffers& buffers, Handler&& handler) {
    if (!meter_->on || !meter_->flight_sent) return next_.async_write_some(buffers, std::forward<Handler>(handler));
    return next_.async_write_some(buffers, [meter = meter_, handler = std::forward<Handler>(handler)](boost::system::error_code error,
                                                                                                      std::size_t n) mutable {
      if (auto sent = std::exchange(meter->flight_sent, {})) sent();
      handler(error, n);
    });
  }

private:
  Next next_;
  std::shared_ptr<HandshakeMeter> meter_;
};

}  // namespace lbsim::testbed
