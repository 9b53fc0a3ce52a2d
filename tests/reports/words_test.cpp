// SPDX-License-Identifier: GPL-3.0-or-later
// The run summary's and report's words: every message in both languages with the same
// slots, and a title list with as many columns in Korean as in English.
#include "reports/words.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "support/catalog_checks.hpp"

#include <regex>
#include <set>
#include <string>

namespace lbsim::reports {
namespace {

using test::has_hangul;
using test::parameter_slots;

// Words that are the same in both languages: symbols, and what Korean readers read as is.
const std::set<std::string_view> kSameInBoth = {"fault.stop", "sum.slo", "guide.waf"};

TEST(ReportWords, EveryMessageHasEnglishAndKoreanWithTheSameSlotsAndColumns) {
  std::set<std::string_view> ids;
  for (const auto& m : report_words().messages()) {
    EXPECT_TRUE(ids.insert(m.id).second) << "listed twice: " << m.id;
    EXPECT_FALSE(m.en.empty()) << m.id;
    if (!kSameInBoth.contains(m.id) && m.id != "page.lang")
      EXPECT_TRUE(has_hangul(m.ko)) << m.id << ": the Korean text is not Korean: " << m.ko;
    EXPECT_EQ(parameter_slots(m.en), parameter_slots(m.ko)) << m.id;
    EXPECT_EQ(std::count(m.en.begin(), m.en.end(), '|'), std::count(m.ko.begin(), m.ko.end(), '|')) << m.id << ": columns differ";
  }
  EXPECT_GE(ids.size(), 150u);
}

TEST(ReportWords, ATitleListSplitsOnBarsAndSlotsAreFilledWhereEachLanguagePutsThem) {
  EXPECT_EQ(say_list("sum.node_columns", text::Language::en), (std::vector<std::string>{"node", "kind", "zone", "requests", "util"}));
  EXPECT_EQ(say_list("sum.node_columns", text::Language::ko), (std::vector<std::string>{"노드", "종류", "영역", "요청", "사용률"}));
  EXPECT_EQ(say("sum.slo_missed", text::Language::en, {"1", "3"}), "1 of 3 objectives missed");
  EXPECT_EQ(say("sum.slo_missed", text::Language::ko, {"1", "3"}), "목표 3개 중 1개를 지키지 못했다");
  EXPECT_THROW(say("sum.no_such_word", text::Language::en), std::invalid_argument);
}

}  // namespace
}  // namespace lbsim::reports
