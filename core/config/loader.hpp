// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Reads a scenario file. Every problem is reported, not just the first, each as one
// line "file:line:column: error: <key>: <what was expected>" (a near-miss key also
// gets "did you mean ...?"). Nothing is silently ignored.
#include <functional>
#include <type_traits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/spec.hpp"

namespace lbsim::config {

struct Diagnostic {
  std::string file;  // or what else the problem is in: "--set l4.forwarding=dsx"
  int line = 0;      // 1-based; 0 for a problem outside any file
  int column = 0;    // 1-based
  std::string message;

  std::string to_string() const;  // file:line:column: error: message (file: error: message at line 0)
};

class ConfigError : public std::runtime_error {
public:
  explicit ConfigError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

private:
  std::vector<Diagnostic> diagnostics_;
};

// A file's text, or why it cannot be had ("not a regular file", "outside the scenario's
// folder", ...): `problem` is shown after "cannot read 'NAME': ".
struct FileContent {
  FileContent(std::optional<std::string> text_ = std::nullopt, std::string problem_ = {}, std::string location_ = {})
      : text(std::move(text_)), problem(std::move(problem_)), location(std::move(location_)) {}
  std::optional<std::string> text;
  std::string problem;
  std::string location;  // a head's: where the program found the file, to open it again
};

// Reads a file a scenario refers to (empirical samples), by the path the scenario gives.
// Core does no I/O: the programs supply this (cli/input_files.hpp resolves paths against
// the scenario's own folder, refuses what lies outside it, and bounds what it reads).
// A file too large to read whole (an access log a replay streams) is read by its head:
// the start of its content (decompressed), and where it is.
struct FileReader {
  using Read = std::function<FileContent(const std::string& path)>;
  FileReader() = default;
  template <class F>
    requires(std::is_invocable_r_v<FileContent, F, const std::string&> && !std::is_same_v<std::decay_t<F>, FileReader>)
  FileReader(F whole_file) : whole(std::move(whole_file)) {}  // NOLINT: a reader of whole files converts implicitly
  FileReader(Read whole_file, Read head_of_file) : whole(std::move(whole_file)), head(std::move(head_of_file)) {}

  FileContent operator()(const std::string& path) const { return whole(path); }
  explicit operator bool() const { return static_cast<bool>(whole); }

  Read whole;
  Read head;  // empty: no file can be streamed here
};
// How much of a streamed file's start a head holds: what the loader checks.
inline constexpr std::size_t kFileHeadBytes = 64 * 1024;

// Throws ConfigError. `file_name` is used in messages only. The file's `variants:` are
// checked and named in the spec but not applied (config/variants.hpp loads one).
ScenarioSpec load_scenario(const std::string& yaml_text, const std::string& file_name, const FileReader& read_file = {});

// A fault given while a run goes (lbsim run --stream, the GUI): one YAML or JSON mapping
// with the keys of a `faults:` item, checked the same way; `at` may be left out (the
// fault starts when it arrives). Throws ConfigError, its messages naming `source`.
FaultSpec load_live_fault(const ScenarioSpec& spec, const std::string& text, const std::string& source = "command");

}  // namespace lbsim::config
