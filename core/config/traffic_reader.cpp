// SPDX-License-Identifier: GPL-3.0-or-later
// Arrivals and distributions: the schema's kind tables read the keys; this builds what
// the kind describes, and checks what relates two keys.
#include "config/schema_tables.hpp"
#include "config/section_readers.hpp"

#include <tuple>

#include "traffic/access_log.hpp"

namespace lbsim::config::detail {
namespace {

std::string excerpt(const std::string& text) {
  constexpr std::size_t kShown = 40;
  return text.size() <= kShown ? text : text.substr(0, kShown) + "...";
}

// Empirical samples: one value per line ("12.5ms", "40KB"); blank lines and # comments allowed.
std::optional<Distribution> read_samples(Context& ctx, const FileReader& read_file, const YAML::Node& at, const std::string& path,
                                         const std::string& name, schema::Kind values) {
  const FileContent content = read_file ? read_file(name) : FileContent{std::nullopt, "no files can be read here"};
  if (!content.text) {
    ctx.error(at, path + ": cannot read '" + name + "': " + content.problem);
    return std::nullopt;
  }
  const std::string* const text = &*content.text;
  const auto parse = values == schema::Kind::size ? limits::parse_size : limits::parse_duration;
  const std::string_view expected = values == schema::Kind::size ? kSize : kDuration;
  std::vector<double> samples;
  std::size_t line_number = 0, start = 0;
  bool ok = true;
  while (start <= text->size()) {
    const std::size_t end = std::min(text->find('\n', start), text->size());
    std::string line = text->substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t')) line.pop_back();
    std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    if (const auto value = parse(line.substr(first))) {
      samples.push_back(*value);
    } else {
      // Only the line's start, and only the first bad line: a file that is not a samples
      // file at all (a binary, a key file named by mistake) is not echoed to the terminal.
      ctx.error(name, static_cast<int>(line_number), static_cast<int>(first + 1),
                "expected " + std::string(expected) + ", got '" + excerpt(line.substr(first)) + "'");
      ok = false;
      break;
    }
    if (end == text->size()) break;
  }
  if (!ok) return std::nullopt;
  if (samples.empty()) {
    ctx.error(at, path + ": '" + name + "' holds no samples");
    return std::nullopt;
  }
  return Distribution::empirical(std::move(samples));
}

std::optional<traffic::RateProfile> read_steps(Context& ctx, const YAML::Node& list, const std::string& path) {
  std::vector<traffic::RateStep> steps;
  for_each_item(ctx, list, path, [&](const YAML::Node& item, const std::string& item_path) {
    MapReader s(ctx, item, item_path);
    if (!s.valid()) return;
    schema::StepKeys step;
    schema::read_fields(ctx, s, schema::step_fields(), step);
    if (!step.at || !step.rate) return;
    if (!steps.empty() && *step.at <= steps.back().at_s) ctx.error(item, item_path + ": steps must be in increasing time order");
    else if (steps.empty() && *step.at != 0) ctx.error(item, item_path + ": the first step must be at 0s");
    else steps.push_back({*step.at, *step.rate});
  });
  if (steps.empty() || steps.front().at_s != 0) return std::nullopt;
  return traffic::RateProfile::steps(std::move(steps));
}

// The profile an open-loop kind describes, once its keys are read (nullopt: a key is
// missing or wrong, already reported).
std::optional<traffic::RateProfile> open_loop_profile(Context& ctx, const YAML::Node& node, const std::string& path,
                                                      const std::string& kind, const schema::ArrivalKeys& k) {
  using traffic::RateProfile;
  if (kind == "poisson" || kind == "constant") {
    if (k.rate) return RateProfile::constant(*k.rate);
  } else if (kind == "ramp") {
    if (!k.from || !k.to || !k.over) return std::nullopt;
    if (*k.over > 0) return RateProfile::ramp(*k.from, *k.to, *k.over, k.start);
    ctx.error(node, path + ": a ramp needs a positive 'over'");
  } else if (kind == "burst") {
    if (!k.rate || !k.burst_rate || !k.every || !k.length) return std::nullopt;
    if (*k.every > 0 && *k.length > 0 && *k.length <= *k.every)
      return RateProfile::bursts(*k.rate, *k.burst_rate, *k.every, *k.length, k.first);
    ctx.error(node, path + ": expected 0 < for <= every");
  } else if (kind == "daily") {
    if (!k.trough || !k.peak) return std::nullopt;
    if (*k.trough <= *k.peak && k.period > 0) return RateProfile::daily(*k.trough, *k.peak, k.period, k.peak_at);
    ctx.error(node, path + ": expected trough <= peak and a positive period");
  }
  return std::nullopt;
}

// The logs a replay names: each must be there (its head read through the program's
// reader) and hold lines of the format. Returns the rate its first lines show (requests
// per second of log time), for estimates; nothing when a log is missing or wrong.
std::optional<double> read_replay_files(Context& ctx, const FileReader& read_file, const YAML::Node& file, const std::string& path,
                                        ReplaySpec& replay) {
  constexpr std::size_t kMostFiles = 10'000;
  std::vector<std::pair<YAML::Node, std::string>> named;
  if (file.IsSequence()) {
    for_each_item(ctx, file, path, [&](const YAML::Node& item, const std::string& item_path) {
      if (const auto name = read_scalar(ctx, item, item_path, "a file name")) named.emplace_back(item, *name);
    });
    if (file.size() == 0) ctx.error(file, path + ": expected at least one access log");
    if (named.size() > kMostFiles) ctx.error(file, path + ": expected at most " + std::to_string(kMostFiles) + " access logs");
  } else if (const auto name = read_scalar(ctx, file, path, "an access log's file name, or a list of them")) {
    named.emplace_back(file, *name);
  }
  if (named.empty() || named.size() > kMostFiles) return std::nullopt;
  double rate = 0;
  bool ok = true;
  traffic::AccessLogParser parser(replay.format);
  traffic::LogRecord record;
  for (const auto& [at, name] : named) {
    const FileContent head = read_file.head ? read_file.head(name) : FileContent{std::nullopt, "no files can be streamed here", ""};
    if (!head.text) {
      ctx.error(at, path + ": cannot read '" + name + "': " + head.problem);
      ok = false;
      continue;
    }
    // The head's lines: one must be a request of the format, else the first is shown.
    std::size_t start = 0, line_number = 0, parsed = 0;
    double first = 0, last = 0;
    std::optional<std::tuple<int, int, std::string>> first_bad;
    const std::string& text = *head.text;
    while (start < text.size()) {
      const std::size_t end = std::min(text.find('\n', start), text.size());
      std::string_view line(text.data() + start, end - start);
      start = end + 1;
      ++line_number;
      while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty() || line.front() == '#') continue;
      std::string why;
      int column = 1;
      if (parser.parse(line, record, why, column)) {
        first = parsed == 0 ? record.time_s : std::min(first, record.time_s);
        last = parsed == 0 ? record.time_s : std::max(last, record.time_s);
        ++parsed;
      } else if (!first_bad) {
        first_bad.emplace(static_cast<int>(line_number), column, why);
      }
    }
    if (parsed == 0) {
      if (first_bad)
        ctx.error(name, std::get<0>(*first_bad), std::get<1>(*first_bad),
                  "expected " + std::string(traffic::log_format_expected(replay.format)) + " (format: " +
                      std::string(traffic::log_format_name(replay.format)) + "): " + std::get<2>(*first_bad));
      else ctx.error(at, path + ": '" + name + "' holds no requests");
      ok = false;
      continue;
    }
    rate += last > first ? static_cast<double>(parsed - 1) / (last - first) : static_cast<double>(parsed);
    replay.files.push_back(name);
    replay.paths.push_back(head.location);
  }
  if (!ok) return std::nullopt;
  return rate;
}

}  // namespace

