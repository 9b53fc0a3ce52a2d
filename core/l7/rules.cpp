// SPDX-License-Identifier: GPL-3.0-or-later
#include "l7/rules.hpp"

#include "l4/flow.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
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


// "$1" (the form users know from ECMAScript, nginx and Envoy's docs) as RE2's "\1".
std::optional<std::string> re2_rewrite_string(std::string_view replacement) {
  std::string out;
  for (std::size_t i = 0; i < replacement.size(); ++i) {
    const char c = replacement[i];
    if (c == '\\') {
      out += "\\\\";
    } else if (c != '$') {
      out += c;
    } else if (i + 1 < replacement.size() && replacement[i + 1] >= '0' && replacement[i + 1] <= '9') {
      out += '\\';
      out += replacement[++i];
    } else if (i + 1 < replacement.size() && replacement[i + 1] == '&') {
      out += "\\0";
      ++i;
    } else if (i + 1 < replacement.size() && replacement[i + 1] == '$') {
      out += '$';
      ++i;
    } else {
      return std::nullopt;  // a lone $: a typo for $1 more likely than a wish for a dollar
    }
  }
  return out;
}

std::string redirect_location(const Redirect& r, const RequestView& request) {
  std::string location = (r.protocol.empty() ? std::string("https") : r.protocol) + "://";
  location += r.host.empty() ? std::string(request.host) : r.host;
  location += r.path.empty() ? std::string(request.path) : r.path;
  const std::string_view query = r.query.empty() ? request.query : std::string_view(r.query);
  if (!query.empty()) location += "?" + std::string(query);
  return location;
}

}  // namespace

std::variant<RegexRewrite, RewriteError> make_rewrite(const std::string& pattern, const std::string& replacement) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  auto compiled = std::make_shared<const re2::RE2>(pattern, options);
  if (!compiled->ok()) return RewriteError{false, "expected a valid regular expression (RE2's syntax): " + compiled->error()};
  if (compiled->ProgramSize() > kMaxRegexProgramSize)
    return RewriteError{false, "expected a regular expression of program size " + std::to_string(kMaxRegexProgramSize) +
                                   " or less (RE2's measure of its cost); this one is " + std::to_string(compiled->ProgramSize())};
  const auto rewrite = re2_rewrite_string(replacement);
  if (!rewrite) return RewriteError{true, "expected $ to be followed by a group number, & or $ (write $$ for a dollar sign)"};
  std::string error;
  if (!compiled->CheckRewriteString(*rewrite, &error))
    return RewriteError{true, "expected the replacement to name only the pattern's groups: " + error};
  return RegexRewrite{pattern, replacement, std::move(compiled), *rewrite};
}

std::string rewritten(const RegexRewrite& r, std::string_view text) {
  std::string out(text);
  re2::RE2::GlobalReplace(&out, *r.compiled, r.rewrite);  // every match, as ECMAScript's replace did
  return out;
}

bool glob_match(std::string_view pattern, std::string_view text) { return glob_match_impl(pattern, text, false); }

std::string_view to_string(ActionKind kind) {
  switch (kind) {
    case ActionKind::forward: return "forward";
    case ActionKind::redirect: return "redirect";
    case ActionKind::fixed_response: return "fixed_response";
  }
  return "?";
}

bool PathMatch::matches(std::string_view path) const {
  switch (kind) {
    case Kind::exact: return path == pattern;
    case Kind::prefix: return path.substr(0, pattern.size()) == pattern;
    case Kind::glob: return glob_match(pattern, path);
  }
  return false;
}

namespace {

// Which condition failed: its kind and, for lists, which entry. No allocation, so the
// hot path (matches) and the explanation (first_failure) share one implementation.
struct Failure {
  enum class Kind { method, host, path, header, cookie, query, source } kind;
  std::size_t index = 0;
};

std::optional<Failure> check(const Conditions& when, const RequestView& request) {
  using K = Failure::Kind;
  if (when.method && *when.method != request.method) return Failure{K::method};
  if (when.host && !glob_match_impl(*when.host, request.host, true)) return Failure{K::host};
  if (when.path && !when.path->matches(request.path)) return Failure{K::path};
  for (std::size_t i = 0; i < when.headers.size(); ++i) {
    const auto& h = when.headers[i];
    if (!request.has_header(h.name) || !glob_match(h.value, request.header(h.name))) return Failure{K::header, i};
  }
  for (std::size_t i = 0; i < when.cookies.size(); ++i) {
    const auto& c = when.cookies[i];
    if (!request.has_cookie(c.name) || !glob_match(c.value, request.cookie(c.name))) return Failure{K::cookie, i};
  }
  for (std::size_t i = 0; i < when.query.size(); ++i) {
    const auto value = request.query_param(when.query[i].name);
    if (!value || !glob_match(when.query[i].value, *value)) return Failure{K::query, i};
  }
  if (!when.source.empty() &&
      std::none_of(when.source.begin(), when.source.end(), [&](const Cidr& c) { return c.contains(request.source_ip); }))
    return Failure{K::source};
  return std::nullopt;
}

}  // namespace

std::optional<std::string> RuleTable::first_failure(const Conditions& when, const RequestView& request) {
  const auto failure = check(when, request);
  if (!failure) return std::nullopt;
  switch (failure->kind) {
    case Failure::Kind::method: return "method " + *when.method;
    case Failure::Kind::host: return "host " + *when.host;
    case Failure::Kind::path: return "path " + when.path->pattern;
    case Failure::Kind::header: return "header " + when.headers[failure->index].name;
    case Failure::Kind::cookie: return "cookie " + when.cookies[failure->index].name;
    case Failure::Kind::query: return "query " + when.query[failure->index].name;
    case Failure::Kind::source: return std::string("source_ip");
  }
  return std::nullopt;
}

