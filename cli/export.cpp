// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/export.hpp"

#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/child_runs.hpp"
#include "cli/scenario_file.hpp"
#include "export/export.hpp"
#include "reports/output_files.hpp"
#include "testbed/tls.hpp"

namespace lbsim::cli {
namespace {

struct ExportArgs {
  std::string file;
  std::string to;
  std::string out;
  std::optional<std::string> variant;
  std::vector<std::string> sets;  // --set PATH=VALUE
};

// A year: long enough to try the configuration, short enough not to be mistaken for a real one.
constexpr int kCertificateDays = 365;

int export_scenario(const ExportArgs& args) {
  const config::ScenarioSpec spec = load_scenario_file(args.file, args.variant, parse_set_options(args.sets));
  if (!spec.has_l7()) {
    std::cerr << "lbsim: error: " << args.file << ": an L4-only layout has no L7 tier to export (expected a scenario with `l7:`)\n";
    return 2;
  }
  const exporting::Proxy proxy = args.to == "haproxy" ? exporting::Proxy::haproxy : exporting::Proxy::nginx;
  exporting::ExportOptions options;
  if (!args.out.empty()) {
    reports::prepare_output_folder(args.out);
    options.directory = std::filesystem::absolute(args.out).lexically_normal().string();
  }
  exporting::Export e;
  try {
    e = exporting::export_l7(spec, proxy, options);
  } catch (const std::invalid_argument& why) {
    std::cerr << "lbsim: error: " << args.file << ": cannot export to " << args.to << ": " << why.what() << '\n';
    return 2;
  }
  const std::string report = exporting::mapping_report(e);
  if (args.out.empty()) {
    for (const auto& config : e.configs) {
      if (e.configs.size() > 1) std::cout << "# ---- " << config.file_name << '\n';
      std::cout << config.text;
    }
  } else {
    const std::filesystem::path dir(args.out);
    for (const auto& config : e.configs) {
      reports::write_file(dir / config.file_name, config.text);
      for (const auto& side : config.side_files) reports::write_file(dir / side.name, side.content);
    }
    if (e.terminates_tls) reports::write_file(dir / e.certificate_file, testbed::self_signed_pem(e.certificate_key, kCertificateDays));
    reports::write_file(dir / "export-report.txt", report);
    std::cerr << "lbsim: wrote";
    for (const auto& config : e.configs) std::cerr << ' ' << config.file_name;
    if (e.terminates_tls) std::cerr << ", " << e.certificate_file << " (self-signed: replace it with your own)";
    std::cerr << " and export-report.txt in " << args.out << '\n';
  }
  std::cerr << (report.empty() ? std::string("every key of the L7 tier maps exactly\n") : "keys " + args.to + " approximates or cannot express:\n" + report);
  return 0;
}

}  // namespace

std::function<int()> add_export_command(CLI::App& app, CLI::App*& command) {
  auto args = std::make_shared<ExportArgs>();
  command = app.add_subcommand("export", "write the scenario's L7 tier as an HAProxy or nginx configuration, and what does not map");
  command->add_option("FILE", args->file, "scenario file (YAML)")->required();
  command->add_option("--to", args->to, "haproxy or nginx")->required()->check(CLI::IsMember({"haproxy", "nginx"}));
  command->add_option("--out", args->out, "write the configuration, its certificate and the report into DIR (default: print it)");
  add_variant_and_set_options(*command, args->variant, args->sets, "export");
  return [args] { return export_scenario(*args); };
}

}  // namespace lbsim::cli
