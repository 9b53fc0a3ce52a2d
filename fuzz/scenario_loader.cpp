// SPDX-License-Identifier: GPL-3.0-or-later
// Scenario text -> load_scenario: every input loads or is refused with ConfigError.
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    lbsim::config::load_scenario(lbsim::fuzz::text_of(data, size), "fuzz.yaml", lbsim::fuzz::no_files);
  } catch (const lbsim::config::ConfigError&) {
  }
  return 0;
}
