// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the tests of a message catalog (the trace's notes, the report's words) and of a
// Korean output check: that a text is Korean, and which {N} parameter slots a message has.
#include <algorithm>
#include <regex>
#include <set>
#include <string>
#include <string_view>

namespace lbsim::test {

// Hangul syllables are U+AC00..U+D7A3: UTF-8 lead bytes 0xEA..0xED.
inline bool has_hangul(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xEA && static_cast<unsigned char>(c) <= 0xED; });
}

inline std::multiset<std::string> parameter_slots(std::string_view text) {
  std::multiset<std::string> out;
  const std::string s(text);
  static const std::regex slot(R"(\{[0-9]\})");
  for (auto it = std::sregex_iterator(s.begin(), s.end(), slot); it != std::sregex_iterator(); ++it) out.insert(it->str());
  return out;
}

}  // namespace lbsim::test
