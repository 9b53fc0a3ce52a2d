// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The words of the run summary (the terminal) and of report.html, in English and Korean:
// `lbsim run --language ko`. Like the trace's notes (core/text/messages.hpp) they are
// looked up by id, with {N} slots for names and figures, so both languages carry the same
// figures. The Korean follows docs/ko-glossary.md. What the run writes for machines
// (summary.json, CSV) keeps its English keys whatever the language.
#include <string>
#include <string_view>
#include <vector>

#include "text/messages.hpp"

namespace lbsim::reports {

const text::Catalog& report_words();

// The message `id` in `language` with its slots filled.
std::string say(std::string_view id, text::Language language, std::vector<std::string> args = {});

// A message that is a list, such as a table's column titles "zone|requests|...".
std::vector<std::string> say_list(std::string_view id, text::Language language);

}  // namespace lbsim::reports
