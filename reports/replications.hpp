// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Replications: the same scenario run with independent seeds, and what can be said of a
// figure from them (Law and Kelton's replication method). Each run's figure is one
// observation; the mean's 95 % confidence interval follows Student's t over them, and two
// layouts differ significantly when Welch's t-test says so at 95 %.
#include <cstdint>
#include <nlohmann/json.hpp>

#include "text/messages.hpp"
#include <span>
#include <string>
#include <vector>

namespace lbsim::reports {

// Student's t quantile for a two-sided 95 % interval: P(|T| <= q) = 0.95 with `dof`
// degrees of freedom (12.706 for 1, 2.093 for 19, 1.960 as dof grows).
double t_95(double dof);

struct ConfidenceInterval {
  double mean = 0;
  double half_width = 0;  // the interval is mean +- half_width; 0 for one replication
  std::size_t n = 0;
  double low() const { return mean - half_width; }
  double high() const { return mean + half_width; }
};

// The mean of `values` (one per replication) and its 95 % confidence interval.
ConfidenceInterval confidence_interval(std::span<const double> values);

// Welch's t-test at 95 %: whether the means of two sets of replications differ (each
// needs two or more values; with fewer, nothing can be said: false).
bool differs_significantly(std::span<const double> a, std::span<const double> b);

// The seed of replication `index` (0-based) of a run seeded `seed`: replication 0 keeps
// the seed itself, so one replication is the plain run; the others are far apart
// (SplitMix64), so their random streams are independent.
std::uint64_t replication_seed(std::uint64_t seed, std::size_t index);

// summary.json's `replications` section from each replication's summary.json (the
// first is the plain run): per headline figure (reports/sweep.hpp's), each run's value,
// the mean and its 95 % interval. A figure some run lacks (no L7 tier) is left out.
nlohmann::ordered_json replications_json(const std::vector<nlohmann::ordered_json>& summaries, const std::vector<std::uint64_t>& seeds);

// The terminal's table of that section: figure, mean, 95 % interval, +- share of the mean.
std::vector<std::vector<std::string>> replications_table(const nlohmann::ordered_json& replications,
                                                        text::Language language = text::Language::en);

}  // namespace lbsim::reports
