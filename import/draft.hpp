// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A scenario being imported, as the YAML it becomes: every generated item keeps a
// comment naming where it came from (`# haproxy.cfg:42`), so a reader can check each
// one against the source. What no configuration says (the traffic, service times, zones)
// is filled with stated defaults, each said so in a comment.
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include "import/report.hpp"

namespace lbsim::importing {

// A value on one line, in YAML's flow style ("{ prefix: /api/ }", "api").
std::string flow(const YAML::Node& value);

// One key of a mapping, its value, and the comment after it (its source). The value is
// kept as its YAML text: a YAML::Node is a reference, and assigning one (as a vector
// does when it moves its elements) would overwrite the node it refers to.
struct DraftItem {
  DraftItem(std::string key_, const YAML::Node& value_, std::string comment_ = "", SourcePlace at_ = {}, std::string directive_ = "")
      : key(std::move(key_)), value(flow(value_)), comment(std::move(comment_)), at(std::move(at_)), directive(std::move(directive_)) {}
  std::string key;
  std::string value;
  std::string comment;
  SourcePlace at{};       // the directive it came from (line 0: none, a stated default)
  std::string directive;
};

struct DraftRule {
  std::vector<DraftItem> items;  // priority or default, if, then the action
  std::string comment;           // the source directive
  SourcePlace at{};
  std::string directive;
};

struct DraftGroup {
  std::string name;
  std::vector<DraftItem> items;
  std::string comment;
};

struct Draft {
  std::string name, description;
  std::vector<std::string> preface;  // comment lines at the top of the file
  std::vector<std::string> zones{"a"};
  std::string zones_comment;
  std::vector<DraftItem> l4;         // the L4 tier's keys but nodes_per_zone
  std::string l4_comment = "not in an L7 proxy's configuration: one NLB-like node per zone in front";
  bool has_l7 = true;                // false: an L4-only layout (no l7 section)
  std::vector<DraftItem> l7;         // the L7 tier's keys but its rules
  std::vector<DraftRule> rules;
  std::vector<DraftGroup> groups;
  std::string client_tls_version;    // "1.3", "1.2", or empty: plain HTTP
  std::vector<YAML::Node> mix;       // the client population's requests
  std::vector<std::string> clients_comment;
};

std::string render_scenario(const Draft& draft);

// `target_groups.<group>.weights` for servers of these weights, listed in the
// configuration's order: server i becomes backend <group>-<zone>-i in every zone, so
// each gets one entry `<group>-*-<i>: weight`. Absent when all weigh the same. Weights
// beyond lbsim's 1..256 are clamped, and `clamped` says so.
std::optional<YAML::Node> server_weights(const std::string& group, const std::vector<long>& weights, bool& clamped);

}  // namespace lbsim::importing
