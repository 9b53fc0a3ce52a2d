// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/child_runs.hpp"
#include "cli/input_files.hpp"
#include "cli/run_limits.hpp"

#include "config/limits.hpp"

#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <stdexcept>
#include <thread>

#include "cli/slurm.hpp"
#include "reports/format.hpp"
#include "reports/output_files.hpp"
#include "reports/replications.hpp"
#include "util/strings.hpp"
#include "util/units.hpp"

extern char** environ;

namespace lbsim::cli {

std::string self_binary() {
  std::error_code error;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::string("/proc/self/exe") : path.string();
}

int run_self(const std::vector<std::string>& args, const std::optional<std::filesystem::path>& stdout_file) {
  std::vector<std::string> argv{self_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> c_args;
  for (auto& a : argv) c_args.push_back(a.data());
  c_args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (stdout_file) {
      const int fd = ::open(stdout_file->c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (fd < 0 || ::dup2(fd, STDOUT_FILENO) < 0) ::_exit(127);
    }
    ::execv(c_args[0], c_args.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
namespace {

namespace fs = std::filesystem;

// Starts `lbsim run` for one run as a fork of this process (which has simulated nothing:
// one simulation per process holds), calling the program's entry point with the run's
// command line: stdout discarded (-q prints nothing on success), stderr kept in the run's
// folder for the report of a crash. Returns the child's pid.
pid_t start_run(const std::vector<std::string>& args, const fs::path& stderr_file) {
  std::cout.flush();  // (nothing buffered here is written twice, by parent and child)
  std::cerr.flush();
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("cannot start a run: ") + std::strerror(errno));
  if (pid > 0) return pid;
  const int out = ::open("/dev/null", O_WRONLY);
  const int err = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out < 0 || err < 0 || ::dup2(out, STDOUT_FILENO) < 0 || ::dup2(err, STDERR_FILENO) < 0) ::_exit(127);
  ::close(out);
  ::close(err);
  std::vector<std::string> words = args;
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  int code = 1;
  try {
    code = lbsim_main(static_cast<int>(words.size()), argv.data());
  } catch (const std::exception& e) {
    std::cerr << "lbsim: internal error: " << e.what() << '\n';
  }
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  ::_exit(code);  // the parent's exit handlers and static objects are the parent's
}

std::string last_line_of(const fs::path& file) {
  std::ifstream in(file);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last;
}

// Records how a child ended; a run that neither finished nor only missed its objectives
// failed, and says why.
void record_exit(ChildRun& run, int status) {
  const fs::path err = run.dir / "stderr.log";
  const std::string last_line = last_line_of(err);
  const std::string said = last_line.empty() ? "" : ": " + last_line;
  if (WIFEXITED(status)) {
    run.exit_code = WEXITSTATUS(status);
    if (run.exit_code != 0 && run.exit_code != kExitSloMissed) run.failure = fmt::format("exit {}{}", run.exit_code, said);
  } else {
    run.exit_code = -1;
    run.failure = fmt::format("killed by signal {}{}", WTERMSIG(status), said);
  }
  if (run.failure.empty() && fs::exists(err) && fs::file_size(err) == 0) fs::remove(err);
}

// "1 min 20 s", "12 s": a duration as a person reads an estimate.
std::string rough_duration(double seconds) {
  if (seconds >= 3600) return fmt::format("{:.0f} h {:.0f} min", std::floor(seconds / 3600), std::fmod(seconds, 3600) / 60);
  if (seconds >= 60) return fmt::format("{:.0f} min {:.0f} s", std::floor(seconds / 60), std::fmod(seconds, 60));
  return fmt::format("{:.0f} s", seconds);
}

// "  7/20 runs done, 2 running, 1 min 5 s so far, about 1 min 50 s left": on a terminal
// rewritten in place; elsewhere (a CI log) a line now and then, so a long sweep is not silent.
class ProgressLine {
public:
  explicit ProgressLine(std::size_t total) : total_(total), terminal_(::isatty(STDERR_FILENO) == 1) {}
  void update(std::size_t done, std::size_t running) {
    const double elapsed = seconds_since(started_);
    if (!terminal_ && seconds_since(last_shown_) < kLogEvery) return;
    last_shown_ = Clock::now();
    std::string line = fmt::format("  {}/{} runs done, {} running, {} so far", done, total_, running, rough_duration(elapsed));
    // Runs take about as long as each other: the rest take what the done ones took, per slot.
    if (done > 0 && done < total_) line += ", about " + rough_duration(elapsed / static_cast<double>(done) * static_cast<double>(total_ - done)) + " left";
    if (terminal_) std::cerr << '\r' << line << std::string(width_ > line.size() ? width_ - line.size() : 0, ' ') << std::flush;
    else std::cerr << line << '\n';
    width_ = std::max(width_, line.size());
  }
  ~ProgressLine() {
    if (terminal_ && width_ > 0) std::cerr << '\r' << std::string(width_, ' ') << '\r' << std::flush;
  }

private:
  using Clock = std::chrono::steady_clock;
  static constexpr double kLogEvery = 30;
  static double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }
  std::size_t total_;
  bool terminal_;
  std::size_t width_ = 0;
  Clock::time_point started_ = Clock::now();
  Clock::time_point last_shown_ = Clock::now();
};

}  // namespace

void add_language_option(CLI::App& cmd, std::string& language, const std::string& what) {
  cmd.add_option("--language", language, "en (default) or ko: " + what + " in English or Korean")->check(CLI::IsMember({"en", "ko"}));
}

void add_variant_and_set_options(CLI::App& cmd, std::optional<std::string>& variant, std::vector<std::string>& sets, const std::string& verb) {
  cmd.add_option("--variant", variant, verb + " this variant of the file (its `variants:`)");
  cmd.add_option("--set", sets, "PATH=VALUE: change one key of the file, as a variant's `set` does (repeatable)")->allow_extra_args(false);
}

void add_seed_option(CLI::App& cmd, std::optional<std::uint64_t>& seed, const std::string& help) {
  static constexpr auto kMax = std::numeric_limits<std::uint64_t>::max();
  cmd.add_option_function<std::string>(
         "--seed",
         [&seed](const std::string& text) {
           seed = config::limits::parse_integer(text, 0, kMax);
           if (!seed) throw CLI::ValidationError("--seed", fmt::format("expected an integer from 0 to {}, got '{}'", kMax, printable(text)));
         },
         help)
      ->type_name("SEED");
}

void add_child_run_options(CLI::App& cmd, ChildRunOptions& options, const std::string& out_help, const std::string& whose) {
  cmd.add_option("--out", options.out_dir, out_help);
  cmd.add_option("--jobs", options.jobs, "runs at a time (default: the number of cores)")->check(CLI::PositiveNumber);
  add_seed_option(cmd, options.seed, "the seed of every run (default: " + whose + ")");
  cmd.add_option("--duration", options.duration, "the traffic duration of every run (default: " + whose + ")");
}

std::optional<ChildRunSettings> child_run_settings(const ChildRunOptions& options, const config::ScenarioSpec& scenario) {
  ChildRunSettings settings;
  settings.seed = options.seed.value_or(scenario.seed);
  settings.jobs = options.jobs > 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  if (!options.duration) {
    settings.duration_s = scenario.duration_s;
    settings.duration = fmt::format("{}s", scenario.duration_s);
    return settings;
  }
  const auto seconds = config::limits::parse_duration(*options.duration);
  if (!seconds || *seconds <= 0) {
    std::cerr << "lbsim: error: --duration: expected a positive duration such as 500ms or 30s, at most 1000000s, got '" << *options.duration << "'\n";
    return std::nullopt;
  }
  settings.duration_s = *seconds;
  settings.duration = *options.duration;
  return settings;
}

std::vector<std::string> child_arguments(const ChildRun& run, const ChildRunSettings& settings) {
  std::vector<std::string> args{"lbsim", "run"};
  args.insert(args.end(), run.arguments.begin(), run.arguments.end());
  const auto policy = input_policy_arguments();  // a child reads what its parent may
  args.insert(args.end(), policy.begin(), policy.end());
  const auto limits = run_limits_arguments();  // and may cost what its parent may
  args.insert(args.end(), limits.begin(), limits.end());
  args.insert(args.end(), {"--seed", std::to_string(run.seed.value_or(settings.seed)), "--duration", settings.duration, "-q", "--out", run.dir.string()});
  return args;
}

// This process starts no other children, so any child that ends is one of these.
void run_children(const std::vector<ChildRun*>& runs, const ChildRunSettings& settings) {
  const std::vector<std::size_t> order = start_order(runs);
  std::map<pid_t, ChildRun*> running;
  std::size_t next = 0, done = 0;
  ProgressLine progress(runs.size());
  while (next < runs.size() || !running.empty()) {
    while (running.size() < settings.jobs && next < runs.size()) {
      ChildRun& run = *runs[order[next++]];
      reports::prepare_output_folder(run.dir);
      running[start_run(child_arguments(run, settings), run.dir / "stderr.log")] = &run;
    }
    if (done > 0) progress.update(done, running.size());  // with the slots just refilled
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("waiting for the runs: ") + std::strerror(errno));
    }
    const auto it = running.find(pid);
    if (it == running.end()) continue;
    record_exit(*it->second, status);
    running.erase(it);
    ++done;
  }
}

