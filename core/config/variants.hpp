// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Variants: named sets of overrides a scenario file declares under `variants:`, so that
// "L4-only vs L4+L7" or "DNAT vs DSR" is one file. An override addresses a key of the
// YAML by its dotted path (`l4.forwarding`, `clients[0].arrival.rate`) and is applied to
// the parsed file before it is read, so a variant is checked exactly like a file, and
// every problem names the variant and the override's own file:line:column.
#include <optional>
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

// An override given on the command line (`lbsim run --set PATH=VALUE`, each point of
// `lbsim sweep`): the path as a variant's `set` writes it, the value as YAML text
// (`dsr`, `10000/s`, `{ cores: 8 }`; `~` deletes the key).
struct SetOverride {
  std::string path;
  std::string value;
};

// The file, or with `variant_name` that variant of it, with `overrides` applied after the
// variant's own, in order, exactly like a variant's `set`. Throws ConfigError: a problem
// with an override (its path, its value) is reported as "--set PATH=VALUE: error: ...",
// one found in the file's own text says "with --set PATH=VALUE ...", since an override
// may have caused it. The scenario's name is left alone (a variant still appends its own).
ScenarioSpec load_scenario_with_overrides(const std::string& yaml_text, const std::string& file_name,
                                          const std::optional<std::string>& variant_name,
                                          const std::vector<SetOverride>& overrides, const FileReader& read_file = {});

// The same edit as load_scenario_with_overrides, as YAML text to save (the GUI's "Save
// as"): checked first, so what is written loads. Comments are not kept (yaml-cpp drops
// them); keys keep their order and flow or block style.
std::string scenario_text_with_overrides(const std::string& yaml_text, const std::string& file_name,
                                         const std::optional<std::string>& variant_name,
                                         const std::vector<SetOverride>& overrides, const FileReader& read_file = {});

}  // namespace lbsim::config
