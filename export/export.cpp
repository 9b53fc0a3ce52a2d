// SPDX-License-Identifier: GPL-3.0-or-later
#include "export/export.hpp"

#include <algorithm>
#include <stdexcept>

#include "export/writer.hpp"

namespace lbsim::exporting {

std::vector<const l7::Rule*> rules_in_priority_order(const std::vector<l7::Rule>& rules) {
  std::vector<const l7::Rule*> sorted;
  for (const auto& r : rules) sorted.push_back(&r);
  std::stable_sort(sorted.begin(), sorted.end(), [](const l7::Rule* a, const l7::Rule* b) {
    if (a->is_default != b->is_default) return !a->is_default;
    return a->priority < b->priority;
  });
  return sorted;
}

ConfigWriter::ConfigWriter(const config::ScenarioSpec& spec, const ExportOptions& options, Export& out)
    : spec_(spec), l7_(*spec.l7), options_(options), out_(out), rules_(rules_in_priority_order(spec.l7->rules)) {}

std::vector<ProxyConfig> ConfigWriter::write_all() {
  std::vector<std::optional<std::uint32_t>> zones;
  if (l7_.cross_zone && !l7_.zone_aware) zones.emplace_back();
  else
    for (std::uint32_t z = 0; z < spec_.topology.zones.size(); ++z) zones.emplace_back(z);
  std::vector<ProxyConfig> configs;
  for (const auto& zone : zones) {
    zone_ = zone;
    record_ = configs.empty();
    text_.clear();
    side_files_.clear();
    ProxyConfig config;
    config.file_name = file_name();
    write_body();
    config.text = std::move(text_);
    config.side_files = std::move(side_files_);
    configs.push_back(std::move(config));
  }
  return configs;
}

void ConfigWriter::note(Mapping::Kind kind, std::string key, std::string how) {
  if (record_) out_.mappings.push_back({kind, std::move(key), std::move(how)});
}

std::string ConfigWriter::rule_key(const l7::Rule& rule, std::string_view what) {
  return "l7.rules[" + (rule.is_default ? std::string("default") : "priority " + std::to_string(rule.priority)) + "]." + std::string(what);
}

std::string ConfigWriter::rule_id(const l7::Rule& rule) { return rule.is_default ? "default" : "p" + std::to_string(rule.priority); }

Export export_l7(const config::ScenarioSpec& spec, Proxy proxy, const ExportOptions& options) {
  if (!spec.l7) throw std::invalid_argument("the scenario has no L7 tier to export (an L4-only layout)");
  Export e;
  e.certificate_key = spec.l7->tls_key;
  e.certificate_file = std::string("lbsim-") + std::string(tls::to_string(spec.l7->tls_key)) + ".pem";
  e.terminates_tls = std::any_of(spec.clients.begin(), spec.clients.end(), [](const auto& c) { return c.tls.enabled; });
  e.configs = proxy == Proxy::haproxy ? write_haproxy(spec, options, e) : write_nginx(spec, options, e);
  return e;
}

}  // namespace lbsim::exporting
