// SPDX-License-Identifier: GPL-3.0-or-later
// The schema as documentation: Markdown key tables and a JSON Schema, both printed from
// the tables the loader executes.
#include "config/schema.hpp"

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include "config/schema_tables.hpp"

namespace lbsim::config::schema {

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::integer: return "integer";
    case Kind::number: return "number";
    case Kind::boolean: return "true or false";
    case Kind::text: return "text";
    case Kind::name: return "name";
    case Kind::duration: return "duration";
    case Kind::bandwidth: return "bandwidth";
    case Kind::size: return "size";
    case Kind::rate: return "rate";
    case Kind::percent: return "percentage";
    case Kind::choice: return "one of";
    case Kind::section: return "mapping";
    case Kind::list: return "list";
    case Kind::map: return "mapping of names";
  }
  return "";
}

void Deferred::add(std::string key, YAML::Node node) { nodes_.emplace_back(std::move(key), std::move(node)); }

YAML::Node Deferred::operator[](std::string_view key) const {
  for (const auto& [k, node] : nodes_)
    if (k == key) return node;
  return YAML::Node(YAML::NodeType::Undefined);
}

namespace {
// A section whose defaults depend on where it is used (each link has its own).
SectionInfo without_defaults(SectionInfo section) {
  for (auto& key : section.keys) key.default_text.clear();
  return section;
}
}  // namespace

std::vector<SectionInfo> scenario_sections() {
  return {
      section_info("", "The top level of a scenario file.", top_fields()),
      section_info("topology", "Zones and the links between them.", topology_fields()),
      without_defaults(section_info("topology.<link>", "`internet`, `intra_zone` and `inter_zone` each take these keys (defaults above).",
                                    link_fields())),
      section_info("clients[]", "A client population: many addresses, each one browser with one connection at a time.", client_fields()),
      section_info("clients[].keepalive", "Connection reuse.", keepalive_fields()),
      section_info("clients[].tls", "HTTPS: each new connection pays TCP's and TLS's round trips to the tier that terminates TLS.",
                   client_tls_fields()),
      section_info("clients[].retries", "Retries as a client library does them (Envoy's and gRPC's shape), Envoy's defaults but `max`.",
                   client_retry_fields()),
      section_info("clients[].mix[]", "A weighted request template.", request_template_fields()),
      section_info("l4", "The L4 tier (NLB-style).", l4_fields()),
      section_info("<tier>.health_check", "Keys given override the preset of whoever checks (NLB's, ALB's) one by one.",
                   health_check_fields()),
      section_info("l7", "The L7 tier (ALB-style); without it the layout is L4-only.", l7_fields()),
      section_info("l7.cpu", "Each L7 node's CPU.", l7_cpu_fields()),
      section_info("l7.outlier_detection", "Envoy's passive health checks (defaults are Envoy's).", outlier_fields()),
      section_info("l7.rate_limit", "Token buckets per key, kept by each L7 node; an empty bucket is answered 429.", rate_limit_fields()),
      section_info("l7.retries", "Envoy's retry policy, by the L7 node to another backend; ALB does not retry.", l7_retry_fields()),
      section_info("l7.circuit_breakers", "Envoy's per-group circuit breakers, kept by each L7 node per target group.",
                   circuit_breaker_fields()),
      section_info("target_groups.<name>", "A pool of backends, `per_zone` in each zone.", target_group_fields()),
  };
}

const KeyInfo* find_key(std::string_view section_path, std::string_view key) {
  static const std::vector<SectionInfo> sections = scenario_sections();
  for (const auto& section : sections) {
    if (section.path != section_path) continue;
    for (const auto& k : section.keys)
      if (k.key == key) return &k;
  }
  return nullptr;
}

namespace {

std::string escape_cell(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') out += "\\|";
    else out += c;
  }
  return out;
}

std::string type_text(const KeyInfo& k) {
  std::string text(kind_name(k.kind));
  if (k.kind == Kind::choice) {
    text += ":";
    for (std::size_t i = 0; i < k.choices.size(); ++i) text += (i ? ", `" : " `") + k.choices[i] + "`";
  } else if (k.kind == Kind::integer && k.min && k.max) {
    text += " " + std::to_string(static_cast<std::uint64_t>(*k.min)) +
            (*k.max >= 9.2e18 ? " or more" : " to " + std::to_string(static_cast<std::uint64_t>(*k.max)));
  } else if (k.kind == Kind::duration || k.kind == Kind::bandwidth || k.kind == Kind::size || k.kind == Kind::rate) {
    text += k.allow_zero ? ", 0 or more" : ", above 0";
  }
  return text;
}

}  // namespace

std::string section_table(const SectionInfo& section) {
  std::string out = "| key | type | default | meaning |\n|---|---|---|---|\n";
  for (const auto& k : section.keys) {
    const std::string def = k.required ? "(required)" : k.default_text.empty() ? "" : "`" + k.default_text + "`";
    out += "| `" + k.key + "` | " + escape_cell(type_text(k)) + " | " + escape_cell(def) + " | " + escape_cell(k.doc) + " |\n";
  }
  return out;
}

std::string markdown() {
  std::string out;
  for (const auto& section : scenario_sections()) {
    out += "### " + (section.path.empty() ? std::string("Top level") : "`" + section.path + "`") + "\n\n";
    out += section.doc + "\n\n" + section_table(section) + "\n";
  }
  return out;
}

