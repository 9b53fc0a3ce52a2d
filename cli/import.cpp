// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/import.hpp"

#include <algorithm>
#include <filesystem>
#include <fnmatch.h>
#include <fmt/format.h>

#include <fstream>
#include <map>
#include <iostream>
#include <memory>
#include <sstream>

#include "engine/log_lines.hpp"
#include "import/import.hpp"
#include "import/traffic.hpp"
#include "reports/output_files.hpp"

namespace lbsim::cli {
namespace {

constexpr std::uintmax_t kMaxInputBytes = 16u << 20;  // a configuration, not a data dump

struct ImportArgs {
  std::string format;
  std::string log_format;  // traffic: --format alb|nginx|clf|jsonl
  std::string into;        // traffic: --into SCENARIO
  bool anonymise = false;  // traffic: --anonymise
  bool replay = false;     // traffic: --replay
  std::vector<std::string> files;
  std::string output;  // -o FILE; stdout without it
  std::string report;  // --report FILE (JSON)
  bool strict = false;
};

// A file's text, or a one-line reason it cannot be read.
std::optional<std::string> read_input(const std::string& path, std::string& problem) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    problem = "not a regular file";
    return std::nullopt;
  }
  if (std::filesystem::file_size(path, error) > kMaxInputBytes) {
    problem = "larger than 16 MiB: not a configuration";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) {
    problem = "cannot be read";
    return std::nullopt;
  }
  return text.str();
}

// What an nginx `include` names: a file, or a glob of files in one folder, relative to
// the including file's folder; bounded in number and size, refused with its position.
std::vector<importing::InputFile> read_include(const std::string& pattern, const std::string& including) {
  const std::filesystem::path base = std::filesystem::path(including).parent_path();
  const std::filesystem::path full = std::filesystem::path(pattern).is_absolute() ? std::filesystem::path(pattern) : base / pattern;
  std::vector<std::string> paths;
  if (pattern.find_first_of("*?[") == std::string::npos) {
    paths.push_back(full.string());
  } else {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(full.parent_path(), error))
      if (::fnmatch(full.filename().c_str(), entry.path().filename().c_str(), 0) == 0 && paths.size() < 256) paths.push_back(entry.path().string());
    std::sort(paths.begin(), paths.end());
  }
  std::vector<importing::InputFile> files;
  for (const std::string& path : paths) {
    std::string problem;
    auto text = read_input(path, problem);
    if (!text) throw importing::ImportError({including, 1, 1}, fmt::format("include {}: {}: {}", pattern, path, problem));
    files.push_back({path, std::move(*text)});
  }
  return files;
}

// A replay of the logs, as the scenario written to `args.output` names them.
std::string replay_arrival(const ImportArgs& args) {
  const std::filesystem::path folder = std::filesystem::absolute(std::filesystem::path(args.output)).parent_path();
  std::string files;
  for (const std::string& path : args.files) {
    const std::string name = std::filesystem::absolute(path).lexically_normal().lexically_proximate(folder).string();
    files += (files.empty() ? "" : ", ") + std::string("\"") + name + "\"";
  }
  if (args.files.size() > 1) files = "[" + files + "]";
  return fmt::format("{{ kind: replay, file: {}, format: {}, service_times: logged }}", files, args.log_format);
}

// lbsim import traffic: every line of every file (gzip read directly: zlib reads plain
// files as they are), streamed into a profile.
int run_traffic(const ImportArgs& args) {
  const auto format = importing::log_format_named(args.log_format);
  if (!format) {
    std::cerr << "lbsim: error: import traffic: --format alb, nginx, clf or jsonl is required\n";
    return 2;
  }
  if (args.output.empty()) {
    std::cerr << "lbsim: error: import traffic: -o FILE is required (the samples files go beside it)\n";
    return 2;
  }
  if (args.replay && args.anonymise) {
    std::cerr << "lbsim: error: import traffic: --replay sends the logs as they are, so it cannot --anonymise them\n";
    return 2;
  }
  importing::TrafficProfile profile;
  traffic::AccessLogParser parser(*format);
  traffic::LogRecord record;
  for (const std::string& path : args.files) {
    engine::LogLines lines(path);
    if (!lines.ok()) {
      std::cerr << path << ":1:1: error: cannot be read: " << lines.problem() << '\n';
      return 2;
    }
    std::string_view text;
    for (auto got = lines.next(text); got != engine::LogLines::Line::end; got = lines.next(text)) {
      const int line = static_cast<int>(lines.line_number());
      if (got == engine::LogLines::Line::too_long) {
        profile.malformed({path, line, 0}, "a line longer than 64 KiB");
        continue;
      }
      if (text.empty() || text[0] == '#') continue;
      std::string why;
      int column = 1;
      if (parser.parse(text, record, why, column)) {
        if (args.anonymise) importing::anonymise(record);
        profile.add(record);
      } else {
        profile.malformed({path, line, column}, why);
      }
    }
    if (!lines.problem().empty()) {
      std::cerr << path << ":" << lines.line_number() + 1 << ":1: error: " << lines.problem() << '\n';
      return 2;
    }
  }
  for (const auto& [at, why] : profile.first_malformed()) std::cerr << "import: skipped " << at.to_string() << ": " << why << '\n';
  if (profile.rows() == 0) {
    std::cerr << args.files.front() << ":1:1: error: no line of the " << args.log_format << " format (" << profile.malformed_lines() << " skipped)\n";
    return 2;
  }
  std::optional<std::string> into;
  if (!args.into.empty()) {
    std::string problem;
    into = read_input(args.into, problem);
    if (!into) {
      std::cerr << args.into << ":1:1: error: " << problem << '\n';
      return 2;
    }
  }
  const std::string prefix = std::filesystem::path(args.output).stem().string();
  importing::ImportedTraffic traffic;
  try {
    traffic = importing::traffic_scenario(profile, prefix, into, args.replay ? std::optional(replay_arrival(args)) : std::nullopt);
  } catch (const importing::ImportError& e) {
    std::cerr << e.what() << '\n';
    return 2;
  }
  const std::filesystem::path folder = std::filesystem::path(args.output).parent_path();
  for (const auto& [name, content] : traffic.side_files) reports::write_file(folder / name, content);
  reports::write_file(args.output, traffic.yaml);
  std::cerr << traffic.summary << "\nimport: wrote " << args.output << " (check it with: lbsim validate " << args.output << ")\n";
  return 0;
}

