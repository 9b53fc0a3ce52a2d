// SPDX-License-Identifier: GPL-3.0-or-later
// The trace's message catalog: every message in both languages, with the same
// parameters, rendered by filling them in.
#include "text/messages.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/catalog_checks.hpp"

#include <regex>
#include <set>
#include <string>

namespace lbsim::text {
namespace {

using test::has_hangul;
using test::parameter_slots;

TEST(Messages, EveryMessageHasEnglishAndKoreanWithTheSameParameters) {
  std::set<std::string_view> ids;
  for (const Message& m : catalog()) {
    EXPECT_TRUE(ids.insert(m.id).second) << "listed twice: " << m.id;
    EXPECT_FALSE(m.en.empty()) << m.id;
    EXPECT_TRUE(has_hangul(m.ko)) << m.id << ": the Korean text is not Korean: " << m.ko;
    EXPECT_EQ(parameter_slots(m.en), parameter_slots(m.ko)) << m.id;
  }
  EXPECT_GE(ids.size(), 40u);
}

TEST(Messages, RenderingFillsEachParameterWhereTheLanguagePutsIt) {
  const Note note{"l4.new_flow", {"maglev", "app-a-1"}};
  EXPECT_EQ(render(note), "a new flow: maglev picked app-a-1");
  EXPECT_EQ(render(note, Language::ko), "새 흐름: maglev 알고리즘이 고른 대상은 app-a-1");
  // The Korean sentence puts the parameters in another order.
  EXPECT_EQ(render({"backend.served", {"500", "20"}}, Language::ko), "큐에서 20 us 기다린 뒤 500 us 동안 처리했다");
  EXPECT_EQ(render({"backend.served", {"500", "20"}}), "served in 500 us after 20 us in the queue");
}

TEST(Messages, AHopsMessageIsSaidInKoreanWhereItHasWordsAndProtocolNamesStay) {
  EXPECT_EQ(wire_message("request", Language::ko), "요청");
  EXPECT_EQ(wire_message("response 503", Language::ko), "응답 503");
  EXPECT_EQ(wire_message("SYN-ACK (to the L7 node)", Language::ko), "SYN-ACK (L7 노드로)");
  EXPECT_EQ(wire_message("SYN (new connection to the backend)", Language::ko), "SYN (백엔드로 새 연결)");
  EXPECT_EQ(wire_message("health check answer", Language::ko), "헬스 체크 응답");
  for (const char* protocol : {"SYN", "SYN-ACK", "ClientHello", "ServerHello..Finished", "Finished"})
    EXPECT_EQ(wire_message(protocol, Language::ko), protocol);
  EXPECT_EQ(wire_message("response 200", Language::en), "response 200");  // the trace's own form
  EXPECT_EQ(read_field("the whole HTTP request (the application)", Language::ko), "HTTP 요청 전체(애플리케이션)");
  EXPECT_EQ(read_field("cookie user_tier", Language::ko), "cookie user_tier");  // a field's name is a key
}

TEST(Messages, AnUnknownIdOrAMissingParameterIsAProgrammingErrorNotAnEmptyLine) {
  EXPECT_THROW(render({"l4.no_such_message"}), std::invalid_argument);
  EXPECT_THROW(render({"l4.new_flow", {"maglev"}}), std::invalid_argument);
  EXPECT_EQ(language_named("ko"), Language::ko);
  EXPECT_EQ(language_named("en"), Language::en);
  EXPECT_EQ(language_named("kr"), std::nullopt);
}

}  // namespace
}  // namespace lbsim::text
