// SPDX-License-Identifier: GPL-3.0-or-later
// Variants: a file's named overrides, applied to its YAML before it is read.
#include "config/variants.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lbsim::config {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Line numbers in the tests below refer to this file.
const std::string kBase = R"(name: t
duration: 2s
topology:
  zones: [a, b]
clients:
  - name: web
    arrival: { rate: 100/s }
    mix: [ { path: /api } ]
l4:
  forwarding: dnat
l7:
  nodes_per_zone: 1
  rules:
    - { default: true, forward: api }
target_groups:
  api: { per_zone: 2 }
  static: { per_zone: 1 }
)";

const std::string kVariants = kBase + R"(variants:
  - name: dsr
    set: { l4.forwarding: dsr, l7.nodes_per_zone: 3 }
  - name: l4-only
    set:
      l7: ~
      l4.target_group: api
  - name: busy
    set: { "clients[0].arrival.rate": 500/s, target_groups.api: { per_zone: 4 }, l4.cross_zone: true }
  - name: baseline
)";

// kBase with one variant whose `set` is `overrides` (the variant's name is on line 19,
// its overrides on line 20, from column 10).
std::string with_variant(const std::string& overrides) {
  return kBase + "variants:\n  - name: v\n    set: { " + overrides + " }\n";
}