std::vector<ChildRun> replicate(const std::vector<ChildRun*>& runs, unsigned count, std::uint64_t seed) {
  std::vector<ChildRun> children;
  for (const ChildRun* run : runs) {
    for (unsigned k = 0; k < count; ++k) {
      ChildRun child;
      child.name = fmt::format("{} (replication {})", run->name, k + 1);
      child.dir = run->dir / fmt::format("replication-{}", k + 1);
      child.arguments = run->arguments;
      child.seed = reports::replication_seed(seed, k);
      child.estimated_seconds = run->estimated_seconds;
      children.push_back(std::move(child));
    }
  }
  return children;
}

void read_summaries(const std::vector<ChildRun*>& runs) {
  for (ChildRun* run : runs) {
    if (!run->failure.empty()) continue;
    const fs::path file = run->dir / "summary.json";
    std::ifstream in(file);
    const bool readable = fs::is_regular_file(file) && in;
    if (readable) run->summary = nlohmann::ordered_json::parse(in, nullptr, false);
    if (!readable || run->summary.is_discarded()) run->failure = "wrote no readable summary.json in " + run->dir.string();
  }
}

bool report_failures(const std::vector<ChildRun*>& runs, const std::string& what) {
  bool failed = false;
  for (const ChildRun* run : runs) {
    if (run->failure.empty()) continue;
    std::cerr << "lbsim: " << what << " '" << run->name << "' failed (" << run->failure << ")\n";
    failed = true;
  }
  return failed;
}

