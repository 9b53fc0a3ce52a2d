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

std::vector<std::string> KindsInfo::names() const {
  std::vector<std::string> out;
  for (const auto& kind : kinds) out.push_back(kind.name);
  return out;
}

const KindEntry* KindsInfo::find(std::string_view name) const {
  for (const auto& kind : kinds)
    if (kind.name == name) return &kind;
  return nullptr;
}

const KindKey* KindsInfo::key_of(const KindEntry& kind, std::string_view key) const {
  for (const auto& k : kind.keys)
    if (k.key == key) return &k;
  return nullptr;
}

std::string KindsInfo::keys_of(const KindEntry& kind) const {
  std::vector<std::string> keys = before;
  keys.push_back(discriminator);
  for (const auto& k : kind.keys) keys.push_back(k.key);
  keys.insert(keys.end(), after.begin(), after.end());
  std::string out;
  for (const auto& key : keys) out += (out.empty() ? "" : ", ") + key;
  return out;
}

std::string KindsInfo::a_kind(const KindEntry& kind) const {
  const bool vowel = !kind.name.empty() && std::string_view("aeiou").find(kind.name.front()) != std::string_view::npos;
  return (vowel ? "an " : "a ") + kind.name + " " + noun;
}

void Deferred::add(std::string key, YAML::Node node) { nodes_.emplace_back(std::move(key), std::move(node)); }

void Deferred::merge(const Deferred& other) { nodes_.insert(nodes_.end(), other.nodes_.begin(), other.nodes_.end()); }

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
      section_info("target_groups.<name>.stickiness", "ALB's stickiness: a client keeps its backend while the cookie lasts.",
                   stickiness_kinds()),
      section_info("<tier>.tls", "`l7.tls`, or a target group's `tls` in an L4-only layout: the certificate of whoever terminates TLS.",
                   tls_certificate_fields()),
      section_info("clients[].arrival", "How a population's requests arrive: an open loop at a rate that may vary, or a closed loop.",
                   arrival_kinds()),
      section_info("clients[].arrival.steps[]", "One step of a `step` arrival.", step_fields()),
      section_info("<distribution>",
                   "`service_time` and `think_time` (durations, a constant think time may be 0), a template's `request` and "
                   "`response` (sizes; a bare size is a constant).",
                   distribution_kinds(Kind::duration)),
      section_info("l7.rules[]", "A listener rule: conditions and exactly one action (`forward`, `redirect` or `fixed_response`).",
                   rule_fields()),
      section_info("l7.rules[].if", "Conditions; a rule matches when all given match.", condition_fields()),
      section_info("l7.rules[].forward[]", "One weighted target group of a forward action.", forward_fields()),
      section_info("l7.rules[].redirect", "ALB's redirect: parts left out keep the request's own.", redirect_fields()),
      section_info("l7.rules[].fixed_response", "An answer from the balancer itself.", fixed_response_fields()),
      section_info("l7.rules[].rewrite", "Rewrites before forwarding (Envoy's regex_rewrite; ALB has host and path transforms).",
                   rewrite_fields()),
      section_info("l7.rules[].rewrite.<part>", "`path` and `host` each take these keys.", rewrite_part_fields()),
      section_info("faults[]", "One event of the failure timeline; names are as `lbsim topology` prints them.", fault_kinds()),
      section_info("slo[]", "One objective, checked after the run (a miss makes `lbsim run` exit 3): one metric, and a window.",
                   slo_fields()),
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

std::string kinds_table(const KindsInfo& kinds) {
  std::string out = "\n| `" + kinds.discriminator + "` | takes (optional ones in brackets) | meaning |\n|---|---|---|\n";
  for (const auto& kind : kinds.kinds) {
    std::string keys;
    for (const auto& k : kind.keys) keys += (keys.empty() ? "" : ", ") + (k.required ? "`" + k.key + "`" : "[`" + k.key + "`]");
    out += "| `" + kind.name + "` | " + (keys.empty() ? std::string("nothing more") : keys) + " | " + escape_cell(kind.doc) + " |\n";
  }
  return out;
}

}  // namespace

