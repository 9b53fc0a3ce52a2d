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
  EXPECT_EQ(find_key("l7.cpu", "per_request")->default_text, "50us");
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

}  // namespace
}  // namespace lbsim::config::schema
