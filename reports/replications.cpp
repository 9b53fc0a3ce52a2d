// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/replications.hpp"

#include "reports/words.hpp"

#include <fmt/format.h>

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <numeric>

#include "reports/format.hpp"
#include "reports/sweep.hpp"

namespace lbsim::reports {
namespace {

struct Moments {
  double mean = 0;
  double variance = 0;  // the sample variance (n - 1)
};

Moments moments_of(std::span<const double> values) {
  Moments m;
  const double n = static_cast<double>(values.size());
  if (values.empty()) return m;
  m.mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
  if (values.size() < 2) return m;
  double squares = 0;
  for (const double v : values) squares += (v - m.mean) * (v - m.mean);
  m.variance = squares / (n - 1);
  return m;
}

}  // namespace

double t_95(double dof) {
  const boost::math::students_t distribution(dof);
  return boost::math::quantile(boost::math::complement(distribution, 0.025));
}

ConfidenceInterval confidence_interval(std::span<const double> values) {
  const Moments m = moments_of(values);
  ConfidenceInterval ci{m.mean, 0, values.size()};
  if (values.size() >= 2) ci.half_width = t_95(static_cast<double>(values.size() - 1)) * std::sqrt(m.variance / static_cast<double>(values.size()));
  return ci;
}

bool differs_significantly(std::span<const double> a, std::span<const double> b) {
  if (a.size() < 2 || b.size() < 2) return false;
  const Moments x = moments_of(a), y = moments_of(b);
  const double va = x.variance / static_cast<double>(a.size()), vb = y.variance / static_cast<double>(b.size());
  if (va + vb == 0) return x.mean != y.mean;  // no spread at all: any difference is real
  const double t = (x.mean - y.mean) / std::sqrt(va + vb);
  // Welch-Satterthwaite degrees of freedom.
  const double dof = (va + vb) * (va + vb) /
                     (va * va / static_cast<double>(a.size() - 1) + vb * vb / static_cast<double>(b.size() - 1));
  return std::abs(t) > t_95(dof);
}

std::uint64_t replication_seed(std::uint64_t seed, std::size_t index) {
  if (index == 0) return seed;
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(index);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

nlohmann::ordered_json replications_json(const std::vector<nlohmann::ordered_json>& summaries, const std::vector<std::uint64_t>& seeds) {
  nlohmann::ordered_json figures = nlohmann::ordered_json::object();
  std::vector<nlohmann::ordered_json> per_run;
  for (const auto& summary : summaries) per_run.push_back(sweep_figures(summary));
  for (const auto& key : sweep_figure_keys()) {
    std::vector<double> values;
    for (const auto& run : per_run)
      if (run[key].is_number()) values.push_back(run[key].get<double>());
    if (values.size() != per_run.size() || values.empty()) continue;
    const auto ci = confidence_interval(values);
    figures[key] = {{"mean", ci.mean}, {"half_width", ci.half_width}, {"ci95", {ci.low(), ci.high()}}, {"values", values}};
  }
  return {{"count", summaries.size()}, {"seeds", seeds}, {"confidence", 0.95}, {"method", "Student t over the replications' means"},
          {"figures", figures}};
}

std::vector<std::vector<std::string>> replications_table(const nlohmann::ordered_json& replications, text::Language language) {
  std::vector<std::vector<std::string>> table{say_list("rep.columns", language)};
  for (const auto& [key, f] : replications["figures"].items()) {
    const auto text = [&key](double v) { return format::headline(key, v); };
    const double mean = f["mean"].get<double>(), half = f["half_width"].get<double>();
    const auto& ci = f["ci95"];
    // A latency recorded at 0.1 % resolution cannot show a spread below it.
    const bool latency = key.ends_with("_ms");
    std::string spread = mean == 0 ? format::kNone : format::percent(half / std::abs(mean));
    if (latency && mean != 0 && half < 1e-3 * std::abs(mean)) spread = say("rep.resolution", language);
    table.push_back({key, text(mean), text(ci[0].get<double>()) + " .. " + text(ci[1].get<double>()), spread});
  }
  return table;
}

}  // namespace lbsim::reports
