// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/compare.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/scenario_file.hpp"
#include "reports/html/overlay.hpp"

namespace lbsim::cli {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

// ---- the runs ----

// Its name is "two-tier-3az", or "file:variant" for a variant.
struct Run : ChildRun {
  std::string file;
  std::optional<std::string> variant;
};

std::string run_name(const std::string& file, const std::optional<std::string>& variant) {
  const std::string stem = fs::path(file).stem().string();
  return variant ? stem + ":" + *variant : stem;
}

struct Plan {
  std::vector<Run> runs;
  std::vector<config::ScenarioSpec> specs;  // by run
};

// The files given, a file with variants standing for its variants. Every file and every
// variant is loaded first, so a typo fails the comparison before anything runs.
Plan plan_runs(const std::vector<std::string>& files, const fs::path& out_dir) {
  Plan plan;
  std::set<std::string> taken;
  std::vector<config::Diagnostic> problems;
  for (const auto& file : files) {
    std::vector<config::ScenarioSpec> specs;
    try {
      specs = load_file_and_variants(file);
    } catch (const config::ConfigError& e) {
      problems.insert(problems.end(), e.diagnostics().begin(), e.diagnostics().end());
      continue;
    }
    // specs[0] is the file as written; with variants, only they run.
    for (std::size_t i = specs.size() > 1 ? 1 : 0; i < specs.size(); ++i) {
      Run run;
      if (!specs[i].variant.empty()) run.variant = specs[i].variant;
      run.file = file;
      // Comparing a file with itself is allowed: the second run gets a suffix.
      run.name = unique_name(run_name(file, run.variant), taken);
      run.dir = out_dir / run.name;
      run.arguments = {file};
      if (run.variant) run.arguments.insert(run.arguments.end(), {"--variant", *run.variant});
      taken.insert(run.name);
      plan.runs.push_back(std::move(run));
      plan.specs.push_back(std::move(specs[i]));
    }
  }
  if (!problems.empty()) throw config::ConfigError(std::move(problems));
  return plan;
}

// ---- the comparison: one metric a row, one run a column ----

enum class Unit { count, per_second, ms, share, bytes, seconds, text };

struct Cell {
  std::optional<double> value;
  std::string text = "-";  // shown when there is no value: absent, "never", "met"
};

struct Metric {
  std::string key;    // in comparison.json: "latency_ms.p99"
  std::string label;  // on the table: "latency p99"
  Unit unit = Unit::count;
  std::vector<Cell> cells;  // by run
};

std::optional<double> number_at(const json& summary, const std::string& pointer) {
  const json::json_pointer at(pointer);
  if (!summary.contains(at) || !summary.at(at).is_number()) return std::nullopt;
  return summary.at(at).get<double>();
}

Metric metric_of(const std::vector<Run>& runs, std::string key, std::string label, Unit unit,
                 const std::function<Cell(const json&)>& cell) {
  Metric m{std::move(key), std::move(label), unit, {}};
  for (const auto& run : runs) m.cells.push_back(cell(run.summary));
  return m;
}

Cell value_cell(std::optional<double> value) { return value ? Cell{value} : Cell{}; }

// The mean over zones of one tier's utilization (the summary's zones[].utilization);
// absent from a layout without that tier.
Cell tier_utilization(const json& summary, const std::string& tier) {
  double sum = 0;
  int zones = 0;
  for (const auto& zone : summary.value("zones", json::array())) {
    if (!zone.contains("utilization") || !zone["utilization"].contains(tier)) continue;
    sum += zone["utilization"][tier].get<double>();
    ++zones;
  }
  return zones > 0 ? Cell{sum / zones} : Cell{};
}

// A sum over the summary's nodes.
Cell node_sum(const json& summary, const std::function<double(const json&)>& of) {
  double sum = 0;
  for (const auto& node : summary.value("nodes", json::array())) sum += of(node);
  return Cell{sum};
}

double l4_nic_bytes(const json& node) {
  if (node.value("kind", "") != "l4") return 0;
  return node.value("tx_bytes", 0.0) + node.value("rx_bytes", 0.0);
}

double tls_cpu_seconds(const json& node) { return node.contains("tls") ? node["tls"].value("cpu_seconds", 0.0) : 0.0; }

// The union of a JSON object's keys over every run's summary, in first-seen order.
std::vector<std::string> keys_over_runs(const std::vector<Run>& runs, const std::string& pointer) {
  std::vector<std::string> keys;
  for (const auto& run : runs) {
    const json::json_pointer at(pointer);
    if (!run.summary.contains(at)) continue;
    for (const auto& [key, value] : run.summary.at(at).items())
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  }
  return keys;
}

std::vector<std::string> fault_labels(const std::vector<Run>& runs) {
  std::vector<std::string> labels;
  for (const auto& run : runs) {
    for (const auto& f : run.summary.value("faults", json::array())) {
      const std::string label = f.value("label", "");
      if (std::find(labels.begin(), labels.end(), label) == labels.end()) labels.push_back(label);
    }
  }
  return labels;
}

// A fault's time to detect or recover: absent when the run has no such fault, "never"
// when it did not happen.
Cell fault_time(const json& summary, const std::string& label, const char* field) {
  for (const auto& f : summary.value("faults", json::array())) {
    if (f.value("label", "") != label) continue;
    return f[field].is_null() ? Cell{std::nullopt, "never"} : Cell{f[field].get<double>()};
  }
  return Cell{};
}

Cell slo_cell(const json& summary) {
  if (!summary.contains("slo")) return Cell{};
  return Cell{std::nullopt, summary["slo"]["passed"].get<bool>() ? "met" : "MISSED"};
}

std::vector<Metric> metrics_of(const std::vector<Run>& runs) {
  std::vector<Metric> rows;
  const auto number = [&](const std::string& key, const std::string& label, Unit unit, const std::string& pointer) {
    rows.push_back(metric_of(runs, key, label, unit, [&](const json& s) { return value_cell(number_at(s, pointer)); }));
  };
  for (const char* count : {"sent", "completed", "failed"})
    number(std::string("requests.") + count, std::string("requests ") + count, Unit::count, std::string("/requests/") + count);
  number("throughput_rps", "throughput", Unit::per_second, "/throughput_rps");
  const std::pair<std::string, std::string> latencies[] = {{"p50", "p50"}, {"p90", "p90"}, {"p99", "p99"}, {"p999", "p99.9"}, {"mean", "mean"}};
  for (const auto& [field, label] : latencies) number("latency_ms." + field, "latency " + label, Unit::ms, "/latency_ms/" + field);
  for (const auto& kind : keys_over_runs(runs, "/requests/failures"))
    rows.push_back(metric_of(runs, "failures." + kind, "failures " + kind, Unit::count,
                             [&](const json& s) { return Cell{number_at(s, "/requests/failures/" + kind).value_or(0)}; }));
  for (const std::string tier : {"l4", "l7", "backend"})
    rows.push_back(metric_of(runs, "utilization." + tier, "utilization " + tier, Unit::share,
                             [&](const json& s) { return tier_utilization(s, tier); }));
  rows.push_back(metric_of(runs, "l4_nic_bytes", "L4 NIC bytes", Unit::bytes, [](const json& s) { return node_sum(s, l4_nic_bytes); }));
  rows.push_back(metric_of(runs, "tls_cpu_seconds", "TLS CPU", Unit::seconds, [](const json& s) { return node_sum(s, tls_cpu_seconds); }));
  number("cross_zone_bytes", "cross-zone bytes", Unit::bytes, "/timeline/cross_zone_bytes_total");
  for (const auto& label : fault_labels(runs)) {
    rows.push_back(metric_of(runs, "faults." + label + ".time_to_detect_s", label + ": detect", Unit::seconds,
                             [&](const json& s) { return fault_time(s, label, "time_to_detect_s"); }));
    rows.push_back(metric_of(runs, "faults." + label + ".time_to_recover_s", label + ": recover", Unit::seconds,
                             [&](const json& s) { return fault_time(s, label, "time_to_recover_s"); }));
  }
  rows.push_back(metric_of(runs, "slo", "objectives (slo)", Unit::text, slo_cell));
  // A row no run has (the L7 tier of L4-only layouts, objectives none declared) says nothing.
  std::erase_if(rows, [](const Metric& m) {
    return std::all_of(m.cells.begin(), m.cells.end(), [](const Cell& c) { return !c.value && c.text == "-"; });
  });
  return rows;
}

// ---- formatting ----

// Bytes in SI units, the scale chosen by the larger of the value and `scale_of`.
std::string bytes_text(double bytes, double scale_of) {
  const double magnitude = std::max(std::abs(bytes), std::abs(scale_of));
  if (magnitude >= 1e9) return fmt::format("{:.3f} GB", bytes / 1e9);
  if (magnitude >= 1e6) return fmt::format("{:.3f} MB", bytes / 1e6);
  if (magnitude >= 1e3) return fmt::format("{:.3f} KB", bytes / 1e3);
  return fmt::format("{:.0f} B", bytes);
}

std::string value_text(Unit unit, double v, double scale_of = 0) {
  switch (unit) {
    case Unit::count: return fmt::format("{:.0f}", v);
    case Unit::per_second: return fmt::format("{:.1f}/s", v);
    case Unit::ms: return fmt::format("{:.3f} ms", v);
    case Unit::share: return fmt::format("{:.2f}%", 100 * v);
    case Unit::bytes: return bytes_text(v, scale_of);
    case Unit::seconds: return fmt::format("{:.3f} s", v);
    case Unit::text: break;
  }
  return "";
}

std::string cell_text(const Metric& m, const Cell& c) { return c.value ? value_text(m.unit, *c.value) : c.text; }

struct Delta {
  double absolute = 0;
  std::optional<double> percent;  // none when the first run's value is 0 and this one's is not
};

std::optional<Delta> delta_of(const Cell& first, const Cell& other) {
  if (!first.value || !other.value) return std::nullopt;
  Delta d{*other.value - *first.value, std::nullopt};
  if (*first.value != 0) d.percent = 100 * d.absolute / std::abs(*first.value);
  else if (d.absolute == 0) d.percent = 0.0;
  return d;
}

// "+1.250 ms (+2.3%)"; a share's difference is in percentage points.
std::string delta_text(const Metric& m, const std::optional<Delta>& d) {
  if (!d) return "-";
  std::string text;
  if (d->absolute == 0) text = "0";
  else if (m.unit == Unit::share) text = fmt::format("{:+.2f} pp", 100 * d->absolute);
  else text = std::string(d->absolute > 0 ? "+" : "-") + value_text(m.unit, std::abs(d->absolute));
  const std::string percent = d->percent ? fmt::format("{:+.1f}%", *d->percent) : "n/a";
  return text + " (" + (d->percent && *d->percent == 0 ? "0.0%" : percent) + ")";
}

// The table as rows of text: a header, then one row per metric; the first column is the
// metric, then one per run, then for each run after the first its difference from the first.
std::vector<std::vector<std::string>> table_of(const std::vector<Run>& runs, const std::vector<Metric>& metrics) {
  std::vector<std::string> header{"metric"};
  for (const auto& run : runs) header.push_back(run.name);
  for (std::size_t r = 1; r < runs.size(); ++r) header.push_back("Δ " + runs[r].name);
  std::vector<std::vector<std::string>> table{header};
  for (const auto& m : metrics) {
    std::vector<std::string> row{m.label};
    for (const auto& c : m.cells) row.push_back(cell_text(m, c));
    for (std::size_t r = 1; r < runs.size(); ++r) row.push_back(delta_text(m, delta_of(m.cells[0], m.cells[r])));
    table.push_back(row);
  }
  return table;
}

// A folded YAML description ends with a newline.
std::string trimmed(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

void write_markdown(const fs::path& file, const std::vector<Run>& runs, const std::vector<config::ScenarioSpec>& specs,
                    const std::vector<std::vector<std::string>>& table, std::uint64_t seed, double duration_s) {
  std::ofstream out(file);
  out << "# lbsim compare\n\n" << fmt::format("Seed {}, {:g} s of traffic in every run.\n\n", seed, duration_s);
  std::set<std::string> described;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    out << "- **" << runs[r].name << "**: `" << runs[r].file << "`" << (runs[r].variant ? ", variant `" + *runs[r].variant + "`" : "")
        << " (" << (specs[r].has_l7() ? "l4+l7" : "l4-only") << ")\n";
  }
  for (std::size_t r = 0; r < runs.size(); ++r)
    if (!specs[r].description.empty() && described.insert(runs[r].file).second)
      out << "\n" << runs[r].file << ": " << trimmed(specs[r].description) << "\n";
  out << '\n';
  for (std::size_t i = 0; i < table.size(); ++i) {
    out << '|';
    for (const auto& cell : table[i]) out << ' ' << cell << " |";
    out << '\n';
    if (i == 0) {
      out << "|---|";
      for (std::size_t c = 1; c < table[i].size(); ++c) out << "---:|";
      out << '\n';
    }
  }
}

json delta_json(const std::optional<Delta>& d) {
  if (!d) return nullptr;
  return {{"absolute", d->absolute}, {"percent", d->percent ? json(*d->percent) : json(nullptr)}};
}

std::vector<std::string> missed_objectives(const Run& run) {
  std::vector<std::string> missed;
  if (run.summary.contains("slo"))
    for (const auto& o : run.summary["slo"]["objectives"])
      if (!o["passed"].get<bool>()) missed.push_back(o["text"]);
  return missed;
}

// The unit of a metric's values in comparison.json (shares are 0..1, not percentages).
const char* unit_name(Unit unit) {
  switch (unit) {
    case Unit::count: return "count";
    case Unit::per_second: return "per_second";
    case Unit::ms: return "ms";
    case Unit::share: return "share";
    case Unit::bytes: return "bytes";
    case Unit::seconds: return "s";
    case Unit::text: break;
  }
  return "text";
}

// The table again, with every run's latency distribution and p99 over time overlaid.
void write_comparison_page(const fs::path& file, const std::vector<Run>& runs, const std::vector<std::vector<std::string>>& table) {
  std::ostringstream text;
  print_table(text, table);
  std::vector<reports::html::RunFolder> folders;
  std::string title = "lbsim compare:";
  for (const Run& run : runs) {
    folders.push_back({run.name, run.dir});
    title += " " + run.name;
  }
  std::ofstream(file) << reports::html::comparison_html(title, text.str(), folders);
}

json comparison_json(const std::vector<Run>& runs, const std::vector<Metric>& metrics, std::uint64_t seed, double duration_s) {
  json out{{"seed", seed}, {"duration_s", duration_s}};
  json run_list = json::array();
  for (const auto& run : runs)
    run_list.push_back({{"name", run.name}, {"file", run.file}, {"variant", run.variant ? json(*run.variant) : json(nullptr)},
                        {"scenario", run.summary.value("scenario", "")}, {"layout", run.summary.value("layout", "")},
                        {"dir", run.dir.string()}, {"exit_code", run.exit_code}, {"slo_missed", missed_objectives(run)}});
  out["runs"] = run_list;
  json rows = json::array();
  for (const auto& m : metrics) {
    json values = json::array(), deltas = json::array();
    for (const auto& c : m.cells) values.push_back(c.value ? json(*c.value) : c.text == "-" ? json(nullptr) : json(c.text));
    for (std::size_t r = 0; r < m.cells.size(); ++r) deltas.push_back(r == 0 ? json(nullptr) : delta_json(delta_of(m.cells[0], m.cells[r])));
    rows.push_back({{"key", m.key}, {"label", m.label}, {"unit", unit_name(m.unit)}, {"values", values}, {"deltas", deltas}});
  }
  out["metrics"] = rows;
  return out;
}

// ---- the command ----

int slo_gate(const std::vector<Run>& runs) {
  int code = 0;
  for (const auto& run : runs) {
    const auto missed = missed_objectives(run);
    if (missed.empty()) continue;
    std::string list;
    for (const auto& text : missed) list.append(list.empty() ? "" : "; ").append(text);
    std::cerr << "lbsim: run '" << run.name << "' missed its service-level objectives: " << list << '\n';
    code = kExitSloMissed;
  }
  return code;
}

}  // namespace

