// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The requests of a `replay` arrival, read from its access logs as the run goes: each
// log streamed (engine/log_lines.hpp), lines parsed into recycled records, put back in
// time order over a bounded window (a log is written as answers go, so a slow request's
// line comes after quicker ones that arrived later), logs merged by time and opened
// only when the replay reaches their first request. Memory does not grow with the logs:
// a few windows of records, and an entry per request in flight.
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/spec.hpp"
#include "engine/log_lines.hpp"
#include "models/request.hpp"
#include "results/metrics.hpp"
#include "traffic/access_log.hpp"

namespace lbsim::models {

class ReplayFeed final : public MixEntryRecycler {
public:
  // How far out of time order a log's lines may be (seconds of log time) and still be
  // sent in order, and at most how many records each log holds to reorder them.
  static constexpr double kReorderWindowS = 10;
  static constexpr std::size_t kMostBuffered = 200'000;
  static constexpr std::size_t kFirstMalformedKept = 5;

  ReplayFeed(const config::ReplaySpec& spec, std::string client);

  // The next request to send and when (seconds of simulated time from the start), or
  // nothing at the end of the logs or of the window. The record stays valid until the
  // next call.
  const traffic::LogRecord* next(double& at_s);

  // An entry for `record`'s request (method, host, path, query), held once.
  const MixEntry* entry_for(const traffic::LogRecord& record);
  void recycle(const MixEntry* entry) override;

  const results::ReplayReport& report() const { return report_; }

private:
  struct Log {
    std::string path, name;
    double first_s = 0;  // its first request's time: when the merge opens it
    std::unique_ptr<engine::LogLines> lines;
    std::unique_ptr<traffic::AccessLogParser> parser;
    std::vector<std::uint32_t> heap;  // record slots, earliest first
    double newest_s = 0;              // the latest time read so far
    bool done = false;
  };
  // A request's own entry: the entry is its base, so a recycled entry finds it.
  struct Replayed : MixEntry {
    config::RequestTemplate request;
  };

  // The first request's time in `log` (nothing: no request in it).
  std::optional<double> peek_first(const Log& log);
  // Reads `log` until it holds a window's worth of records past its earliest, or ends.
  void top_up(Log& log);
  bool read_one(Log& log);
  void open(Log& log);
  std::uint32_t free_slot();
  bool earlier(std::uint32_t a, std::uint32_t b) const;

  const config::ReplaySpec& spec_;
  std::vector<Log> logs_;          // sorted by first request
  std::size_t next_to_open_ = 0;   // logs before it are open or done
  std::vector<std::size_t> open_;  // the open logs
  std::vector<traffic::LogRecord> records_;
  std::vector<std::uint64_t> order_;  // per slot: the order it was read in (ties keep it)
  std::vector<std::uint32_t> free_records_;
  std::uint64_t read_order_ = 0;
  std::optional<std::uint32_t> last_given_;  // its slot is freed on the next call
  double start_s_ = 0, end_s_ = 0;            // the window, in log time
  double last_at_s_ = 0;
  bool finished_ = false;  // past `to`: nothing more

  std::deque<Replayed> replayed_;  // stable addresses
  std::vector<Replayed*> free_replayed_;
  results::ReplayReport report_;
};

}  // namespace lbsim::models
