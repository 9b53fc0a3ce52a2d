// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// lbsim quiz FILE: a lesson's questions with the answers its own runs give. Each traced
// request is a child `lbsim trace` (one simulation per process); a question whose choices
// hold no answer the run shows is the lesson's mistake, and exits 3.
#include <CLI/CLI.hpp>

#include <functional>

namespace lbsim::cli {

std::function<int()> add_quiz_command(CLI::App& app, CLI::App*& command);

}  // namespace lbsim::cli
