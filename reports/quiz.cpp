// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/quiz.hpp"

#include <algorithm>

#include "reports/trace.hpp"


namespace lbsim::reports {

namespace {

bool carries(const nlohmann::json& hop, const std::string& note) {
  const auto ids = hop.value("note_ids", nlohmann::json::array());
  return std::any_of(ids.begin(), ids.end(), [&](const nlohmann::json& n) { return n.value("id", "") == note; });
}

std::vector<std::string> strings(const nlohmann::json& hop, const char* key) {
  std::vector<std::string> out;
  for (const auto& v : hop.value(key, nlohmann::json::array())) out.push_back(v.get<std::string>());
  return out;
}

std::vector<std::string> found_in(const config::QuizQuestion& q, const nlohmann::json& hop) {
  using Ask = config::QuizQuestion::Ask;
  switch (q.ask) {
    case Ask::rewrote: return strings(hop, "rewrote");
    case Ask::read: return strings(hop, "read");
    case Ask::layer: return {std::to_string(hop.value("osi_layer", 0))};
    case Ask::node: return {hop.value("node", "")};
  }
  return {};
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

const std::vector<std::string>& packet_fields() {
  static const std::vector<std::string> fields = [] {
    std::vector<std::string> out;
    for (const l4::Field f : kHeaderFields) out.emplace_back(l4::to_string(f));
    return out;
  }();
  return fields;
}

QuizAnswer answer_quiz(const config::QuizQuestion& q, const nlohmann::json& trace) {
  QuizAnswer a;
  const auto hops = trace.value("hops", nlohmann::json::array());
  for (std::size_t i = 0; i < hops.size(); ++i) {
    const nlohmann::json& hop = hops[i];
    if (!q.tier.empty() && hop.value("tier", "") != q.tier) continue;
    if (!q.note.empty() && !carries(hop, q.note)) continue;
    a.hop = static_cast<int>(i);
    a.node = hop.value("node", "");
    a.found = found_in(q, hop);
    break;
  }
  if (a.hop < 0) return a;
  if (q.click_node()) a.right = a.found;
  // Clicked on a drawn packet: the right answer is the hop's fields among its headers.
  if (q.click_fields())
    for (const auto& field : packet_fields())
      if (std::find(a.found.begin(), a.found.end(), field) != a.found.end()) a.right.push_back(field);
  for (const auto& choice : q.choices)
    if (std::find(a.found.begin(), a.found.end(), choice) != a.found.end()) a.right.push_back(choice);
  return a;
}

std::string quiz_explanation(const config::QuizQuestion& q, const QuizAnswer& a, text::Language language) {
  using Ask = config::QuizQuestion::Ask;
  const bool ko = language == text::Language::ko;
  if (a.hop < 0) return ko ? "이 요청의 트레이스에 그런 홉이 없다" : "the request's trace has no such hop";
  const std::string where = ko ? a.node + "의 " + std::to_string(a.hop + 1) + "번째 홉" : a.node + "'s hop " + std::to_string(a.hop + 1);
  std::string out;
  switch (q.ask) {
    case Ask::rewrote:
      out = a.found.empty() ? (ko ? where + "은 헤더를 바꾸지 않았다" : where + " rewrote no header field")
                            : (ko ? where + "에서 바꾼 필드: " + joined(a.found) : where + " rewrote " + joined(a.found));
      break;
    case Ask::read: out = ko ? where + "에서 읽은 필드: " + joined(a.found) : where + " read " + joined(a.found); break;
    case Ask::layer: out = ko ? where + "은 " + joined(a.found) + "계층까지 읽었다" : where + " read up to layer " + joined(a.found); break;
    case Ask::node: out = ko ? "그 홉의 노드: " + a.node : "that hop's node: " + a.node; break;
  }
  const std::string& why = ko ? q.why_ko : q.why_en;
  if (!why.empty()) out += ". " + why;
  return out;
}

nlohmann::ordered_json quiz_json(const config::QuizQuestion& q, const QuizAnswer& a, text::Language language) {
  const bool ko = language == text::Language::ko;
  return {{"question", ko ? q.question_ko : q.question_en},
          {"choices", q.click_fields() ? packet_fields() : q.choices},
          {"click_node", q.click_node()},
          {"click_fields", q.click_fields()},
          {"right", a.right},
          {"node", a.node},
          {"hop", a.hop},
          {"variant", q.variant},
          {"request", q.request},
          {"why", quiz_explanation(q, a, language)},
          {"line", q.line}};
}

}  // namespace lbsim::reports
