// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "config/loader.hpp"
#include "config/variants.hpp"

namespace lbsim::cli {

// Reads and loads a scenario file, or with `variant` that variant of it
// (config/variants.hpp), with `overrides` applied last (--set). Throws config::ConfigError
// (an unreadable file is reported the same way, at 1:1).
config::ScenarioSpec load_scenario_file(const std::string& path, const std::optional<std::string>& variant = std::nullopt,
                                        const std::vector<config::SetOverride>& overrides = {});

// The file (or its `variant`) with `overrides` applied, as YAML to save (config::scenario_text_with_overrides;
// files it refers to are read from its folder). Throws config::ConfigError.
std::string edited_scenario_text(const std::string& path, const std::vector<config::SetOverride>& overrides,
                                 const std::optional<std::string>& variant = std::nullopt);

// `--set PATH=VALUE` options as overrides, split at the first '='. Throws
// config::ConfigError naming the option for one without a '='.
std::vector<config::SetOverride> parse_set_options(const std::vector<std::string>& options);

// The file as written, then each of its variants: every problem of every variant is
// reported in one ConfigError (a broken base file alone, since its variants share it).
// With `overrides`, each is loaded with them applied last; with `only`, only the variants
// named there are (those the file does not declare are passed over).
std::vector<config::ScenarioSpec> load_file_and_variants(const std::string& path, const std::vector<config::SetOverride>& overrides = {},
                                                          const std::vector<std::string>& only = {});

// For a file run without --variant that has variants, one line saying how to run them;
// empty otherwise.
std::string variants_note(const config::ScenarioSpec& spec, const std::string& path);

}  // namespace lbsim::cli
