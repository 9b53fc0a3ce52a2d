// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/input_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include <cerrno>
#include <cmath>
#include <cstring>

#include "util/units.hpp"

namespace lbsim::cli {
namespace fs = std::filesystem;
namespace {

InputPolicy& policy() {
  static InputPolicy current;
  return current;
}

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

std::string size_text(std::uintmax_t bytes) {
  if (bytes % (1ull << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

// Closes a descriptor on every path out.
struct Descriptor {
  int fd;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

// Whether `path` (made absolute and free of symbolic links) lies inside `folder` (likewise).
bool inside(const fs::path& path, const fs::path& folder) {
  const fs::path relative = path.lexically_relative(folder);
  return !relative.empty() && *relative.begin() != "..";
}

fs::path resolved(const fs::path& path) {
  std::error_code ignored;
  fs::path real = fs::weakly_canonical(path, ignored);
  return real.empty() ? fs::absolute(path, ignored).lexically_normal() : real;
}

}  // namespace

void set_input_policy(InputPolicy p) { policy() = std::move(p); }
const InputPolicy& input_policy() { return policy(); }

std::vector<std::string> input_policy_arguments() {
  std::vector<std::string> args;
  for (const auto& folder : policy().allowed_folders) args.insert(args.end(), {"--allow-path", folder.string()});
  if (policy().max_bytes != kDefaultMaxInputBytes) args.insert(args.end(), {"--max-input-size", std::to_string(policy().max_bytes)});
  return args;
}

std::optional<std::uintmax_t> parse_input_size(const std::string& text) {
  constexpr double kMostBytes = 16.0 * (1ull << 30);
  const auto bytes = units::parse_size(text);
  if (!bytes || !(*bytes >= 1 && *bytes <= kMostBytes)) return std::nullopt;
  return static_cast<std::uintmax_t>(std::llround(*bytes));
}

config::FileContent read_regular_file(const fs::path& path, std::uintmax_t max_bytes) {
  // O_NONBLOCK: opening a FIFO with no writer must not wait for one (it is refused below).
  const Descriptor file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
  if (file.fd < 0) return {std::nullopt, std::strerror(errno)};
  struct stat status {};
  if (::fstat(file.fd, &status) != 0) return {std::nullopt, std::strerror(errno)};
  if (!S_ISREG(status.st_mode)) return {std::nullopt, kind_of(status.st_mode) + ", not a regular file"};
  const auto too_large = [&] {
    return config::FileContent{std::nullopt, "larger than the " + size_text(max_bytes) + " limit (raise it with --max-input-size)"};
  };
  if (static_cast<std::uintmax_t>(status.st_size) > max_bytes) return too_large();
  std::string text(static_cast<std::size_t>(status.st_size), '\0');
  std::size_t filled = 0;
  for (;;) {  // the file may have grown since fstat: read to its end, never past the limit
    if (filled == text.size()) {
      if (text.size() > max_bytes) return too_large();
      text.resize(std::min<std::uintmax_t>(max_bytes + 1, std::max<std::size_t>(4096, text.size() * 2)));
    }
    const ssize_t n = ::read(file.fd, text.data() + filled, text.size() - filled);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return {std::nullopt, std::strerror(errno)};
    if (n == 0) break;
    filled += static_cast<std::size_t>(n);
  }
  if (filled > max_bytes) return too_large();
  text.resize(filled);
  return {std::move(text), ""};
}

config::FileContent read_file_head(const fs::path& path) {
  const Descriptor file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
  if (file.fd < 0) return {std::nullopt, std::strerror(errno), ""};
  struct stat status {};
  if (::fstat(file.fd, &status) != 0) return {std::nullopt, std::strerror(errno), ""};
  if (!S_ISREG(status.st_mode)) return {std::nullopt, kind_of(status.st_mode) + ", not a regular file", ""};
  // zlib reads a plain file as it is and a gzip one decompressed; it owns (and closes) its own descriptor.
  const int own = ::dup(file.fd);
  gzFile gz = own < 0 ? nullptr : ::gzdopen(own, "rb");
  if (gz == nullptr) {
    if (own >= 0) ::close(own);
    return {std::nullopt, "cannot be opened", ""};
  }
  std::string text(config::kFileHeadBytes, '\0');
  const int n = ::gzread(gz, text.data(), static_cast<unsigned>(text.size()));
  int error = Z_OK;
  const char* message = ::gzerror(gz, &error);
  const std::string problem = n < 0 ? (message != nullptr ? message : "cannot be read") : "";
  ::gzclose(gz);
  if (n < 0) return {std::nullopt, problem + " (a gzip file cut short?)", ""};
  text.resize(static_cast<std::size_t>(n));
  // A head cut in a line ends at the last whole one.
  if (text.size() == config::kFileHeadBytes)
    if (const std::size_t last = text.rfind('\n'); last != std::string::npos) text.resize(last + 1);
  return {std::move(text), "", path.string()};
}

config::FileReader files_of_scenario(const std::string& scenario_path) {
  const fs::path folder = resolved(fs::path(scenario_path).parent_path().empty() ? fs::path(".") : fs::path(scenario_path).parent_path());
  // Where a name leads, if the policy lets the scenario read it.
  const auto allowed_path = [folder](const std::string& name, std::string& problem) -> std::optional<fs::path> {
    const fs::path path = resolved(folder / name);  // an absolute name stays as it is
    bool allowed = inside(path, folder);
    for (const auto& extra : input_policy().allowed_folders) allowed = allowed || inside(path, resolved(extra));
    if (allowed) return path;
    problem = "it lies outside the scenario's folder " + folder.string() + " (allow another folder with --allow-path DIR)";
    return std::nullopt;
  };
  return config::FileReader(
      [allowed_path](const std::string& name) -> config::FileContent {
        std::string problem;
        const auto path = allowed_path(name, problem);
        return path ? read_regular_file(*path, input_policy().max_bytes) : config::FileContent{std::nullopt, problem, ""};
      },
      [allowed_path](const std::string& name) -> config::FileContent {
        std::string problem;
        const auto path = allowed_path(name, problem);
        return path ? read_file_head(*path) : config::FileContent{std::nullopt, problem, ""};
      });
}

}  // namespace lbsim::cli
