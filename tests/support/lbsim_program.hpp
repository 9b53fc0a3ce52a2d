// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The lbsim program run as a user runs it, in a fresh folder per test: exit code, stdout
// and stderr. LBSIM_BINARY and LBSIM_SOURCE_DIR come from the test's CMake target.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace lbsim::test {

namespace fs = std::filesystem;

struct Outcome {
  int exit_code = -1;
  std::string out, err;
};

class ProgramTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("lbsim-cli-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // `shell_prefix` runs before lbsim in the same shell (e.g. "ulimit -f 16;").
  Outcome lbsim(const std::string& args, const std::string& shell_prefix = "") {
    const fs::path out = dir_ / "stdout", err = dir_ / "stderr";
    const std::string cmd = shell_prefix + std::string(LBSIM_BINARY) + " " + args + " >" + out.string() + " 2>" + err.string();
    const int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), without_sanitizer_notes(slurp(err))};
  }
  // Under the asan preset, AddressSanitizer warns on stderr about SimGrid's context
  // switches (its library is not built for ASan); what the tests check is lbsim's own.
  static std::string without_sanitizer_notes(const std::string& err) {
    std::string kept;
    std::istringstream lines(err);
    for (std::string line; std::getline(lines, line);) {
      const bool note = line.rfind("==", 0) == 0 || line == "False positive error reports may follow" ||
                        line.rfind("For details see https://github.com/google/sanitizers", 0) == 0;
      if (!note) kept += line + '\n';
    }
    return kept;
  }
  static std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static std::string scenario(const std::string& name) { return std::string(LBSIM_SOURCE_DIR) + "/scenarios/" + name; }
  fs::path write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p) << text;
    return p;
  }
  nlohmann::json summary(const fs::path& out_dir) { return nlohmann::json::parse(slurp(out_dir / "summary.json")); }

  fs::path dir_;
};

}  // namespace lbsim::test