std::optional<Distribution> read_distribution(Context& ctx, const FileReader& read_file, const YAML::Node& node,
                                              const std::string& path, schema::Kind values, bool constant_may_be_zero) {
  MapReader m(ctx, node, path);
  if (!m.valid()) return std::nullopt;
  schema::DistributionKeys k;
  const auto [kind, keys] = schema::read_kind_fields(ctx, m, schema::distribution_kinds(values, constant_may_be_zero), k);
  if (kind == nullptr) return std::nullopt;
  if (kind->name == "constant" && k.value) return Distribution::constant(*k.value);
  if (kind->name == "exponential" && k.mean) return Distribution::exponential(*k.mean);
  if (kind->name == "lognormal" && k.median && k.p99) {
    if (*k.p99 > *k.median) return Distribution::lognormal(*k.median, *k.p99);
    ctx.error(m.take("p99"), m.key_path("p99") + ": expected a p99 above the median");
  }
  if (kind->name == "empirical") {
    const YAML::Node file = keys["file"];
    if (const auto name = file.IsDefined() ? read_scalar(ctx, file, m.key_path("file"), "a file name") : std::nullopt)
      return read_samples(ctx, read_file, file, m.key_path("file"), *name, values);
  }
  return std::nullopt;
}

void read_arrival(Context& ctx, const FileReader& read_file, const YAML::Node& node, const std::string& path, ArrivalSpec& arrival) {
  MapReader a(ctx, node, path);
  if (!a.valid()) return;
  schema::ArrivalKeys k;
  const auto [kind, keys] = schema::read_kind_fields(ctx, a, schema::arrival_kinds(), k);
  if (kind == nullptr) return;
  if (kind->name == "closed") {
    if (k.users) arrival.users = *k.users;
    if (const YAML::Node think = keys["think_time"]; think.IsDefined())
      if (auto d = read_distribution(ctx, read_file, think, a.key_path("think_time"), schema::Kind::duration, true))
        arrival.think_time = std::move(*d);
    return;
  }
  if (kind->name != "replay" && (k.from_time || k.to_time))
    ctx.error(k.from_time ? a.take("from") : a.take("to"), a.key_path(k.from_time ? "from" : "to") + ": expected a rate such as 100/s");
  if (kind->name == "replay") {
    if (k.from || k.to) ctx.error(k.from ? a.take("from") : a.take("to"), a.key_path(k.from ? "from" : "to") + ": expected a time in the log, not a rate");
    if (k.from_time && k.to_time && k.from_time->absolute == k.to_time->absolute && !(k.to_time->seconds > k.from_time->seconds))
      ctx.error(a.take("to"), a.key_path("to") + ": expected a time after `from`");
    ReplaySpec replay;
    replay.format = k.format;
    replay.speed = k.speed;
    replay.from = k.from_time;
    replay.to = k.to_time;
    replay.logged_service_times = k.logged_service_times;
    if (!keys["file"].IsDefined()) return;  // reported as missing
    const auto rate = read_replay_files(ctx, read_file, keys["file"], a.key_path("file"), replay);
    if (!rate) return;
    arrival.profile = traffic::RateProfile::steps({{0, *rate * replay.speed}});
    arrival.replay = std::move(replay);
    return;
  }
  arrival.uniform = kind->name == "constant";
  const auto profile = kind->name == "step" ? read_steps(ctx, keys["steps"], a.key_path("steps"))
                                            : open_loop_profile(ctx, node, path, kind->name, k);
  if (profile) arrival.profile = *profile;
}

}  // namespace lbsim::config::detail
