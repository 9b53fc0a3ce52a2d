// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/quiz_reader.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "text/messages.hpp"

namespace lbsim::config::detail {

namespace {

constexpr std::array<std::pair<std::string_view, QuizQuestion::Ask>, 4> kAsks{{
    {"rewrote", QuizQuestion::Ask::rewrote},  // the header fields the hop rewrote
    {"read", QuizQuestion::Ask::read},        // the fields it based its decision on
    {"layer", QuizQuestion::Ask::layer},      // the highest OSI layer it read
    {"node", QuizQuestion::Ask::node},        // which node it was
}};

constexpr std::array<std::string_view, 4> kTiers{"client", "l4", "l7", "backend"};

// `{ en: ..., ko: ... }`: a lesson speaks both languages.
void read_texts(Context& ctx, const YAML::Node& node, const std::string& path, std::string& en, std::string& ko) {
  MapReader m(ctx, node, path);
  if (!m.valid()) return;
  const YAML::Node e = m.require("en", "the text in English"), k = m.require("ko", "the text in Korean");
  if (e.IsDefined())
    if (auto text = read_scalar(ctx, e, m.key_path("en"), "a text")) en = *text;
  if (k.IsDefined())
    if (auto text = read_scalar(ctx, k, m.key_path("ko"), "a text")) ko = *text;
}

void read_hop(Context& ctx, const YAML::Node& node, const std::string& path, QuizQuestion& q) {
  MapReader m(ctx, node, path);
  if (!m.valid()) return;
  const bool given = node.IsMap() && (node["tier"].IsDefined() || node["note"].IsDefined());
  if (const YAML::Node tier = m.take("tier"); tier.IsDefined()) {
    if (auto t = read_scalar(ctx, tier, m.key_path("tier"), "client, l4, l7 or backend")) {
      if (std::find(kTiers.begin(), kTiers.end(), *t) == kTiers.end())
        ctx.error(tier, m.key_path("tier") + ": expected one of client, l4, l7, backend, got '" + *t + "'");
      else q.tier = *t;
    }
  }
  if (const YAML::Node note = m.take("note"); note.IsDefined()) {
    if (auto n = read_scalar(ctx, note, m.key_path("note"), "a trace note's id such as l7.terminates")) {
      const auto& catalog = text::catalog();
      if (std::none_of(catalog.begin(), catalog.end(), [&](const text::Message& msg) { return msg.id == *n; }))
        ctx.error(note, m.key_path("note") + ": no trace note '" + *n + "'; `lbsim trace --format json` lists each hop's note_ids");
      else q.note = *n;
    }
  }
  if (m.valid() && !given) ctx.error(node, path + ": expected a tier, a note, or both, to find the hop");
}

void read_answer(Context& ctx, const YAML::Node& node, const std::string& path, const ScenarioSpec& spec, QuizQuestion& q) {
  MapReader m(ctx, node, path);
  if (!m.valid()) return;
  if (const YAML::Node variant = m.take("variant"); variant.IsDefined()) {
    if (auto v = read_scalar(ctx, variant, m.key_path("variant"), "one of the file's variants")) {
      if (std::find(spec.variant_names.begin(), spec.variant_names.end(), *v) == spec.variant_names.end())
        ctx.error(variant, m.key_path("variant") + ": no variant '" + *v + "' in this file");
      else q.variant = *v;
    }
  }
  if (const YAML::Node request = m.take("request"); request.IsDefined())
    if (auto r = read_uint(ctx, request, m.key_path("request"), 1, 1'000'000)) q.request = *r;
  if (const YAML::Node hop = m.require("hop", "{ tier: l4 } or { note: l7.terminates }"); hop.IsDefined()) read_hop(ctx, hop, m.key_path("hop"), q);
  if (const YAML::Node ask = m.require("ask", "rewrote, read, layer or node"); ask.IsDefined()) {
    if (auto a = read_scalar(ctx, ask, m.key_path("ask"), "rewrote, read, layer or node")) {
      const auto found = std::find_if(kAsks.begin(), kAsks.end(), [&](const auto& entry) { return entry.first == *a; });
      if (found == kAsks.end()) ctx.error(ask, m.key_path("ask") + ": expected one of rewrote, read, layer, node, got '" + *a + "'");
      else q.ask = found->second;
    }
  }
}

void read_question(Context& ctx, const YAML::Node& item, const std::string& path, ScenarioSpec& spec) {
  MapReader m(ctx, item, path);
  if (!m.valid()) return;
  QuizQuestion q;
  q.line = item.Mark().line + 1;
  if (const YAML::Node text = m.require("question", "{ en: ..., ko: ... }"); text.IsDefined())
    read_texts(ctx, text, m.key_path("question"), q.question_en, q.question_ko);
  if (const YAML::Node choices = m.take("choices"); choices.IsDefined()) {
    for_each_item(ctx, choices, m.key_path("choices"), [&](const YAML::Node& c, const std::string& p) {
      if (auto choice = read_scalar(ctx, c, p, "a choice")) q.choices.push_back(*choice);
    });
    if (choices.IsSequence() && q.choices.size() < 2) ctx.error(choices, m.key_path("choices") + ": expected at least two choices");
  }
  if (const YAML::Node answer = m.require("answer", "{ hop: { tier: l4 }, ask: rewrote }"); answer.IsDefined())
    read_answer(ctx, answer, m.key_path("answer"), spec, q);
  if (q.choices.empty() && q.ask == QuizQuestion::Ask::layer && m.valid())
    ctx.error(item, path + ": expected choices (`ask: node` may be answered by clicking the node, `rewrote` and `read` by clicking "
                           "the header fields, but a layer needs choices)");
  if (const YAML::Node why = m.take("why"); why.IsDefined()) read_texts(ctx, why, m.key_path("why"), q.why_en, q.why_ko);
  spec.quiz.push_back(std::move(q));
}

}  // namespace

void read_quiz(Context& ctx, const YAML::Node& list, ScenarioSpec& spec) {
  for_each_item(ctx, list, "quiz", [&](const YAML::Node& item, const std::string& path) { read_question(ctx, item, path, spec); });
}

}  // namespace lbsim::config::detail
