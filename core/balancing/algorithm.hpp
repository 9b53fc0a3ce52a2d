// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Everything about one balancing policy, in one place: its name and one-line doc, how to
// build it, what it reads, whether slow start can steer it, what kind of hash it is, and
// its tunables with their ranges (defaults come from PickerOptions). The loader, both
// tiers, the schema, `lbsim algorithms`, the docs and the GUI read this and nothing else.
//
// Adding an algorithm: a file balancing/<name>.cpp with its picker and its descriptor
// (`extern const Algorithm <name>{...}` in namespace registered), one line in the list
// in registry.cpp, and its tests.
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "balancing/picker.hpp"

namespace lbsim::balancing {

using PickerFactory = std::unique_ptr<Picker> (*)(std::span<const Target> targets, const PickerOptions& options);

// A scenario key of the algorithm's own (next to `algorithm:` in l4 or l7).
struct Tunable {
  std::string_view key;   // "choices"
  std::string_view doc;   // one sentence
  std::uint32_t PickerOptions::*field;
  std::uint32_t min = 0, max = 0;
  // A rule beyond the range, and how a message states it ("a prime number").
  bool (*valid)(std::uint64_t value) = nullptr;
  std::string_view valid_text = {};

  std::uint32_t default_value() const { return PickerOptions{}.*field; }
};

// What a change of the target set does to existing flows' picks (the disruption a
// scale-out causes): nothing to keep (none), most move (modulo), few move (consistent).
enum class Hashing { none, modulo, consistent };

struct Algorithm {
  std::string_view name;
  std::string_view summary;   // one line, shown by `lbsim algorithms`, the schema and the docs
  PickerFactory make;
  bool load_aware = false;    // reads PickInput::load (the caller keeps a LoadTracker)
  // May answer differently when asked again, so slow start can decline a warming target
  // and pick again (Envoy's way); a hash gives the same answer, so slow start cannot.
  bool steerable = false;
  Hashing hashing = Hashing::none;
  std::span<const Tunable> tunables = {};
  // Reads Target::weight; the loader refuses unequal weights under any other algorithm
  // rather than ignore them.
  bool weighted = false;
};

}  // namespace lbsim::balancing
