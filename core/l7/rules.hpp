// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// ALB-style listener rules: conditions ANDed within a rule, rules tried by ascending
// priority, the default rule last. Matching explains itself: which rule, and for a
// miss the first condition that failed.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "l7/request_view.hpp"
#include "util/random.hpp"

namespace lbsim::l7 {

// Path and host patterns: exact text, or a glob where '*' matches any run of
// characters and '?' one character ("/api/*", "*.example.com").
bool glob_match(std::string_view pattern, std::string_view text);

struct NameValue {
  std::string name;
  std::string value;  // glob pattern
};

struct Conditions {
  std::optional<std::string> host{};    // glob, case-insensitive
  std::optional<std::string> path{};    // glob
  std::optional<std::string> method{};  // exact, case-sensitive as HTTP is
  std::vector<NameValue> headers{};     // each must be present and match
  std::vector<NameValue> cookies{};
};

struct WeightedGroup {
  std::uint32_t group;   // index into the scenario's target groups
  std::uint32_t weight;  // 0..999, ALB's range; 0 takes no traffic
};

struct Rule {
  std::string label;  // "priority 2" or "default": how the trace names it
  std::uint32_t priority = 0;
  bool is_default = false;
  Conditions when;
  std::vector<WeightedGroup> forward;
};

struct Match {
  const Rule* rule = nullptr;  // null when no rule (and no default) matched
  std::uint32_t group = 0;     // the chosen target group
};

class RuleTable {
public:
  // Sorts by priority with the default last; throws std::invalid_argument on two
  // rules with the same priority, more than one default, or a rule with no
  // positively weighted target.
  explicit RuleTable(std::vector<Rule> rules);

  // The first rule whose conditions all hold; among its weighted targets one is
  // drawn with `random` (untouched when the rule has a single target).
  Match route(const RequestView& request, Random& random) const;
  std::span<const Rule> rules() const { return rules_; }

  static bool matches(const Conditions& when, const RequestView& request);

private:
  std::vector<Rule> rules_;
};

}  // namespace lbsim::l7
