// SPDX-License-Identifier: GPL-3.0-or-later
#include "l7/rules.hpp"

#include <algorithm>
#include <stdexcept>

namespace lbsim::l7 {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Iterative glob with single-star backtracking: linear in practice, no recursion.
bool glob_match_impl(std::string_view pattern, std::string_view text, bool fold_case) {
  std::size_t p = 0, t = 0;
  std::size_t star = std::string_view::npos, resume = 0;
  auto same = [&](char a, char b) { return fold_case ? lower(a) == lower(b) : a == b; };
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || (pattern[p] != '*' && same(pattern[p], text[t])))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text) { return glob_match_impl(pattern, text, false); }

bool RuleTable::matches(const Conditions& when, const RequestView& request) {
  if (when.method && *when.method != request.method) return false;
  if (when.host && !glob_match_impl(*when.host, request.host, true)) return false;
  if (when.path && !glob_match(*when.path, request.path)) return false;
  for (const auto& h : when.headers) {
    if (!request.has_header(h.name) || !glob_match(h.value, request.header(h.name))) return false;
  }
  for (const auto& c : when.cookies) {
    if (!request.has_cookie(c.name) || !glob_match(c.value, request.cookie(c.name))) return false;
  }
  return true;
}

RuleTable::RuleTable(std::vector<Rule> rules) : rules_(std::move(rules)) {
  std::stable_sort(rules_.begin(), rules_.end(), [](const Rule& a, const Rule& b) {
    if (a.is_default != b.is_default) return !a.is_default;
    return a.priority < b.priority;
  });
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const Rule& rule = rules_[i];
    if (rule.is_default && i + 1 != rules_.size()) throw std::invalid_argument("more than one default rule");
    if (i > 0 && !rule.is_default && !rules_[i - 1].is_default && rules_[i - 1].priority == rule.priority)
      throw std::invalid_argument("two rules with priority " + std::to_string(rule.priority));
    const bool has_weight = std::any_of(rule.forward.begin(), rule.forward.end(), [](const auto& g) { return g.weight > 0; });
    if (!has_weight) throw std::invalid_argument(rule.label + " forwards to no target group with a positive weight");
  }
}

Match RuleTable::route(const RequestView& request, Random& random) const {
  for (const Rule& rule : rules_) {
    if (!rule.is_default && !matches(rule.when, request)) continue;
    if (rule.forward.size() == 1) return {&rule, rule.forward.front().group};
    std::uint64_t total = 0;
    for (const auto& g : rule.forward) total += g.weight;
    std::uint64_t ticket = random.below(total);
    for (const auto& g : rule.forward) {
      if (ticket < g.weight) return {&rule, g.group};
      ticket -= g.weight;
    }
  }
  return {};
}

}  // namespace lbsim::l7
