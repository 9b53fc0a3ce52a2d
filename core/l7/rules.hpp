// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// ALB-style listener rules: conditions ANDed within a rule, rules tried by ascending
// priority, the default rule last. A rule's action forwards (to one target group or a
// weighted list), redirects, or answers with a fixed response; a forward may first
// rewrite the path or host (Envoy's and nginx's regex rewrite). Every decision says
// why: which rule matched and what it did, and `trace` says why each earlier rule
// did not.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "l7/cidr.hpp"
#include "l7/request_view.hpp"
#include "text/messages.hpp"
#include "util/random.hpp"

namespace re2 {
class RE2;
}

namespace lbsim::l7 {

// Glob: '*' matches any run of characters and '?' one character ("/api/*", "*.example.com").
bool glob_match(std::string_view pattern, std::string_view text);

struct NameValue {
  std::string name;
  std::string value;  // glob pattern
};

struct PathMatch {
  enum class Kind { exact, prefix, glob };
  Kind kind = Kind::glob;
  std::string pattern;
  bool matches(std::string_view path) const;
};

struct Conditions {
  std::optional<std::string> host{};    // glob, case-insensitive
  std::optional<PathMatch> path{};
  std::optional<std::string> method{};  // exact, case-sensitive as HTTP is
  std::vector<NameValue> headers{};     // each must be present and match
  std::vector<NameValue> cookies{};
  std::vector<NameValue> query{};       // each parameter must be present and match
  std::vector<Cidr> source{};           // the client address is in any of these
};

struct WeightedGroup {
  std::uint32_t group;   // index into the scenario's target groups
  std::uint32_t weight;  // 0..999, ALB's range; 0 takes no traffic
};

// A regex rewrite, run by RE2 (as Envoy's safe_regex): linear in the text's length and
// without recursion, so neither a pathological pattern such as (a+)+$ nor a long path
// can hang a run or overflow an actor's stack. RE2's syntax: no backreferences in the
// pattern and no lookaround.
struct RegexRewrite {
  std::string pattern;
  std::string replacement;  // $1 ... $9 refer to groups, $0 and $& to the match, $$ is a $
  std::shared_ptr<const re2::RE2> compiled;
  std::string rewrite;      // the replacement in RE2's \1 form
};

// RE2's program size measures a pattern's cost; above this it is refused at load. (Envoy
// warns from 100; a path pattern such as ^/api/v[0-9]+/(.*)$ is about 20.)
inline constexpr int kMaxRegexProgramSize = 1000;

// Why a rewrite was refused: an invalid pattern, one above kMaxRegexProgramSize, or a
// replacement naming a group the pattern does not have.
struct RewriteError {
  bool in_replacement = false;  // else in the pattern
  std::string message;          // "expected ..."
};
std::variant<RegexRewrite, RewriteError> make_rewrite(const std::string& pattern, const std::string& replacement);
// `text` with every match of the rewrite's pattern replaced.
std::string rewritten(const RegexRewrite& rewrite, std::string_view text);

// ALB's redirect: any part left empty keeps the request's own (its "#{host}" etc.).
struct Redirect {
  std::uint16_t status = 301;
  std::string protocol;  // "https"
  std::string host;
  std::string path;
  std::string query;
};

struct FixedResponse {
  std::uint16_t status = 200;
  double body_bytes = 0;
  std::string content_type = "text/plain";
};

enum class ActionKind { forward, redirect, fixed_response };
std::string_view to_string(ActionKind kind);

struct Rule {
  std::string label;  // "priority 2" or "default": how traces name it
  std::uint32_t priority = 0;
  bool is_default = false;
  Conditions when;
  ActionKind action = ActionKind::forward;
  std::vector<WeightedGroup> forward;  // action == forward
  std::optional<RegexRewrite> rewrite_path;
  std::optional<RegexRewrite> rewrite_host;
  Redirect redirect;                   // action == redirect
  FixedResponse fixed;                 // action == fixed_response
};

struct RouteDecision {
  const Rule* rule = nullptr;  // null when no rule (and no default) matched
  ActionKind action = ActionKind::forward;
  std::uint32_t group = 0;     // forward: the chosen target group
  std::uint16_t status = 0;    // redirect and fixed response: the status answered
  std::string location;        // redirect: where to ("https://host/path?query")
  std::optional<std::string> rewritten_path;  // only when a rewrite applied
  std::optional<std::string> rewritten_host;
};

class RuleTable {
public:
  // Sorts by priority with the default last; throws std::invalid_argument on two
  // rules with the same priority, more than one default, or a forward with no
  // positively weighted target.
  explicit RuleTable(std::vector<Rule> rules);

  // The first rule whose conditions all hold and what it does; among weighted targets
  // one is drawn with `random` (untouched when the rule has a single target).
  RouteDecision route(const RequestView& request, Random& random) const;
  std::span<const Rule> rules() const { return rules_; }

  static bool matches(const Conditions& when, const RequestView& request);
  // The first condition of `when` that `request` fails ("path", "header x-beta-user",
  // ...), or nothing if all hold.
  static std::optional<std::string> first_failure(const Conditions& when, const RequestView& request);
  // The request's fields `when` reads: "path", "host", "method", "header x-beta-user",
  // "cookie user_tier", "query page", "src_ip".
  static std::vector<std::string> fields_read(const Conditions& when);
  // The rule that takes `request` (the default if no other), or null.
  const Rule* first_match(const RequestView& request) const;
  // For a request that meets `when`: each condition with what it read and what it
  // asked for ("cookie user_tier=premium ~ premium"), so a trace says why it matched.
  static std::vector<std::string> matched_on(const Conditions& when, const RequestView& request);
  // One line per rule tried, in order, ending with the one that matched: the teaching
  // trace of a routing decision. Not for the hot path (it allocates).
  std::vector<std::string> trace(const RequestView& request) const;
  // The same, as message ids with parameters (text/messages.hpp), for a reader's language.
  std::vector<text::Note> trace_notes(const RequestView& request) const;

private:
  std::vector<Rule> rules_;
};

}  // namespace lbsim::l7
