// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/replay_feed.hpp"

#include <algorithm>
#include <limits>

namespace lbsim::models {
namespace {

// Lines a log's first request is looked for in, before the log is taken for empty.
constexpr std::size_t kLinesToFirstRequest = 1000;

}  // namespace

ReplayFeed::ReplayFeed(const config::ReplaySpec& spec, std::string client) : spec_(spec) {
  report_.client = std::move(client);
  for (std::size_t i = 0; i < spec.paths.size(); ++i) {
    Log log;
    log.path = spec.paths[i];
    log.name = spec.files.at(i);
    if (const auto first = peek_first(log)) {
      log.first_s = *first;
      logs_.push_back(std::move(log));
    }
  }
  // Logs in the order of their first request; ties in the scenario's order.
  std::stable_sort(logs_.begin(), logs_.end(), [](const Log& a, const Log& b) { return a.first_s < b.first_s; });
  const double first = logs_.empty() ? 0 : logs_.front().first_s;
  const auto in_log = [first](const config::LogTime& t) { return t.absolute ? t.seconds : first + t.seconds; };
  start_s_ = spec.from ? in_log(*spec.from) : first;
  end_s_ = spec.to ? in_log(*spec.to) : std::numeric_limits<double>::infinity();
}

std::optional<double> ReplayFeed::peek_first(const Log& log) {
  // The earliest request among the first lines: a log may be out of order by up to the
  // reorder window, so its first line need not be its first request.
  engine::LogLines lines(log.path);
  traffic::AccessLogParser parser(spec_.format);
  traffic::LogRecord record;
  std::string_view text;
  std::string why;
  int column = 0;
  std::optional<double> first, earliest;
  for (std::size_t n = 0; n < kMostBuffered; ++n) {
    const auto got = lines.next(text);
    if (got == engine::LogLines::Line::end || (!first && n >= kLinesToFirstRequest)) break;
    if (got != engine::LogLines::Line::text || text.empty() || text.front() == '#' || !parser.parse(text, record, why, column)) continue;
    if (!first) first = record.time_s;
    if (record.time_s > *first + kReorderWindowS) break;
    earliest = std::min(earliest.value_or(record.time_s), record.time_s);
  }
  return earliest;
}

bool ReplayFeed::earlier(std::uint32_t a, std::uint32_t b) const {
  const double ta = records_[a].time_s, tb = records_[b].time_s;
  return ta != tb ? ta < tb : order_[a] < order_[b];
}

std::uint32_t ReplayFeed::free_slot() {
  if (!free_records_.empty()) {
    const std::uint32_t slot = free_records_.back();
    free_records_.pop_back();
    return slot;
  }
  records_.emplace_back();
  order_.push_back(0);
  report_.records_held = records_.size();
  return static_cast<std::uint32_t>(records_.size() - 1);
}

void ReplayFeed::open(Log& log) {
  log.lines = std::make_unique<engine::LogLines>(log.path);
  log.parser = std::make_unique<traffic::AccessLogParser>(spec_.format);
  top_up(log);
}

bool ReplayFeed::read_one(Log& log) {
  std::string_view text;
  for (;;) {
    const auto got = log.lines->next(text);
    if (got == engine::LogLines::Line::end) {
      if (!log.lines->problem().empty() && report_.first_malformed.size() < kFirstMalformedKept)
        report_.first_malformed.push_back(log.name + ":" + std::to_string(log.lines->line_number() + 1) + ": " + log.lines->problem());
      log.done = true;
      log.lines.reset();  // its buffers go as soon as it ends
      log.parser.reset();
      return false;
    }
    ++report_.lines;
    const auto malformed = [&](const std::string& why) {
      ++report_.malformed;
      if (report_.first_malformed.size() < kFirstMalformedKept)
        report_.first_malformed.push_back(log.name + ":" + std::to_string(log.lines->line_number()) + ": " + why);
    };
    if (got == engine::LogLines::Line::too_long) {
      malformed("a line longer than 64 KiB");
      continue;
    }
    if (text.empty() || text.front() == '#') continue;
    const std::uint32_t slot = free_slot();
    std::string why;
    int column = 1;
    if (!log.parser->parse(text, records_[slot], why, column)) {
      free_records_.push_back(slot);
      malformed("column " + std::to_string(column) + ": " + why);
      continue;
    }
    order_[slot] = read_order_++;
    log.newest_s = std::max(log.newest_s, records_[slot].time_s);
    log.heap.push_back(slot);
    std::push_heap(log.heap.begin(), log.heap.end(), [this](std::uint32_t a, std::uint32_t b) { return earlier(b, a); });
    return true;
  }
}

void ReplayFeed::top_up(Log& log) {
  while (!log.done && log.heap.size() < kMostBuffered &&
         (log.heap.empty() || log.newest_s - records_[log.heap.front()].time_s < kReorderWindowS))
    read_one(log);
}

const traffic::LogRecord* ReplayFeed::next(double& at_s) {
  if (last_given_) {
    free_records_.push_back(*last_given_);
    last_given_.reset();
  }
  while (!finished_) {
    // The open log with the earliest request; a log not yet open whose first request
    // comes before it opens first.
    std::optional<std::size_t> best;
    for (const std::size_t i : open_)
      if (!logs_[i].heap.empty() && (!best || earlier(logs_[i].heap.front(), logs_[*best].heap.front()))) best = i;
    if (next_to_open_ < logs_.size() && (!best || logs_[next_to_open_].first_s <= records_[logs_[*best].heap.front()].time_s)) {
      open(logs_[next_to_open_]);
      open_.push_back(next_to_open_++);
      continue;
    }
    if (!best) return nullptr;
    Log& log = logs_[*best];
    std::pop_heap(log.heap.begin(), log.heap.end(), [this](std::uint32_t a, std::uint32_t b) { return earlier(b, a); });
    const std::uint32_t slot = log.heap.back();
    log.heap.pop_back();
    top_up(log);
    std::erase_if(open_, [this](std::size_t i) { return logs_[i].done && logs_[i].heap.empty(); });
    const traffic::LogRecord& record = records_[slot];
    if (record.time_s < start_s_) {
      ++report_.before_window;
      free_records_.push_back(slot);
      continue;
    }
    if (record.time_s >= end_s_) {
      free_records_.push_back(slot);
      finished_ = true;
      break;
    }
    double at = (record.time_s - start_s_) / spec_.speed;
    if (at < last_at_s_) {  // more out of order than the window puts right: as soon as read
      ++report_.late;
      at = last_at_s_;
    }
    last_at_s_ = at;
    if (report_.sent++ == 0) report_.first_logged_s = record.time_s;
    report_.last_logged_s = std::max(report_.last_logged_s, record.time_s);
    last_given_ = slot;
    at_s = at;
    return &record;
  }
  return nullptr;
}

const MixEntry* ReplayFeed::entry_for(const traffic::LogRecord& record) {
  Replayed* replayed = nullptr;
  if (!free_replayed_.empty()) {
    replayed = free_replayed_.back();
    free_replayed_.pop_back();
  } else {
    replayed = &replayed_.emplace_back();
    report_.entries_made = replayed_.size();
    replayed->spec = &replayed->request;
    replayed->recycler = this;
  }
  // (Assigning keeps each string's buffer: a recycled entry allocates nothing.)
  replayed->request.method = record.method;
  replayed->request.host = record.host;
  replayed->request.path = record.path;
  replayed->request.query = record.query;
  // The User-Agent, where the log has it: rules and the WAF may read it.
  if (record.user_agent.empty()) {
    replayed->headers.clear();
  } else {
    if (replayed->request.headers.empty()) replayed->request.headers.emplace_back("user-agent", "");
    replayed->request.headers[0].second = record.user_agent;
    replayed->headers.resize(1);
    replayed->headers[0] = {replayed->request.headers[0].first, replayed->request.headers[0].second};
  }
  replayed->holders = 1;
  return replayed;
}

void ReplayFeed::recycle(const MixEntry* entry) {
  free_replayed_.push_back(static_cast<Replayed*>(const_cast<MixEntry*>(entry)));
}

}  // namespace lbsim::models