int run_import(const ImportArgs& args) {
  if (args.format == "traffic") return run_traffic(args);
  std::vector<importing::InputFile> files;
  std::vector<std::string> paths;
  for (const std::string& path : args.files) {
    std::error_code error;
    if (!std::filesystem::is_directory(path, error)) {
      paths.push_back(path);
      continue;
    }
    std::vector<std::string> inside;
    for (const auto& entry : std::filesystem::directory_iterator(path, error))
      if (entry.path().extension() == ".json" && inside.size() < 1000) inside.push_back(entry.path().string());
    std::sort(inside.begin(), inside.end());
    if (inside.empty()) {
      std::cerr << path << ":1:1: error: a folder without *.json files (expected the output of aws elbv2 describe-*)\n";
      return 2;
    }
    paths.insert(paths.end(), inside.begin(), inside.end());
  }
  for (const std::string& path : paths) {
    std::string problem;
    auto text = read_input(path, problem);
    if (!text) {
      std::cerr << path << ":1:1: error: " << problem << '\n';
      return 2;
    }
    files.push_back({path, std::move(*text)});
  }
  importing::Imported imported;
  try {
    static const std::map<std::string, importing::Format> kFormats{
        {"aws", importing::Format::aws}, {"envoy", importing::Format::envoy}, {"haproxy", importing::Format::haproxy}, {"nginx", importing::Format::nginx}};
    const importing::Format format = kFormats.at(args.format);
    imported = importing::import_configuration(format, files, read_include);
  } catch (const importing::ImportError& e) {
    std::cerr << e.what() << '\n';
    return 2;
  }
  if (args.output.empty()) std::cout << imported.yaml;
  else reports::write_file(args.output, imported.yaml);
  if (!args.report.empty()) reports::write_file(args.report, importing::report_json(imported.report).dump(2) + "\n");
  importing::print_report(std::cerr, imported.report);
  if (!args.output.empty()) std::cerr << "import: wrote " << args.output << " (check it with: lbsim validate " << args.output << ")\n";
  if (args.strict && imported.report.count(importing::Verdict::dropped) > 0) {
    std::cerr << "import: --strict: " << imported.report.count(importing::Verdict::dropped) << " directives were dropped\n";
    return 2;
  }
  return 0;
}

}  // namespace

std::function<int()> add_import_command(CLI::App& app, CLI::App*& command) {
  auto args = std::make_shared<ImportArgs>();
  command = app.add_subcommand("import", "a proxy's configuration as a scenario, with a report of what was mapped, approximated and dropped");
  command->add_option("FORMAT", args->format,
                      "aws (the JSON of `aws elbv2 describe-*`), envoy (a bootstrap's static_resources), haproxy, nginx, or traffic (access logs)")
      ->required()
      ->check(CLI::IsMember({"aws", "envoy", "haproxy", "nginx", "traffic"}));
  command->add_option("--format", args->log_format, "with traffic: the access log's format, alb, nginx (combined), clf or jsonl");
  command->add_flag("--anonymise", args->anonymise, "with traffic: drop query strings and the ids in paths, hash client addresses, so the scenario can be shared");
  command->add_flag("--replay", args->replay,
                    "with traffic: the clients replay the logs themselves (arrival kind replay: each request at its logged time from its logged "
                    "address) instead of a step profile of their rate");
  command->add_option("--into", args->into, "with traffic: put the clients into this scenario (its clients: replaced) instead of a stated layout");
  command->add_option("FILE", args->files, "the configuration file(s), read in order; for aws, files or a folder of *.json")->required();
  command->add_option("-o,--output", args->output, "write the scenario to FILE (default: standard output)");
  command->add_option("--report", args->report, "also write the import report as JSON to FILE");
  command->add_flag("--strict", args->strict, "exit 2 when anything was dropped");
  return [args] { return run_import(*args); };
}

}  // namespace lbsim::cli
