// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What each proxy's writer shares (internal to lbexport): the text being written, the
// report of what does not map, the rules in ALB's order, and one file per zone or one
// for every node.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "export/export.hpp"

namespace lbsim::exporting {

// The listener rules in the order ALB tries them: by priority, the default last.
std::vector<const l7::Rule*> rules_in_priority_order(const std::vector<l7::Rule>& rules);

class ConfigWriter {
public:
  ConfigWriter(const config::ScenarioSpec& spec, const ExportOptions& options, Export& out);
  virtual ~ConfigWriter() = default;
  ConfigWriter(const ConfigWriter&) = delete;
  ConfigWriter& operator=(const ConfigWriter&) = delete;

  // One file for every node (cross_zone on), or one per zone (off, or zone-aware). The
  // first file written reports what does not map (the others would repeat it).
  std::vector<ProxyConfig> write_all();

protected:
  virtual std::string file_name() const = 0;
  virtual void write_body() = 0;

  void line(std::string_view text) { (text_ += text) += '\n'; }
  void note(Mapping::Kind kind, std::string key, std::string how);
  void add_side_file(std::string name, std::string content) { side_files_.push_back({std::move(name), std::move(content)}); }
  const std::vector<const l7::Rule*>& rules() const { return rules_; }
  std::string group_name(std::uint32_t group) const { return spec_.target_groups[group].name; }
  // "l7.rules[priority 3].if.cookie": a rule's key as the report names it.
  static std::string rule_key(const l7::Rule& rule, std::string_view what);
  // The rule's name in variables: p<priority>, or default.
  static std::string rule_id(const l7::Rule& rule);
  // The zone whose nodes this file is for; empty: every node's.
  const std::optional<std::uint32_t>& zone() const { return zone_; }

  const config::ScenarioSpec& spec_;
  const config::L7Spec& l7_;
  const ExportOptions& options_;
  Export& out_;

private:
  std::optional<std::uint32_t> zone_;
  bool record_ = true;
  std::string text_;
  std::vector<SideFile> side_files_;
  std::vector<const l7::Rule*> rules_;
};

std::vector<ProxyConfig> write_haproxy(const config::ScenarioSpec& spec, const ExportOptions& options, Export& out);
std::vector<ProxyConfig> write_nginx(const config::ScenarioSpec& spec, const ExportOptions& options, Export& out);

}  // namespace lbsim::exporting
