// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What every lbsim page shares: escaping, tables, the style sheet and the page frame, so
// report.html, comparison.html and sweep.html look alike and fit the same width.
#include <string>
#include <vector>

namespace lbsim::reports::html {

std::string escape(const std::string& text);

// rows[0] is the header; cells are escaped unless `cells_are_markup` (they hold <b> etc.).
std::string table(const std::vector<std::vector<std::string>>& rows, bool cells_are_markup = false);

// A whole page: <h1>title</h1>, then `body` (markup).
// `lang` is the page's language tag, for screen readers and fonts: "en" or "ko".
std::string page(const std::string& title, const std::string& body, const std::string& lang = "en");

}  // namespace lbsim::reports::html