std::string with_generated_tables(const std::string& doc) {
  static constexpr std::string_view kOpen = "<!-- schema: ", kClose = "<!-- /schema -->";
  const auto sections = scenario_sections();
  std::string out;
  std::size_t at = 0;
  for (;;) {
    const std::size_t open = doc.find(kOpen, at);
    if (open == std::string::npos) break;
    const std::size_t name_end = doc.find(" -->", open);
    const std::size_t close = doc.find(kClose, name_end);
    if (name_end == std::string::npos || close == std::string::npos) break;
    std::string path = doc.substr(open + kOpen.size(), name_end - open - kOpen.size());
    if (path == "top level") path.clear();
    out += doc.substr(at, name_end + 4 - at) + "\n";
    bool found = false;
    for (const auto& section : sections)
      if (section.path == path) {
        out += section_table(section);
        found = true;
      }
    if (!found) out += "(no section '" + path + "' in the schema)\n";
    at = close;
  }
  return out + doc.substr(at);
}

namespace {

using json = nlohmann::ordered_json;

// Unit-bearing values are strings such as "20ms"; the pattern lets an editor flag a
// missing unit while typing. (The loader remains the judge of ranges.)
json value_schema(const KeyInfo& k) {
  json s{{"description", k.doc}};
  if (k.deferred) {  // read by hand (it may take several forms): documented, not typed
    if (!k.default_text.empty()) s["default"] = k.default_text;
    return s;
  }
  switch (k.kind) {
    case Kind::integer:
      s["type"] = "integer";
      if (k.min) s["minimum"] = *k.min;
      if (k.max) s["maximum"] = *k.max;
      break;
    case Kind::number: s["type"] = "number"; break;
    case Kind::boolean: s["type"] = "boolean"; break;
    case Kind::text: s["type"] = "string"; break;
    case Kind::name:
      s["type"] = "string";
      s["pattern"] = "^[a-z0-9_-]+$";
      break;
    case Kind::duration:
      s["type"] = "string";
      s["pattern"] = "^(0|[0-9.]+ ?(ns|us|ms|s|m|min|h))$";
      break;
    case Kind::bandwidth:
      s["type"] = "string";
      s["pattern"] = "^[0-9.]+ ?(bps|Kbps|Mbps|Gbps|Tbps|Bps|KBps|MBps|GBps)$";
      break;
    case Kind::size:
      s["type"] = "string";
      s["pattern"] = "^[0-9.]+ ?(B|KB|MB|GB|KiB|MiB|GiB)$";
      break;
    case Kind::rate:
      s["type"] = "string";
      s["pattern"] = "^[0-9.]+ ?/(s|ms|us|min|h)$";
      break;
    case Kind::percent:
      s["type"] = "string";
      s["pattern"] = "^[0-9.]+%$";
      break;
    case Kind::choice: s["enum"] = k.choices; break;
    case Kind::section:
    case Kind::map: s["type"] = "object"; break;
    case Kind::list: s["type"] = "array"; break;
  }
  if (!k.default_text.empty()) s["default"] = k.default_text;
  return s;
}

json object_schema(const SectionInfo& section) {
  json properties = json::object();
  json required = json::array();
  for (const auto& k : section.keys) {
    properties[k.key] = value_schema(k);
    if (k.required) required.push_back(k.key);
  }
  json s{{"type", "object"}, {"description", section.doc}, {"properties", properties}, {"additionalProperties", false}};
  if (!required.empty()) s["required"] = required;
  return s;
}

}  // namespace

std::string json_schema() {
  const auto sections = scenario_sections();
  auto find = [&](const std::string& path) -> const SectionInfo& {
    for (const auto& s : sections)
      if (s.path == path) return s;
    return sections.front();
  };
  json root{{"$schema", "https://json-schema.org/draft/2020-12/schema"}, {"title", "lbsim scenario"}};
  root.update(object_schema(find("")));
  auto& props = root["properties"];
  // Nest the sections the tables describe under the keys that hold them.
  json topology = object_schema(find("topology"));
  for (const char* link : {"internet", "intra_zone", "inter_zone"}) {
    json l = object_schema(find("topology.<link>"));
    l["description"] = topology["properties"][link]["description"];
    topology["properties"][link] = l;
  }
  props["topology"] = topology;
  json health = object_schema(find("<tier>.health_check"));
  json l4 = object_schema(find("l4"));
  l4["properties"]["health_check"] = health;
  props["l4"] = l4;
  json l7 = object_schema(find("l7"));
  for (const char* sub : {"cpu", "outlier_detection", "rate_limit", "retries", "circuit_breakers"})
    l7["properties"][sub] = object_schema(find(std::string("l7.") + sub));
  props["l7"] = l7;
  json group = object_schema(find("target_groups.<name>"));
  group["properties"]["health_check"] = health;
  props["target_groups"] = {{"type", "object"}, {"description", props["target_groups"]["description"]}, {"additionalProperties", group}};
  json client = object_schema(find("clients[]"));
  client["properties"]["keepalive"] = object_schema(find("clients[].keepalive"));
  client["properties"]["retries"] = object_schema(find("clients[].retries"));
  client["properties"]["tls"] = {{"oneOf", json::array({json{{"const", "none"}}, object_schema(find("clients[].tls"))})}};
  client["properties"]["mix"] = {{"type", "array"}, {"items", object_schema(find("clients[].mix[]"))}};
  props["clients"] = {{"type", "array"}, {"description", props["clients"]["description"]}, {"items", client}};
  return root.dump(2) + "\n";
}

}  // namespace lbsim::config::schema
