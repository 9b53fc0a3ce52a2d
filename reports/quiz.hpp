// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A quiz question answered from a traced request (config::QuizQuestion): the hop it points
// at, what that hop did, and so which choices are right — never a stored letter. `lbsim
// quiz` prints or streams them; the GUI's quiz asks them.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "config/spec.hpp"
#include "text/messages.hpp"

namespace lbsim::reports {

struct QuizAnswer {
  std::vector<std::string> right;  // the right choices (or, with none, the node or the header fields to click)
  std::string node;                // the hop's node
  int hop = -1;                    // its index in the trace (0-based), -1 when none matched
  std::vector<std::string> found;  // what the hop did, as the question asks it
};

// The header fields a packet drawing offers to click (layers 2 to 4, as the trace names them).
const std::vector<std::string>& packet_fields();

// The answer the trace gives (the JSON of `lbsim trace --format json`: each simulation
// runs in a process of its own, so a quiz reads its traces as their children wrote them).
// No hop matching the question: hop -1 and no right choice.
QuizAnswer answer_quiz(const config::QuizQuestion& question, const nlohmann::json& trace);

// Why, in `language`: "l4-a-0's hop 2 (L4) rewrote src_mac, dst_mac, dst_ip", then the
// teacher's own `why` if the lesson gives one.
std::string quiz_explanation(const config::QuizQuestion& question, const QuizAnswer& answer, text::Language language);

// One question with its answer, for the GUI (`lbsim quiz --format json`).
nlohmann::ordered_json quiz_json(const config::QuizQuestion& question, const QuizAnswer& answer, text::Language language);

}  // namespace lbsim::reports
