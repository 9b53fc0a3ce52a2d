// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the fuzz targets share. A target returns normally for every input lbsim refuses
// with a positioned error (config::ConfigError); anything else that escapes — another
// exception, a crash, a sanitizer report, a hang — is a finding.
#include <cstdint>
#include <string>

#include "config/loader.hpp"

namespace lbsim::fuzz {

inline std::string text_of(const std::uint8_t* data, std::size_t size) { return std::string(reinterpret_cast<const char*>(data), size); }

// Files a fuzzed scenario names are never read: fuzzing must not touch the disk (a
// `file:` of /dev/zero would only test the machine).
inline config::FileContent no_files(const std::string& path) { return {std::nullopt, "fuzzing reads no file (" + path + ")"}; }

}  // namespace lbsim::fuzz
