// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Runs `lbsim` command lines as a Slurm job array: one task per command line, each
// written as one argument per line in DIR/slurm/<task>.args, read back by the batch
// script DIR/sweep.sbatch, which execs this very binary with them. Nothing here knows
// what the commands are; `lbsim sweep --slurm` is its user.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace lbsim::cli::slurm {

// Writes the task files and the batch script; returns the script's path.
std::filesystem::path write_job_array(const std::filesystem::path& out_dir, const std::vector<std::vector<std::string>>& tasks);

// sbatch --parsable [--wait] SCRIPT: the job's id, or nothing when sbatch failed.
std::optional<std::string> submit(const std::filesystem::path& script, bool wait);

// `text` as one word for a POSIX shell.
std::string shell_quoted(const std::string& text);

}  // namespace lbsim::cli::slurm