std::vector<Diagnostic> variant_errors(const std::string& yaml, const std::string& variant) {
  try {
    load_scenario_variant(yaml, "s.yaml", variant);
  } catch (const ConfigError& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << "expected variant '" << variant << "' to be rejected";
  return {};
}

Diagnostic only_variant_error(const std::string& yaml, const std::string& variant = "v") {
  const auto errors = variant_errors(yaml, variant);
  EXPECT_EQ(errors.size(), 1u);
  return errors.empty() ? Diagnostic{} : errors.front();
}

TEST(Variants, TheBaseFileIgnoresItsVariantsButKnowsTheirNames) {
  const ScenarioSpec spec = load_scenario(kVariants, "s.yaml");
  EXPECT_EQ(spec.name, "t");
  EXPECT_TRUE(spec.variant.empty());
  EXPECT_EQ(spec.l4.forwarding, Forwarding::dnat);
  const std::vector<std::string> names{"dsr", "l4-only", "busy", "baseline"};
  EXPECT_EQ(variant_names(spec), names);
  EXPECT_EQ(variant_names(kVariants, "s.yaml"), names);
  EXPECT_TRUE(variant_names(kBase, "s.yaml").empty());
}

TEST(Variants, OverridesReplaceValuesByTheirYamlPath) {
  const ScenarioSpec spec = load_scenario_variant(kVariants, "s.yaml", "dsr");
  EXPECT_EQ(spec.name, "t/dsr");
  EXPECT_EQ(spec.variant, "dsr");
  EXPECT_EQ(spec.l4.forwarding, Forwarding::dsr);
  ASSERT_TRUE(spec.l7);
  EXPECT_EQ(spec.l7->nodes_per_zone, 3u);
  EXPECT_EQ(spec.variant_names.size(), 4u);
}

TEST(Variants, ListItemsAndWholeValuesCanBeReplacedInPlace) {
  const ScenarioSpec spec = load_scenario_variant(kVariants, "s.yaml", "busy");
  EXPECT_DOUBLE_EQ(spec.clients[0].arrival.profile.rate_at(1.0), 500.0);
  // A replaced group keeps its place: group order decides node names and ids.
  ASSERT_EQ(spec.target_groups.size(), 2u);
  EXPECT_EQ(spec.target_groups[0].name, "api");
  EXPECT_EQ(spec.target_groups[0].per_zone, 4u);
  EXPECT_EQ(spec.target_groups[1].per_zone, 1u);
}

TEST(Variants, AListItemIsAddressedByBracketsOrByADigitKey) {
  // Brackets need no quotes in a block mapping; inside { } YAML reserves them, and
  // clients.0 needs none.
  const std::string block = kBase + "variants:\n  - name: v\n    set:\n      clients[0].arrival.rate: 7/s\n";
  EXPECT_DOUBLE_EQ(load_scenario_variant(block, "s.yaml", "v").clients[0].arrival.profile.rate_at(1.0), 7.0);
  const std::string dotted = with_variant("clients.0.arrival.rate: 9/s");
  EXPECT_DOUBLE_EQ(load_scenario_variant(dotted, "s.yaml", "v").clients[0].arrival.profile.rate_at(1.0), 9.0);
}

TEST(Variants, AMissingLastKeyIsCreated) {
  EXPECT_FALSE(load_scenario(kVariants, "s.yaml").l4.cross_zone);
  EXPECT_TRUE(load_scenario_variant(kVariants, "s.yaml", "busy").l4.cross_zone);
}

TEST(Variants, NullDeletesASectionTurningTwoTiersIntoL4Only) {
  const ScenarioSpec spec = load_scenario_variant(kVariants, "s.yaml", "l4-only");
  EXPECT_FALSE(spec.has_l7());
  ASSERT_TRUE(spec.l4.target_group);
  EXPECT_EQ(spec.target_groups[*spec.l4.target_group].name, "api");
}

TEST(Variants, AVariantWithoutSetIsTheFileAsWritten) {
  const ScenarioSpec spec = load_scenario_variant(kVariants, "s.yaml", "baseline");
  EXPECT_EQ(spec.name, "t/baseline");
  EXPECT_EQ(spec.l4.forwarding, Forwarding::dnat);
  EXPECT_EQ(spec.l7->nodes_per_zone, 1u);
}

TEST(Variants, AnInvalidValueIsReportedAtTheOverrideNamingTheVariant) {
  const Diagnostic d = only_variant_error(with_variant("l4.forwarding: dsx"));
  EXPECT_EQ(d.file, "s.yaml");
  EXPECT_EQ(d.line, 20);
  EXPECT_EQ(d.column, 27);
  EXPECT_THAT(d.message, StartsWith("variant 'v': l4.forwarding: expected one of"));
  EXPECT_THAT(d.message, HasSubstr("did you mean 'dsr'?"));
}

TEST(Variants, AnUnknownCreatedKeyIsReportedWhereTheVariantWroteIt) {
  const Diagnostic d = only_variant_error(with_variant("l4.cross_zon: true"));
  EXPECT_EQ(d.line, 20);
  EXPECT_EQ(d.column, 12);
  EXPECT_THAT(d.message, StartsWith("variant 'v': unknown key 'cross_zon' in l4; did you mean 'cross_zone'?"));
}

TEST(Variants, AnUnknownParentIsAnError) {
  const Diagnostic d = only_variant_error(with_variant("l7.outlier_detection.consecutive_5xx: 3"));
  EXPECT_EQ(d.line, 20);
  EXPECT_EQ(d.column, 12);
  EXPECT_THAT(d.message, HasSubstr("variant 'v': l7.outlier_detection.consecutive_5xx: l7 has no key 'outlier_detection'"));
  const Diagnostic typo = only_variant_error(with_variant("l4x.forwarding: dsr"));
  EXPECT_THAT(typo.message, HasSubstr("the top level has no key 'l4x'; did you mean 'l4'?"));
}

TEST(Variants, PathsMustFitTheFileShape) {
  EXPECT_THAT(only_variant_error(with_variant("\"clients[1].arrival.rate\": 5/s")).message, HasSubstr("clients has 1 item"));
  EXPECT_THAT(only_variant_error(with_variant("\"l4[0]\": x")).message, HasSubstr("l4 is a mapping, not a list"));
  EXPECT_THAT(only_variant_error(with_variant("l4.forwarding.mode: x")).message,
              HasSubstr("l4.forwarding is 'dnat', not a mapping"));
  EXPECT_THAT(only_variant_error(with_variant("l4.algorithm: ~")).message,
              HasSubstr("~ deletes a key, but l4 has no 'algorithm'"));
}

TEST(Variants, DeletingASectionIsCheckedLikeTheFile) {
  // Without l7, the L4 tier needs a target group: the error is the variant's.
  const auto errors = variant_errors(with_variant("l7: ~"), "v");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 10);
  EXPECT_THAT(errors[0].message, StartsWith("variant 'v': l4: an L4-only layout"));
}

