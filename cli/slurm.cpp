// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/slurm.hpp"
#include "reports/output_files.hpp"

#include <cstdio>
#include <sstream>

namespace lbsim::cli::slurm {
namespace {

namespace fs = std::filesystem;

// Runs a command and returns its standard output; nothing if it failed.
std::optional<std::string> output_of(const std::string& command) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string out;
  char chunk[512];
  while (const std::size_t n = std::fread(chunk, 1, sizeof chunk, pipe)) out.append(chunk, n);
  return ::pclose(pipe) == 0 ? std::optional<std::string>(out) : std::nullopt;
}

}  // namespace

std::string shell_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

fs::path write_job_array(const fs::path& out_dir, const std::vector<std::vector<std::string>>& tasks) {
  reports::prepare_output_folder(out_dir / "slurm");
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    std::string lines;
    for (const auto& a : tasks[i]) lines += a + '\n';
    reports::write_file(out_dir / "slurm" / (std::to_string(i) + ".args"), lines);
  }
  const fs::path script = out_dir / "sweep.sbatch";
  std::ostringstream text;
  text << "#!/bin/bash\n"
       << "#SBATCH --job-name=lbsim-sweep\n"
       << "#SBATCH --array=0-" << tasks.size() - 1 << "\n"
       << "#SBATCH --output=" << (out_dir / "slurm" / "%a.log").string() << "\n"
       << "mapfile -t args < " << shell_quoted((out_dir / "slurm").string()) << "/\"$SLURM_ARRAY_TASK_ID\".args\n"
       << "exec " << shell_quoted(fs::read_symlink("/proc/self/exe").string()) << " \"${args[@]}\"\n";
  reports::write_file(script, text.view(), reports::FileMode::executable);
  return script;
}

std::optional<std::string> submit(const fs::path& script, bool wait) {
  const std::string command = std::string("sbatch --parsable") + (wait ? " --wait " : " ") + shell_quoted(script.string());
  const auto job = output_of(command);
  if (!job) return std::nullopt;
  return job->substr(0, job->find_first_of("\n;"));
}

}  // namespace lbsim::cli::slurm
