// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What `lbsim import` did with each directive of its input: mapped onto a scenario key,
// approximated (and how), or dropped (and why), each with its file and line — the
// honest half of an import, printed on stderr and written as JSON with --report.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace lbsim::importing {

// A place in an input file (1-based; column 0: the whole line).
struct SourcePlace {
  std::string file;
  int line = 0;
  int column = 0;
  std::string to_string() const;  // "haproxy.cfg:42"
};

// Malformed input: one line "file:line:column: error: what was expected", exit code 2.
class ImportError : public std::runtime_error {
public:
  ImportError(const SourcePlace& at, const std::string& what);
};

enum class Verdict { mapped, approximated, dropped };
std::string_view to_string(Verdict verdict);

struct ReportEntry {
  Verdict verdict = Verdict::mapped;
  SourcePlace at;
  std::string directive;  // the input's words, as written
  std::string note;       // mapped: to which scenario key; approximated: how; dropped: why
};

class ImportReport {
public:
  void mapped(const SourcePlace& at, std::string directive, std::string key) { add(Verdict::mapped, at, std::move(directive), std::move(key)); }
  void approximated(const SourcePlace& at, std::string directive, std::string how) {
    add(Verdict::approximated, at, std::move(directive), std::move(how));
  }
  void dropped(const SourcePlace& at, std::string directive, std::string why) { add(Verdict::dropped, at, std::move(directive), std::move(why)); }
  // The line's verdict becomes `verdict` (a later check found what the first did not).
  void overrule(const SourcePlace& at, const std::string& directive, Verdict verdict, const std::string& note);
  const std::vector<ReportEntry>& entries() const { return entries_; }
  std::size_t count(Verdict verdict) const;

private:
  void add(Verdict verdict, const SourcePlace& at, std::string directive, std::string note);
  std::vector<ReportEntry> entries_;
};

// The report as people read it: a count per verdict, then every approximated and dropped
// directive with its place (mapped ones only with `all`).
void print_report(std::ostream& out, const ImportReport& report, bool all = false);
nlohmann::ordered_json report_json(const ImportReport& report);

}  // namespace lbsim::importing