bool RuleTable::matches(const Conditions& when, const RequestView& request) { return !check(when, request); }

std::vector<std::string> RuleTable::fields_read(const Conditions& when) {
  std::vector<std::string> fields;
  if (when.method) fields.emplace_back("method");
  if (when.host) fields.emplace_back("host");
  if (when.path) fields.emplace_back("path");
  for (const auto& h : when.headers) {
    std::string name = h.name;  // header names compare case-insensitively: shown in lower case
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    fields.push_back("header " + name);
  }
  for (const auto& c : when.cookies) fields.push_back("cookie " + c.name);
  for (const auto& q : when.query) fields.push_back("query " + q.name);
  if (!when.source.empty()) fields.emplace_back("src_ip");
  return fields;
}

const Rule* RuleTable::first_match(const RequestView& request) const {
  for (const Rule& rule : rules_)
    if (rule.is_default || matches(rule.when, request)) return &rule;
  return nullptr;
}

std::vector<std::string> RuleTable::matched_on(const Conditions& when, const RequestView& request) {
  std::vector<std::string> read;
  const auto said = [](std::string_view value) { return value.empty() ? std::string("(empty)") : std::string(value); };
  if (when.method) read.push_back("method " + std::string(request.method));
  if (when.host) read.push_back("host " + said(request.host) + " ~ " + *when.host);
  if (when.path) {
    const char* how = when.path->kind == PathMatch::Kind::exact ? " = " : when.path->kind == PathMatch::Kind::prefix ? " starts with " : " ~ ";
    read.push_back("path " + std::string(request.path) + how + when.path->pattern);
  }
  for (const auto& h : when.headers) read.push_back("header " + h.name + ": " + said(request.header(h.name)) + " ~ " + h.value);
  for (const auto& c : when.cookies) read.push_back("cookie " + c.name + "=" + said(request.cookie(c.name)) + " ~ " + c.value);
  for (const auto& q : when.query) read.push_back("query " + q.name + "=" + said(request.query_param(q.name).value_or("")) + " ~ " + q.value);
  for (const Cidr& c : when.source)
    if (c.contains(request.source_ip)) {
      char buffer[16];
      read.push_back("source_ip " + std::string(l4::format_ipv4(request.source_ip, buffer)) + " in " + c.to_string());
      break;
    }
  return read;
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
    if (rule.action != ActionKind::forward) continue;
    const bool has_weight = std::any_of(rule.forward.begin(), rule.forward.end(), [](const auto& g) { return g.weight > 0; });
    if (!has_weight) throw std::invalid_argument(rule.label + " forwards to no target group with a positive weight");
  }
}

RouteDecision RuleTable::route(const RequestView& request, Random& random) const {
  for (const Rule& rule : rules_) {
    if (!rule.is_default && !matches(rule.when, request)) continue;
    RouteDecision d;
    d.rule = &rule;
    d.action = rule.action;
    switch (rule.action) {
      case ActionKind::redirect:
        d.status = rule.redirect.status;
        d.location = redirect_location(rule.redirect, request);
        return d;
      case ActionKind::fixed_response:
        d.status = rule.fixed.status;
        return d;
      case ActionKind::forward: break;
    }
    if (rule.rewrite_path) d.rewritten_path = rewritten(*rule.rewrite_path, request.path);
    if (rule.rewrite_host) d.rewritten_host = rewritten(*rule.rewrite_host, request.host);
    if (rule.forward.size() == 1) {
      d.group = rule.forward.front().group;
      return d;
    }
    std::uint64_t total = 0;
    for (const auto& g : rule.forward) total += g.weight;
    std::uint64_t ticket = random.below(total);
    for (const auto& g : rule.forward) {
      if (ticket < g.weight) {
        d.group = g.group;
        return d;
      }
      ticket -= g.weight;
    }
  }
  return {};
}

std::vector<text::Note> RuleTable::trace_notes(const RequestView& request) const {
  std::vector<text::Note> notes;
  for (const Rule& rule : rules_) {
    const std::string action(to_string(rule.action));
    if (rule.is_default) {
      notes.push_back({"l7.rule_default", {action}});
      return notes;
    }
    const std::string priority = std::to_string(rule.priority);  // each language names the rule by it
    if (const auto failed = first_failure(rule.when, request)) {
      notes.push_back({"l7.rule_skipped", {priority, *failed}});
      continue;
    }
    std::string on;
    for (const std::string& condition : matched_on(rule.when, request)) on += (on.empty() ? "" : ", ") + condition;
    if (on.empty()) notes.push_back({"l7.rule_matched", {priority, action}});
    else notes.push_back({"l7.rule_matched_on", {priority, on, action}});
    return notes;
  }
  notes.push_back({"l7.rule_none"});
  return notes;
}

std::vector<std::string> RuleTable::trace(const RequestView& request) const {
  // The English lines `lbsim route` prints, without the trace's "rule " prefix.
  std::vector<std::string> lines;
  for (const text::Note& note : trace_notes(request)) {
    std::string line = text::render(note);
    if (line.starts_with("rule ")) line.erase(0, 5);
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace lbsim::l7
