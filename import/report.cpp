// SPDX-License-Identifier: GPL-3.0-or-later
#include "import/report.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>

namespace lbsim::importing {

std::string SourcePlace::to_string() const { return fmt::format("{}:{}", file, line); }

ImportError::ImportError(const SourcePlace& at, const std::string& what)
    : std::runtime_error(fmt::format("{}:{}:{}: error: {}", at.file, at.line, std::max(at.column, 1), what)) {}

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::mapped: return "mapped";
    case Verdict::approximated: return "approximated";
    case Verdict::dropped: return "dropped";
  }
  return "";
}

void ImportReport::add(Verdict verdict, const SourcePlace& at, std::string directive, std::string note) {
  entries_.push_back({verdict, at, std::move(directive), std::move(note)});
}

void ImportReport::overrule(const SourcePlace& at, const std::string& directive, Verdict verdict, const std::string& note) {
  for (ReportEntry& e : entries_)
    if (e.at.file == at.file && e.at.line == at.line) {
      e.verdict = verdict;
      e.note = note;
      return;
    }
  add(verdict, at, directive, note);
}

std::size_t ImportReport::count(Verdict verdict) const {
  return static_cast<std::size_t>(std::count_if(entries_.begin(), entries_.end(), [&](const ReportEntry& e) { return e.verdict == verdict; }));
}

void print_report(std::ostream& out, const ImportReport& report, bool all) {
  fmt::print(out, "import: {} directives mapped, {} approximated, {} dropped\n", report.count(Verdict::mapped),
             report.count(Verdict::approximated), report.count(Verdict::dropped));
  // In the input's order, so a reader can walk the file alongside.
  std::vector<const ReportEntry*> shown;
  for (const ReportEntry& e : report.entries())
    if (all || e.verdict != Verdict::mapped) shown.push_back(&e);
  std::stable_sort(shown.begin(), shown.end(), [](const ReportEntry* a, const ReportEntry* b) {
    return a->at.file != b->at.file ? a->at.file < b->at.file : a->at.line < b->at.line;
  });
  for (const ReportEntry* e : shown) fmt::print(out, "  {}: {}: {} — {}\n", e->at.to_string(), to_string(e->verdict), e->directive, e->note);
}

nlohmann::ordered_json report_json(const ImportReport& report) {
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (const ReportEntry& e : report.entries())
    entries.push_back({{"verdict", to_string(e.verdict)}, {"file", e.at.file}, {"line", e.at.line}, {"directive", e.directive}, {"note", e.note}});
  return {{"mapped", report.count(Verdict::mapped)},
          {"approximated", report.count(Verdict::approximated)},
          {"dropped", report.count(Verdict::dropped)},
          {"entries", std::move(entries)}};
}

}  // namespace lbsim::importing
