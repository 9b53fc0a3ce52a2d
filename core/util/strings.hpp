// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace lbsim {

// Levenshtein distance; used to suggest a known key for a misspelt one.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` if it is a plausible typo of it (distance at most
// a third of the word's length, and at least 1 allowed), else nothing.
std::optional<std::string> closest_match(std::string_view word, std::span<const std::string> candidates);

// "a, b or c"
std::string join_alternatives(std::span<const std::string> items);

}  // namespace lbsim
