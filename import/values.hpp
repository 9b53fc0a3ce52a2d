// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What every importer writes the same way: target group names lbsim accepts, whole
// numbers read strictly, durations written as a scenario writes them.
#include <optional>
#include <string>
#include <string_view>

namespace lbsim::importing {

// A group name lbsim accepts: lower case, letters, digits, '-' and '_'; not a tier's.
std::string group_name(std::string_view name);

// The whole of `text` as a whole number, or nothing.
std::optional<long> whole_number(std::string_view text);

// Seconds as a scenario duration: "30s", "250ms", "500us".
std::string duration_text(double seconds);

// `text` as an RE2 pattern that matches it literally.
std::string regex_escaped(std::string_view text);

}  // namespace lbsim::importing
