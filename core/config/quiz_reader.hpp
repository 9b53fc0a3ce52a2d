// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// `quiz:` — a lesson's questions (spec.hpp, QuizQuestion), checked as strictly as any
// other key: each must name a hop a trace can have and ask something of it.
#include <yaml-cpp/yaml.h>

#include "config/spec.hpp"
#include "config/yaml_reader.hpp"

namespace lbsim::config::detail {

// Reads the list into spec.quiz; variants must already be in spec.variant_names.
void read_quiz(Context& ctx, const YAML::Node& list, ScenarioSpec& spec);

}  // namespace lbsim::config::detail
