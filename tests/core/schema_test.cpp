// SPDX-License-Identifier: GPL-3.0-or-later
// The schema the loader executes is the one the docs show and the editor schema holds.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "config/loader.hpp"
#include "config/schema.hpp"

namespace lbsim::config::schema {
namespace {

using ::testing::HasSubstr;

std::string slurp(const std::string& relative) {
  std::ifstream in(std::string(LBSIM_SOURCE_DIR) + "/" + relative);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Schema, TheCommittedScenarioDocShowsTheSchemasTables) {
  const std::string doc = slurp("docs/SCENARIOS.md");
  ASSERT_FALSE(doc.empty());
  EXPECT_EQ(doc, with_generated_tables(doc)) << "run: lbsim schema --update-doc docs/SCENARIOS.md";
  EXPECT_THAT(doc, ::testing::Not(HasSubstr("(no section")));
}

TEST(Schema, TheCommittedJsonSchemaIsWhatTheSchemaPrints) {
  EXPECT_EQ(slurp("docs/scenario.schema.json"), json_schema()) << "run: lbsim schema --json > docs/scenario.schema.json";
}

TEST(Schema, TheJsonSchemaRequiresWhatTheLoaderRequires) {
  const auto schema = nlohmann::json::parse(json_schema());
  EXPECT_EQ(schema["required"], nlohmann::json({"name", "topology", "target_groups", "l4", "clients"}));
  EXPECT_EQ(schema["additionalProperties"], false);
  EXPECT_EQ(schema["properties"]["l4"]["properties"]["forwarding"]["enum"], nlohmann::json({"dnat", "dsr"}));
  EXPECT_EQ(schema["properties"]["l7"]["properties"]["cpu"]["properties"]["cores"]["maximum"], 256);
  EXPECT_EQ(schema["properties"]["l4"]["properties"]["idle_timeout"]["default"], "350s");  // NLB's
}

TEST(Schema, DefaultsAreTheSpecsWrittenAsAFileWould) {
  EXPECT_EQ(find_key("l4", "idle_timeout")->default_text, "350s");
  EXPECT_EQ(find_key("l7.cpu", "per_request")->default_text, "35us");  // HTTPS keep-alive through HAProxy/nginx, measured
  EXPECT_EQ(find_key("topology", "intra_zone")->default_text, "{ latency: 100us, bandwidth: 25Gbps }");
  EXPECT_EQ(find_key("clients[].retries", "backoff")->default_text, "25ms");  // Envoy's base interval
  EXPECT_EQ(find_key("target_groups.<name>", "error_rate")->default_text, "0%");
  EXPECT_EQ(find_key("l4", "table_size")->default_text, "65537");  // from the Maglev descriptor
  EXPECT_EQ(find_key("l4", "nosuchkey"), nullptr);
}

// A file that writes every default the schema states loads to the same spec as one
// that leaves them out: the docs' defaults are the loader's.
TEST(Schema, WritingTheDocumentedDefaultsChangesNothing) {
  const std::string base = R"(name: x
topology: { zones: [a] }
target_groups: { app: {} }
l4: { target_group: app }
clients: [ { name: web, arrival: { rate: 10/s }, mix: [ { path: / } ] } ]
)";
  std::string explicit_text = base;
  explicit_text.replace(explicit_text.find("l4: { target_group: app }"), 25,
                        "l4: { target_group: app, idle_timeout: " + find_key("l4", "idle_timeout")->default_text +
                            ", dns_ttl: " + find_key("l4", "dns_ttl")->default_text +
                            ", conntrack_capacity: " + find_key("l4", "conntrack_capacity")->default_text +
                            ", forwarding: " + find_key("l4", "forwarding")->default_text + " }");
  const auto a = load_scenario(base, "a.yaml");
  const auto b = load_scenario(explicit_text, "b.yaml");
  EXPECT_DOUBLE_EQ(a.l4.idle_timeout_s, b.l4.idle_timeout_s);
  EXPECT_DOUBLE_EQ(a.l4.dns_ttl_s, b.l4.dns_ttl_s);
  EXPECT_EQ(a.l4.conntrack_capacity, b.l4.conntrack_capacity);
  EXPECT_EQ(a.l4.forwarding, b.l4.forwarding);
}

// The kinds of a kind-dispatched section ("faults[]").
const KindsInfo& kinds_of(std::string_view path) {
  static const std::vector<SectionInfo> sections = scenario_sections();
  for (const auto& s : sections)
    if (s.path == path && s.kinds) return *s.kinds;
  throw std::runtime_error("no kind-dispatched section " + std::string(path));
}

TEST(Schema, EveryKindTakesOnlyKeysItsSectionDocuments) {
  int kind_blocks = 0;
  for (const auto& section : scenario_sections()) {
    if (!section.kinds) continue;
    ++kind_blocks;
    for (const auto& kind : section.kinds->kinds) {
      EXPECT_FALSE(kind.doc.empty()) << section.path << " " << kind.name;
      for (const auto& key : kind.keys)
        EXPECT_NE(find_key(section.path, key.key), nullptr) << section.path << ": kind " << kind.name << " takes an undocumented " << key.key;
    }
    // Every documented key but the common ones is taken by some kind.
    for (const auto& key : section.keys) {
      const auto& k = *section.kinds;
      if (key.key == k.discriminator || std::count(k.before.begin(), k.before.end(), key.key) ||
          std::count(k.after.begin(), k.after.end(), key.key))
        continue;
      const bool taken = std::any_of(k.kinds.begin(), k.kinds.end(), [&](const KindEntry& e) { return k.key_of(e, key.key) != nullptr; });
      EXPECT_TRUE(taken) << section.path << ": no kind takes " << key.key;
    }
  }
  EXPECT_EQ(kind_blocks, 4);  // arrivals, distributions, stickiness, faults
}

TEST(Schema, EachFaultKindHasOneNameAndItsEntry) {
  const KindsInfo& faults = kinds_of("faults[]");
  std::vector<std::string> names;
  for (int k = 0; k <= static_cast<int>(FaultKind::deregistration); ++k) {
    const std::string name(to_string(static_cast<FaultKind>(k)));
    EXPECT_NE(faults.find(name), nullptr) << "fault kind " << k << " named '" << name << "' has no schema entry";
    EXPECT_EQ(std::count(names.begin(), names.end(), name), 0) << name << " names two kinds";
    names.push_back(name);
  }
  EXPECT_EQ(names.size(), faults.kinds.size());
}

TEST(Schema, AKeyOfAnotherKindIsNamedWithWhatThisKindTakes) {
  const KindsInfo& arrivals = kinds_of("clients[].arrival");
  EXPECT_EQ(arrivals.keys_of(*arrivals.find("ramp")), "kind, from, to, over, start");
  EXPECT_EQ(arrivals.a_kind(*arrivals.find("ramp")), "a ramp arrival");
  EXPECT_EQ(arrivals.default_kind, "poisson");
}

}  // namespace
}  // namespace lbsim::config::schema