std::string section_table(const SectionInfo& section) {
  std::string out = "| key | type | default | meaning |\n|---|---|---|---|\n";
  for (const auto& k : section.keys) {
    const std::string def = k.required ? "(required)" : k.default_text.empty() ? "" : "`" + k.default_text + "`";
    out += "| `" + k.key + "` | " + escape_cell(type_text(k)) + " | " + escape_cell(def) + " | " + escape_cell(k.doc) + " |\n";
  }
  if (section.kinds) out += kinds_table(*section.kinds);
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

// A kind-dispatched block: each kind requires its own keys and admits no other kind's.
json kinds_schema(const KindsInfo& kinds) {
  json all = json::array();
  for (const auto& kind : kinds.kinds) {
    json when{{"properties", {{kinds.discriminator, {{"const", kind.name}}}}}};
    // The default kind applies when the discriminator is absent too.
    if (kind.name != kinds.default_kind) when["required"] = json::array({kinds.discriminator});
    json allowed = json::array(), required = json::array();
    for (const auto& key : kinds.before) allowed.push_back(key);
    allowed.push_back(kinds.discriminator);
    for (const auto& k : kind.keys) {
      allowed.push_back(k.key);
      if (k.required) required.push_back(k.key);
    }
    for (const auto& key : kinds.after) allowed.push_back(key);
    json then{{"propertyNames", {{"enum", allowed}}}};
    if (!required.empty()) then["required"] = required;
    all.push_back({{"if", when}, {"then", then}});
  }
  return all;
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
  if (section.kinds) s["allOf"] = kinds_schema(*section.kinds);
  return s;
}

// Nests `schema` under a key, keeping the key's own description.
void nest(json& parent, const std::string& key, json schema) {
  if (parent["properties"][key].contains("description")) schema["description"] = parent["properties"][key]["description"];
  parent["properties"][key] = std::move(schema);
}

json one_of(json a, json b) { return {{"oneOf", json::array({std::move(a), std::move(b)})}}; }

json list_of(json items) { return {{"type", "array"}, {"items", std::move(items)}}; }

}  // namespace

std::string json_schema() {
  const auto sections = scenario_sections();
  auto find = [&](const std::string& path) -> json {
    for (const auto& s : sections)
      if (s.path == path) return object_schema(s);
    return json::object();
  };
  json root{{"$schema", "https://json-schema.org/draft/2020-12/schema"}, {"title", "lbsim scenario"}};
  root.update(find(""));
  // Nest the sections the tables describe under the keys that hold them.
  json topology = find("topology");
  for (const char* link : {"internet", "intra_zone", "inter_zone"}) nest(topology, link, find("topology.<link>"));
  nest(root, "topology", topology);
  const json health = find("<tier>.health_check"), certificate = find("<tier>.tls");
  const json durations = find("<distribution>");
  const json sizes = object_schema(section_info("<distribution>", "a size, or a distribution of sizes", distribution_kinds(Kind::size)));
  json l4 = find("l4");
  nest(l4, "health_check", health);
  nest(root, "l4", l4);
  json rule = find("l7.rules[]");
  json conditions = find("l7.rules[].if");
  nest(conditions, "path", one_of({{"type", "string"}}, {{"type", "object"},
                                                         {"properties", {{"exact", {{"type", "string"}}}, {"prefix", {{"type", "string"}}}, {"glob", {{"type", "string"}}}}},
                                                         {"additionalProperties", false}}));
  nest(rule, "if", conditions);
  nest(rule, "forward", one_of({{"type", "string"}}, list_of(find("l7.rules[].forward[]"))));
  nest(rule, "redirect", find("l7.rules[].redirect"));
  nest(rule, "fixed_response", find("l7.rules[].fixed_response"));
  json rewrite = find("l7.rules[].rewrite");
  for (const char* part : {"path", "host"}) nest(rewrite, part, find("l7.rules[].rewrite.<part>"));
  nest(rule, "rewrite", rewrite);
  json l7 = find("l7");
  for (const char* sub : {"cpu", "outlier_detection", "rate_limit", "retries", "circuit_breakers"}) nest(l7, sub, find(std::string("l7.") + sub));
  nest(l7, "tls", certificate);
  nest(l7, "rules", list_of(rule));
  nest(root, "l7", l7);
  json group = find("target_groups.<name>");
  nest(group, "health_check", health);
  nest(group, "service_time", durations);
  nest(group, "stickiness", find("target_groups.<name>.stickiness"));
  nest(group, "tls", certificate);
  nest(root, "target_groups", {{"type", "object"}, {"additionalProperties", group}});
  json arrival = find("clients[].arrival");
  nest(arrival, "steps", list_of(find("clients[].arrival.steps[]")));
  nest(arrival, "think_time", durations);
  json mix = find("clients[].mix[]");
  KeyInfo size_key;
  size_key.kind = Kind::size;
  size_key.doc = "a size such as 20KB";
  for (const char* size : {"request", "response"}) nest(mix, size, one_of(value_schema(size_key), sizes));
  json client = find("clients[]");
  nest(client, "arrival", arrival);
  nest(client, "keepalive", find("clients[].keepalive"));
  nest(client, "retries", find("clients[].retries"));
  nest(client, "tls", one_of({{"const", "none"}}, find("clients[].tls")));
  nest(client, "mix", list_of(mix));
  nest(root, "clients", list_of(client));
  nest(root, "faults", list_of(find("faults[]")));
  nest(root, "slo", list_of(find("slo[]")));
  return root.dump(2) + "\n";
}

}  // namespace lbsim::config::schema
