// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the loader tests share: editing a scenario's text and collecting its errors.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/loader.hpp"

namespace lbsim::config::test {

// `text` with the first occurrence of `from` replaced by `to` (a test fails if absent).
inline std::string replace_first(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at == std::string::npos) return text;
  return text.replace(at, from.size(), to);
}

inline std::vector<Diagnostic> errors_of(const std::string& yaml) {
  try {
    load_scenario(yaml, "s.yaml");
  } catch (const ConfigError& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << "expected the scenario to be rejected";
  return {};
}

// The one error a scenario has, checked to be one line.
inline Diagnostic only_error(const std::string& yaml) {
  const auto errors = errors_of(yaml);
  EXPECT_EQ(errors.size(), 1u) << (errors.empty() ? std::string() : ConfigError(errors).what());
  if (errors.empty()) return {};
  for (const auto& e : errors) EXPECT_EQ(e.to_string().find('\n'), std::string::npos) << "one line per error";
  return errors.front();
}

}  // namespace lbsim::config::test
