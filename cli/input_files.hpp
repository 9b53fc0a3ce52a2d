// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Reading the files a user names (a scenario) and the files a scenario names (empirical
// samples) as untrusted input: only regular files (a FIFO with no writer, /dev/zero or a
// directory get a clear error instead of a hang or bad_alloc), at most a stated size, and —
// for files a scenario names — only inside the scenario's own folder unless the user
// allows another one (--allow-path), so a shared scenario cannot read /etc/shadow.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "config/loader.hpp"

namespace lbsim::cli {

inline constexpr std::uintmax_t kDefaultMaxInputBytes = 64ull << 20;  // 64 MiB

struct InputPolicy {
  std::vector<std::filesystem::path> allowed_folders;  // besides each scenario's own
  std::uintmax_t max_bytes = kDefaultMaxInputBytes;
};

// The policy of this process (from --allow-path and --max-input-size), which every
// scenario load follows and child runs inherit.
void set_input_policy(InputPolicy policy);
const InputPolicy& input_policy();
// The options that give a child run this process's policy (none when it is the default).
std::vector<std::string> input_policy_arguments();

// "64MiB", "1GB", "1000000" (bytes): a size for --max-input-size, at most 16 GiB.
std::optional<std::uintmax_t> parse_input_size(const std::string& text);

// The text of `path` if it is a regular file of at most `max_bytes`, else why not.
config::FileContent read_regular_file(const std::filesystem::path& path, std::uintmax_t max_bytes);

// The start of `path`'s content (gzip decompressed), config::kFileHeadBytes at most, and
// its location, if it is a regular file; else why not.
config::FileContent read_file_head(const std::filesystem::path& path);

// The reader for files the scenario at `scenario_path` refers to: a relative name is
// resolved against the scenario's folder; the file (symbolic links followed) must lie
// inside that folder or one the policy allows.
config::FileReader files_of_scenario(const std::string& scenario_path);

}  // namespace lbsim::cli
