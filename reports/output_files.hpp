// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Every file lbsim writes goes through here, so that a write that fails is never reported
// as done and a half-written file never looks complete:
//   - the content goes to a hidden temporary name beside the file (created exclusively,
//     never through a symlink), every write and the close are checked, and only then is
//     it renamed over the file: a symlink already at that name is replaced, not followed;
//   - a failure removes the temporary file and throws OutputError naming the file and why
//     (the command line turns it into "lbsim: error: cannot write FILE: why", exit 2).
#include <filesystem>
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace lbsim::reports {

class OutputError : public std::runtime_error {
public:
  OutputError(const std::filesystem::path& path, const std::string& why);
  const std::filesystem::path& path() const { return path_; }
  const std::string& what_failed() const { return why_; }

private:
  std::filesystem::path path_;
  std::string why_;
};

// Permissions of a written file (before the umask): data, or a script to run.
enum class FileMode { data, executable };

void write_file(const std::filesystem::path& path, std::string_view content, FileMode mode = FileMode::data);

// For writers that stream (CSV rows, .hgrm, Graphviz): the content is gathered first.
void write_file(const std::filesystem::path& path, const std::function<void(std::ostream&)>& produce);

// The folder a command will write into, made and proven writable before any run starts,
// so a bad --out costs no simulation. Throws OutputError naming the folder.
void prepare_output_folder(const std::filesystem::path& dir);

}  // namespace lbsim::reports