TEST(Variants, MalformedVariantsMakeTheFileItselfInvalid) {
  const std::string text = kBase + R"(variants:
  - name: a
    sett: { l4.forwarding: dsr }
  - name: a
  - name: b
    set: { "clients[x]": 1, variants: [] }
)";
  try {
    load_scenario(text, "s.yaml");
    FAIL() << "expected the variants to be rejected";
  } catch (const ConfigError& e) {
    const auto& d = e.diagnostics();
    ASSERT_EQ(d.size(), 4u) << e.what();
    EXPECT_EQ(d[0].line, 20);
    EXPECT_THAT(d[0].message, HasSubstr("unknown key 'sett' in variants[0]; did you mean 'set'?"));
    EXPECT_EQ(d[1].line, 21);
    EXPECT_THAT(d[1].message, HasSubstr("variant 'a' is declared twice"));
    EXPECT_EQ(d[2].line, 23);
    EXPECT_THAT(d[2].message, HasSubstr("'clients[x]': expected a path of keys"));
    EXPECT_THAT(d[3].message, HasSubstr("a variant cannot change the list of variants"));
  }
}

TEST(Variants, AnUnknownVariantNameListsTheFilesVariants) {
  const Diagnostic d = only_variant_error(kVariants, "dssr");
  EXPECT_EQ(d.line, 19);
  EXPECT_THAT(d.message, HasSubstr("no variant 'dssr'; the file's variants are: dsr, l4-only, busy, baseline"));
  EXPECT_THAT(d.message, HasSubstr("did you mean 'dsr'?"));
  const Diagnostic none = only_variant_error(kBase, "dsr");
  EXPECT_EQ(none.line, 1);
  EXPECT_THAT(none.message, HasSubstr("the file has no variants"));
}

TEST(Variants, TheEditedFileSavesAsYamlThatLoadsToTheSameScenario) {
  const std::vector<SetOverride> sets{{"clients[0].arrival.rate", "250/s"}, {"l4.cross_zone", "true"}};
  const std::string saved = scenario_text_with_overrides(kVariants, "t.yaml", std::string("l4-only"), sets);
  const ScenarioSpec direct = load_scenario_with_overrides(kVariants, "t.yaml", std::string("l4-only"), sets);
  const ScenarioSpec reloaded = load_scenario_with_overrides(saved, "saved.yaml", std::nullopt, {});
  EXPECT_FALSE(reloaded.has_l7());
  EXPECT_TRUE(reloaded.l4.cross_zone);
  ASSERT_TRUE(reloaded.l4.target_group.has_value());
  EXPECT_EQ(reloaded.target_groups[*reloaded.l4.target_group].name, "api");
  EXPECT_EQ(reloaded.l4.forwarding, direct.l4.forwarding);
  EXPECT_DOUBLE_EQ(reloaded.clients[0].arrival.profile.rate_at(0), 250.0);
  EXPECT_EQ(reloaded.target_groups.size(), direct.target_groups.size());
  EXPECT_THAT(saved, ::testing::Not(HasSubstr("variants")));  // the variant is baked in
  // Without a variant the file keeps its variants, and a bad edit is refused, not saved.
  EXPECT_THAT(scenario_text_with_overrides(kVariants, "t.yaml", std::nullopt, {}), HasSubstr("variants"));
  EXPECT_THROW(scenario_text_with_overrides(kBase, "t.yaml", std::nullopt, {{"l4.forwarding", "teleport"}}), ConfigError);
}

}  // namespace
}  // namespace lbsim::config
