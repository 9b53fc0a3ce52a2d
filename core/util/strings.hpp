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

// The byte offset of the first byte of `text` that does not begin a well-formed UTF-8
// sequence (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), or nothing.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

// `text` safe to show on a terminal: control characters (C0, DEL, C1) and bytes that are
// not UTF-8 become \xNN escapes, so a file can never send an escape sequence to the user's
// terminal; other characters (Korean included) are kept.
std::string printable(std::string_view text);

}  // namespace lbsim
