// SPDX-License-Identifier: GPL-3.0-or-later
// Request fields and rules -> l7::RuleTable: route, trace and rewrite on whatever a
// client could send (any bytes, any length) against whatever rules a scenario could hold.
// Besides crashes, sanitizer reports and hangs, these are findings:
//  - the rule `route` picks does not match the request, or an earlier one does;
//  - `trace` disagrees with `route` about which rule matched;
//  - glob_match disagrees with a plain dynamic-programming glob (an independent oracle).
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "l7/rules.hpp"

namespace {

using namespace lbsim::l7;

// '*' any run, '?' one character: the textbook table, O(pattern x text).
bool reference_glob(std::string_view pattern, std::string_view text) {
  std::vector<char> row(text.size() + 1, 0), next(text.size() + 1, 0);
  row[0] = 1;
  for (char p : pattern) {
    next.assign(text.size() + 1, 0);
    next[0] = p == '*' && row[0];
    for (std::size_t t = 1; t <= text.size(); ++t) {
      if (p == '*') next[t] = row[t] || next[t - 1];
      else next[t] = row[t - 1] && (p == '?' || p == text[t - 1]);
    }
    row.swap(next);
  }
  return row[text.size()] != 0;
}

void require(bool holds, const char* what) {
  if (!holds) {
    std::fprintf(stderr, "rule_table fuzz: %s\n", what);
    std::abort();
  }
}

Conditions conditions(FuzzedDataProvider& in) {
  Conditions when;
  if (in.ConsumeBool()) when.host = in.ConsumeRandomLengthString(64);
  if (in.ConsumeBool())
    when.path = PathMatch{in.PickValueInArray({PathMatch::Kind::exact, PathMatch::Kind::prefix, PathMatch::Kind::glob}),
                          in.ConsumeRandomLengthString(128)};
  if (in.ConsumeBool()) when.method = in.ConsumeRandomLengthString(8);
  for (int i = in.ConsumeIntegralInRange(0, 2); i > 0; --i)
    when.headers.push_back({in.ConsumeRandomLengthString(16), in.ConsumeRandomLengthString(32)});
  for (int i = in.ConsumeIntegralInRange(0, 2); i > 0; --i)
    when.cookies.push_back({in.ConsumeRandomLengthString(16), in.ConsumeRandomLengthString(32)});
  for (int i = in.ConsumeIntegralInRange(0, 2); i > 0; --i)
    when.query.push_back({in.ConsumeRandomLengthString(16), in.ConsumeRandomLengthString(32)});
  for (int i = in.ConsumeIntegralInRange(0, 1); i > 0; --i)
    if (auto cidr = parse_cidr(in.ConsumeRandomLengthString(20))) when.source.push_back(*cidr);
  return when;
}

std::optional<RegexRewrite> rewrite(FuzzedDataProvider& in) {
  if (!in.ConsumeBool()) return std::nullopt;
  const std::string pattern = in.ConsumeRandomLengthString(64);
  const std::string replacement = in.ConsumeRandomLengthString(32);
  auto made = make_rewrite(pattern, replacement);
  if (auto* ok = std::get_if<RegexRewrite>(&made)) return *ok;
  return std::nullopt;  // refused at load, with a positioned error, in a real scenario
}

std::vector<Rule> rules(FuzzedDataProvider& in) {
  std::vector<Rule> out;
  const int count = in.ConsumeIntegralInRange(1, 4);
  for (int r = 0; r < count; ++r) {
    Rule rule;
    rule.priority = static_cast<std::uint32_t>(r + 1);
    rule.label = "priority " + std::to_string(rule.priority);
    rule.is_default = r == count - 1 && in.ConsumeBool();
    if (rule.is_default) rule.label = "default";
    else rule.when = conditions(in);
    rule.action = in.PickValueInArray({ActionKind::forward, ActionKind::redirect, ActionKind::fixed_response});
    rule.forward = {{0, in.ConsumeIntegralInRange<std::uint32_t>(1, 999)}};
    if (in.ConsumeBool()) rule.forward.push_back({1, in.ConsumeIntegralInRange<std::uint32_t>(0, 999)});
    rule.rewrite_path = rewrite(in);
    rule.rewrite_host = rewrite(in);
    rule.redirect = {301, in.ConsumeBool() ? "https" : "", in.ConsumeRandomLengthString(32), in.ConsumeRandomLengthString(32),
                     in.ConsumeRandomLengthString(16)};
    out.push_back(std::move(rule));
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  std::vector<Rule> table_rules = rules(in);
  // The request: long fields welcome (a 1 000-character path once overflowed a stack).
  const std::string method = in.ConsumeRandomLengthString(16), host = in.ConsumeRandomLengthString(256),
                    path = in.ConsumeRandomLengthString(4096), query = in.ConsumeRandomLengthString(512);
  std::vector<std::string> texts;
  for (int i = in.ConsumeIntegralInRange(0, 8); i > 0; --i) texts.push_back(in.ConsumeRandomLengthString(64));
  std::vector<Field> headers, cookies;
  for (std::size_t i = 0; i + 1 < texts.size(); i += 2) (i % 4 == 0 ? headers : cookies).emplace_back(texts[i], texts[i + 1]);
  RequestView request{method, host, path, query, headers, cookies, in.ConsumeIntegral<std::uint32_t>()};

  const std::string pattern = in.ConsumeRandomLengthString(32);
  require(glob_match(pattern, path) == reference_glob(pattern, path), "glob_match disagrees with the reference glob");

  RuleTable table(std::move(table_rules));
  lbsim::Random random(in.ConsumeIntegral<std::uint64_t>());
  const RouteDecision decision = table.route(request, random);
  const auto trace = table.trace(request);
  bool earlier = true;
  for (const Rule& rule : table.rules()) {
    if (&rule == decision.rule) earlier = false;
    if (earlier) require(!rule.is_default && !RuleTable::matches(rule.when, request), "an earlier rule matches");
    if (!rule.is_default)
      require(RuleTable::matches(rule.when, request) == !RuleTable::first_failure(rule.when, request).has_value(),
              "first_failure disagrees with matches");
  }
  if (decision.rule == nullptr) require(trace.back() == "no rule matched", "trace names a rule route did not pick");
  if (decision.rule != nullptr) {
    require(decision.rule->is_default || RuleTable::matches(decision.rule->when, request), "the chosen rule does not match");
    require(trace.back().rfind(decision.rule->label + ": matched", 0) == 0, "trace ends on another rule than route's");
    if (decision.rule->rewrite_path) (void)rewritten(*decision.rule->rewrite_path, path);
  }
  return 0;
}
