// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The balancing algorithms, by name (algorithm.hpp says how to add one).
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "balancing/algorithm.hpp"

namespace lbsim::balancing {

// In the order `lbsim algorithms` lists them.
std::span<const Algorithm* const> algorithms();
const Algorithm* find_algorithm(std::string_view name);
std::vector<std::string> algorithm_names();
// Every tunable key of any algorithm, once each (for "only for algorithm X" messages).
std::vector<std::string_view> tunable_keys();
// The algorithm that has this tunable key, if any.
const Algorithm* algorithm_with_tunable(std::string_view key);
// Throws std::invalid_argument for an unknown name or an empty target list.
std::unique_ptr<Picker> make_picker(std::string_view name, std::span<const Target> targets,
                                    const PickerOptions& options = {});
std::unique_ptr<Picker> make_picker(const Algorithm& algorithm, std::span<const Target> targets,
                                    const PickerOptions& options = {});

}  // namespace lbsim::balancing
