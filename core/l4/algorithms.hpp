// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Factories of the built-in algorithms; registry.cpp lists them by name.
#include <memory>
#include <span>

#include "l4/picker.hpp"

namespace lbsim::l4 {

std::unique_ptr<Picker> make_round_robin(std::span<const Target> targets, const PickerOptions& options);
std::unique_ptr<Picker> make_random(std::span<const Target> targets, const PickerOptions& options);
std::unique_ptr<Picker> make_least_loaded(std::span<const Target> targets, const PickerOptions& options);
std::unique_ptr<Picker> make_least_request(std::span<const Target> targets, const PickerOptions& options);
std::unique_ptr<Picker> make_smooth_weighted_round_robin(std::span<const Target> targets, const PickerOptions& options);
std::unique_ptr<Picker> make_ring_hash(std::span<const Target> targets, const PickerOptions& options);
std::unique_ptr<Picker> make_source_ip_hash(std::span<const Target> targets, const PickerOptions& options);
std::unique_ptr<Picker> make_flow_hash(std::span<const Target> targets, const PickerOptions& options);
std::unique_ptr<Picker> make_maglev(std::span<const Target> targets, const PickerOptions& options);

}  // namespace lbsim::l4
