// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The table of balancing algorithms. Adding one: write l4/<name>.cpp with a factory,
// declare it in l4/algorithms.hpp, add one line to the table in registry.cpp, and
// one test file in tests/core.
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "l4/picker.hpp"

namespace lbsim::l4 {

using PickerFactory = std::unique_ptr<Picker> (*)(std::span<const Target> targets, const PickerOptions& options);

struct Algorithm {
  std::string_view name;
  std::string_view summary;  // one line, shown by `lbsim algorithms` and in docs
  PickerFactory make;
  bool load_aware = false;   // reads PickInput::load
};

std::span<const Algorithm> algorithms();
const Algorithm* find_algorithm(std::string_view name);
std::vector<std::string> algorithm_names();
// Throws std::invalid_argument for an unknown name or an empty target list.
std::unique_ptr<Picker> make_picker(std::string_view name, std::span<const Target> targets,
                                    const PickerOptions& options = {});
// Whether the algorithm reads the LoadTracker (so the caller must keep one).
bool is_load_aware(std::string_view name);

}  // namespace lbsim::l4