CLI::App* add_compare_command(CLI::App& app, CompareArgs& args) {
  CLI::App* cmd = app.add_subcommand("compare", "run scenarios (and each variant of a file with variants) side by side");
  cmd->add_option("FILES", args.files, "scenario files (YAML)")->required();
  add_child_run_options(*cmd, args, "write each run and comparison.json, comparison.md here (default out/compare)", "the first file's");
  return cmd;
}

int compare(const CompareArgs& args) {
  Plan plan = plan_runs(args.files, args.out_dir);
  // Every run gets the first file's seed and duration unless told otherwise.
  const auto settings = child_run_settings(args, plan.specs.front());
  if (!settings) return kExitBadInput;
  const std::uint64_t seed = settings->seed;
  const double duration_s = settings->duration_s;
  std::cout << fmt::format("lbsim compare: {} runs, seed {}, {:g} s of traffic each, {} at a time\n", plan.runs.size(), seed,
                           duration_s, std::min<std::size_t>(settings->jobs, plan.runs.size()))
            << std::flush;  // before the children start
  const auto children = child_runs_of(plan.runs);
  run_children(children, *settings);
  read_summaries(children);
  if (report_failures(children, "run")) return kExitCrashed;

  const auto metrics = metrics_of(plan.runs);
  const auto table = table_of(plan.runs, metrics);
  std::cout << '\n';
  print_table(std::cout, table);
  const fs::path out_dir(args.out_dir);
  std::ofstream(out_dir / "comparison.json") << comparison_json(plan.runs, metrics, seed, duration_s).dump(2) << '\n';
  write_markdown(out_dir / "comparison.md", plan.runs, plan.specs, table, seed, duration_s);
  write_comparison_page(out_dir / "comparison.html", plan.runs, table);
  std::cout << "\n  wrote comparison.json, comparison.md and comparison.html in " << args.out_dir << '\n';
  return slo_gate(plan.runs);
}

}  // namespace lbsim::cli