namespace {

// A name cut to fit a folder name keeps a digest of the whole, so two long names that
// share their start still get different folders.
std::string bounded_folder_name(const std::string& name) {
  if (name.size() <= kMaxFolderName) return name;
  std::uint64_t digest = 1469598103934665603ULL;  // FNV-1a: the same folder name on every machine
  for (char c : name) digest = (digest ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  std::size_t cut = kMaxFolderName - 17;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
  return name.substr(0, cut) + fmt::format("~{:016x}", digest);
}

}  // namespace

std::string unique_name(const std::string& name, const std::set<std::string>& taken) {
  const std::string base = bounded_folder_name(name);
  std::string candidate = base;
  for (int n = 2; taken.count(candidate) > 0; ++n) candidate = base + "-" + std::to_string(n);
  return candidate;
}

void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& table) {
  std::vector<std::size_t> widths(table.front().size(), 0);
  for (const auto& row : table)
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], reports::format::display_width(row[c]));
  for (const auto& row : table) {
    std::string line = "  " + row[0] + std::string(widths[0] - reports::format::display_width(row[0]), ' ');
    for (std::size_t c = 1; c < row.size(); ++c) line += "  " + std::string(widths[c] - reports::format::display_width(row[c]), ' ') + row[c];
    out << line << '\n';
  }
}

std::optional<std::string> submit_to_slurm(const std::vector<ChildRun*>& runs, const ChildRunSettings& settings,
                                           const std::filesystem::path& out_dir, const char* plan_file,
                                           const nlohmann::ordered_json& plan, bool wait) {
  std::vector<std::vector<std::string>> tasks;
  for (ChildRun* run : runs) {
    reports::prepare_output_folder(run->dir);
    auto arguments = child_arguments(*run, settings);
    arguments.erase(arguments.begin());  // the program's own name: the script names it
    tasks.push_back(std::move(arguments));
  }
  const auto script = slurm::write_job_array(out_dir, tasks);
  reports::write_file(out_dir / plan_file, plan.dump(2) + '\n');
  auto job = slurm::submit(script, wait);
  if (!job) std::cerr << "lbsim: error: sbatch failed (is Slurm installed and its controller reachable?): sbatch " << script.string() << '\n';
  return job;
}

}  // namespace lbsim::cli
