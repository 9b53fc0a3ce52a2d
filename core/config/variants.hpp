// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Variants: named sets of overrides a scenario file declares under `variants:`, so that
// "L4-only vs L4+L7" or "DNAT vs DSR" is one file. An override addresses a key of the
// YAML by its dotted path (`l4.forwarding`, `clients[0].arrival.rate`) and is applied to
// the parsed file before it is read, so a variant is checked exactly like a file, and
// every problem names the variant and the override's own file:line:column.
#include <string>
#include <vector>

#include "config/loader.hpp"

namespace lbsim::config {

// The variants a loaded scenario declares, in file order.
std::vector<std::string> variant_names(const ScenarioSpec& spec);

// The variants a file declares, reading only its `variants:` list. Throws ConfigError
// when the file is not YAML or the list is malformed.
std::vector<std::string> variant_names(const std::string& yaml_text, const std::string& file_name);

// The file with the named variant's overrides applied. Its `name` gets "/<variant>"
// appended and `variant` is set. Throws ConfigError: an unknown variant, an override
// whose path does not exist, or anything the file with the overrides fails to pass.
ScenarioSpec load_scenario_variant(const std::string& yaml_text, const std::string& file_name, const std::string& variant_name,
                                   const FileReader& read_file = {});

}  // namespace lbsim::config
