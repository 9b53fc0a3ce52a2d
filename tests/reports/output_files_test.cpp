// SPDX-License-Identifier: GPL-3.0-or-later
// Writing a file either completes or fails loudly, naming the file; never through a
// symlink, never leaving a partial file under the real name.
#include "reports/output_files.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;
using lbsim::reports::OutputError;
using lbsim::reports::prepare_output_folder;
using lbsim::reports::write_file;
using ::testing::HasSubstr;

class OutputFiles : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("lbsim-output-files-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  // Whatever the writer left besides the files it was asked for.
  std::vector<std::string> leftovers() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_))
      if (entry.path().filename().string().rfind(".lbsim-", 0) == 0) names.push_back(entry.path().filename().string());
    return names;
  }
  // The message of the OutputError that `write` throws, or "" when it throws none.
  template <typename Write>
  static std::string error_of(Write write) {
    try {
      write();
    } catch (const OutputError& e) {
      return e.what();
    }
    return "";
  }

  fs::path dir_;
};

TEST_F(OutputFiles, WritesTheContentAndLeavesNoTemporaryFile) {
  const std::string content(100'000, 'x');
  write_file(dir_ / "a.txt", content);
  EXPECT_EQ(slurp(dir_ / "a.txt"), content);
  write_file(dir_ / "a.txt", "shorter");  // replaces, does not append or keep a tail
  EXPECT_EQ(slurp(dir_ / "a.txt"), "shorter");
  write_file(dir_ / "b.csv", [](std::ostream& out) { out << "t,v\n" << 1 << ',' << 2.5 << '\n'; });
  EXPECT_EQ(slurp(dir_ / "b.csv"), "t,v\n1,2.5\n");
  EXPECT_TRUE(leftovers().empty());
}

TEST_F(OutputFiles, ASymlinkAtTheNameIsReplacedNotFollowed) {
  // A dangling report.html -> elsewhere once had the report written wherever it pointed.
  const fs::path target = dir_ / "elsewhere.html";
  fs::create_symlink(target, dir_ / "report.html");
  write_file(dir_ / "report.html", "<html>");
  EXPECT_FALSE(fs::exists(target));
  EXPECT_FALSE(fs::is_symlink(dir_ / "report.html"));
  EXPECT_EQ(slurp(dir_ / "report.html"), "<html>");
  // Likewise a link to an existing file: the file keeps its content.
  std::ofstream(dir_ / "precious") << "keep me";
  fs::create_symlink(dir_ / "precious", dir_ / "summary.json");
  write_file(dir_ / "summary.json", "{}");
  EXPECT_EQ(slurp(dir_ / "precious"), "keep me");
  EXPECT_EQ(slurp(dir_ / "summary.json"), "{}");
}

TEST_F(OutputFiles, AFailureNamesTheFileAndSaysWhy) {
  EXPECT_EQ(error_of([&] { write_file(dir_ / "missing" / "a.txt", "x"); }),
            "cannot write " + (dir_ / "missing" / "a.txt").string() + ": No such file or directory");
  fs::create_directories(dir_ / "folder");
  EXPECT_EQ(error_of([&] { write_file(dir_ / "folder", "x"); }),
            "cannot write " + (dir_ / "folder").string() + ": it exists and is not a regular file (a device, a pipe or a folder is never replaced)");
  // `-o /dev/null` once put a regular file in /dev/null's place: a pipe stands in for it.
  ASSERT_EQ(::mkfifo((dir_ / "pipe").c_str(), 0600), 0);
  EXPECT_THAT(error_of([&] { write_file(dir_ / "pipe", "x"); }), HasSubstr("is not a regular file"));
  EXPECT_TRUE(fs::is_fifo(dir_ / "pipe"));
  EXPECT_THAT(error_of([&] { write_file(dir_ / std::string(300, 'n'), "x"); }), HasSubstr("File name too long"));
  EXPECT_TRUE(leftovers().empty());
}

TEST_F(OutputFiles, AWriteCutShortIsAnErrorAndLeavesNoPartialFile) {
  // A full disk and a file-size limit fail the same way: a write() that stops short.
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = saved;
  small.rlim_cur = 4096;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  const std::string message = error_of([&] { write_file(dir_ / "timeseries.csv", std::string(10'000, 'x')); });
  ::setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_EQ(message, "cannot write " + (dir_ / "timeseries.csv").string() + ": File too large");
  EXPECT_FALSE(fs::exists(dir_ / "timeseries.csv"));
  EXPECT_TRUE(leftovers().empty());
}

TEST_F(OutputFiles, AScriptIsWrittenExecutable) {
  write_file(dir_ / "run.sh", "#!/bin/sh\n", lbsim::reports::FileMode::executable);
  EXPECT_EQ(::access((dir_ / "run.sh").c_str(), X_OK), 0);
  write_file(dir_ / "data.json", "{}");
  struct stat info {};
  ASSERT_EQ(::stat((dir_ / "data.json").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0111, 0u);
}

TEST_F(OutputFiles, AnOutputFolderIsMadeAndProvenWritableOrRefused) {
  prepare_output_folder(dir_ / "new" / "deeper");
  EXPECT_TRUE(fs::is_directory(dir_ / "new" / "deeper"));
  EXPECT_TRUE(fs::is_empty(dir_ / "new" / "deeper"));  // the probe is gone
  std::ofstream(dir_ / "a-file") << "x";
  EXPECT_EQ(error_of([&] { prepare_output_folder(dir_ / "a-file"); }),
            "cannot write " + (dir_ / "a-file").string() + ": it exists and is not a folder");
  EXPECT_THAT(error_of([&] { prepare_output_folder("/proc/lbsim-cannot-be-here/out"); }),
              HasSubstr("cannot write /proc/lbsim-cannot-be-here/out: cannot make it a folder ("));
  // /proc/self exists and is a folder, but nothing can be written there, even by root.
  EXPECT_THAT(error_of([&] { prepare_output_folder("/proc/self"); }), HasSubstr("cannot write /proc/self: cannot write a file in it ("));
}

}  // namespace
