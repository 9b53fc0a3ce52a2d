// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/html/health_timeline.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string>

#include "reports/words.hpp"

namespace lbsim::reports::html {
namespace {

using results::HealthSource;

constexpr std::array<HealthSource, 4> kSources{HealthSource::l4_check, HealthSource::l4_passive, HealthSource::l7_check,
                                                HealthSource::outlier};

std::string line_name(HealthSource source, text::Language language) {
  switch (source) {
    case HealthSource::l4_check: return say("chart.health_l4_check", language);
    case HealthSource::l4_passive: return say("chart.health_l4_passive", language);
    case HealthSource::l7_check: return say("chart.health_l7_check", language);
    case HealthSource::outlier: return say("chart.health_outlier", language);
  }
  return "";
}

// One checker taking a target out (or letting it back) at a time.
struct Verdict {
  double time = 0;
  HealthSource source = HealthSource::l7_check;
  std::string checker, target;
  bool out = false;
};

// A step line: the count holds until the next change.
void step_to(Series& s, double time, double value) {
  const double before = s.points.empty() ? 0 : s.points.back().second;
  if (value == before) return;
  s.points.emplace_back(time, before);
  s.points.emplace_back(time, value);
}

void finish(Series& s, double end) {
  const double last = s.points.empty() ? 0 : s.points.back().second;
  if (s.points.empty() || s.points.back().first < end) s.points.emplace_back(end, last);
  if (s.points.front().first > 0) s.points.insert(s.points.begin(), {0.0, 0.0});
}

double end_of(const results::RunResult& result) {
  const auto& timeline = result.metrics.timeline;
  return std::max(result.sim_seconds, static_cast<double>(timeline.size()) * timeline.interval());
}

std::vector<Verdict> verdicts_in_order(const results::RunResult& result, double end) {
  std::vector<Verdict> verdicts;
  for (const auto& e : result.metrics.health_events) {
    verdicts.push_back({e.time, e.source, e.checker, e.target, !e.healthy});
    // An ejection ends at its time without an event of its own.
    if (e.until > 0 && !e.healthy) verdicts.push_back({std::min(e.until, end), e.source, e.checker, e.target, false});
  }
  std::stable_sort(verdicts.begin(), verdicts.end(), [](const Verdict& a, const Verdict& b) { return a.time < b.time; });
  return verdicts;
}

std::vector<Band> fault_bands(const results::RunResult& result, double end, text::Language language) {
  std::map<std::size_t, Band> open;
  std::vector<Band> bands;
  for (const auto& e : result.metrics.fault_events) {
    if (e.starts) {
      open[e.fault] = {e.time, end, say("chart.health_fault", language, {e.what.label.empty() ? std::string(config::to_string(e.what.kind)) : e.what.label})};
    } else if (const auto found = open.find(e.fault); found != open.end()) {
      found->second.to = e.time;
      bands.push_back(found->second);
      open.erase(found);
    }
  }
  for (const auto& [index, band] : open) bands.push_back(band);
  return bands;
}

}  // namespace

Chart health_timeline(const results::RunResult& result, text::Language language) {
  Chart c{say("chart.health", language), say("chart.time", language), say("chart.health_y", language), {}, {}};
  c.legend_below = true;  // long names: beside the plot they would be cut
  c.height = 340;
  const double end = end_of(result);
  std::map<HealthSource, Series> lines;
  std::map<HealthSource, std::map<std::string, std::set<std::string>>> held_out;  // target -> checkers
  for (const Verdict& v : verdicts_in_order(result, end)) {
    auto& checkers = held_out[v.source][v.target];
    if (v.out) checkers.insert(v.checker);
    else checkers.erase(v.checker);
    const auto& targets = held_out[v.source];
    const auto count = std::count_if(targets.begin(), targets.end(), [](const auto& t) { return !t.second.empty(); });
    Series& line = lines[v.source];
    line.name = line_name(v.source, language);
    step_to(line, v.time, static_cast<double>(count));
  }
  for (const HealthSource source : kSources) {
    const auto found = lines.find(source);
    if (found == lines.end() || found->second.points.empty()) continue;
    finish(found->second, end);
    c.series.push_back(std::move(found->second));
  }
  if (!result.metrics.dns_events.empty()) {
    Series dns{say("chart.health_dns", language), {}};
    std::set<std::string> withdrawn;
    for (const auto& e : result.metrics.dns_events) {
      if (e.announced) withdrawn.erase(e.node);
      else withdrawn.insert(e.node);
      step_to(dns, e.time, static_cast<double>(withdrawn.size()));
    }
    if (!dns.points.empty()) {
      finish(dns, end);
      c.series.push_back(std::move(dns));
    }
  }
  c.bands = fault_bands(result, end, language);
  return c;
}

}  // namespace lbsim::reports::html
