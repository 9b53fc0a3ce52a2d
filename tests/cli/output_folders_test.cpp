// SPDX-License-Identifier: GPL-3.0-or-later
// Where lbsim writes: --out checked before any run, every write checked, no symlink
// followed, folder names that fit whatever a sweep's values are.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "support/lbsim_program.hpp"

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using Outputs = lbsim::test::ProgramTest;
using lbsim::test::Outcome;

const std::string kTinyScenario =
    "name: tiny\n"
    "duration: 1s\n"
    "topology:\n  zones: [a]\n"
    "clients:\n  - { name: web, arrival: { rate: 100/s }, mix: [ { path: / } ] }\n"
    "l4: {}\n"
    "l7: { nodes_per_zone: 1, rules: [ { default: true, forward: api } ] }\n"
    "target_groups:\n  api: { per_zone: 1 }\n";

std::vector<std::string> hidden_files_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.path().filename().string().rfind(".lbsim-", 0) == 0) names.push_back(entry.path().string());
  return names;
}

TEST_F(Outputs, ABadOutFolderIsRefusedBeforeTheRun) {
  // Each of these once failed with an internal error, and only after the whole run.
  const fs::path file = write("tiny.yaml", kTinyScenario);
  write("a-file", "x");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/proc/lbsim-test/out", "cannot make it a folder (No such file or directory)"},
      {(dir_ / "a-file").string(), "it exists and is not a folder"},
      {(dir_ / std::string(300, 'o')).string(), "cannot make it a folder (File name too long)"},
      {"/proc/self", "cannot write a file in it ("}};
  for (const auto& [out, why] : cases) {
    for (const std::string command : {"run", "run --stream", "sweep", "compare", "run --replications 2"}) {
      const std::string axis = command == "sweep" ? " --set l7.nodes_per_zone=1,2" : "";
      const std::string files = command == "compare" ? file.string() + " " + file.string() : file.string();
      const Outcome r = lbsim(command + " " + files + axis + " --out " + out + " </dev/null");
      EXPECT_EQ(r.exit_code, 2) << command << " --out " << out << ": " << r.err;
      EXPECT_THAT(r.err, StartsWith("lbsim: error: cannot write " + out + ": " + why)) << command;
      EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
      EXPECT_THAT(r.out, Not(HasSubstr("completed"))) << command << ": nothing ran";
      EXPECT_THAT(r.out, Not(HasSubstr("\"tick\""))) << command << ": nothing ran";
    }
  }
}

TEST_F(Outputs, SymlinksInTheOutFolderAreReplacedNotFollowed) {
  // A dangling report.html had the report written wherever it pointed; summary.json as a
  // link to /dev/full was "written" with nothing in it.
  const fs::path file = write("tiny.yaml", kTinyScenario), out = dir_ / "out";
  fs::create_directories(out);
  fs::create_symlink(dir_ / "victim.html", out / "report.html");
  fs::create_symlink("/dev/full", out / "summary.json");
  const Outcome r = lbsim("run " + file.string() + " --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "victim.html"));
  for (const char* name : {"report.html", "summary.json"}) {
    EXPECT_FALSE(fs::is_symlink(out / name)) << name;
    EXPECT_GT(fs::file_size(out / name), 1000u) << name;
  }
  EXPECT_EQ(summary(out)["scenario"], "tiny");
  EXPECT_TRUE(hidden_files_in(out).empty());
}

TEST_F(Outputs, AWriteThatFailsIsAnErrorNamingTheFileAfterTheFiguresArePrinted) {
  // On a full file system, report.html, topology.dot and traces.json were left empty and
  // the run said "wrote report.html, ...", exit 0. A file-size limit fails the same way.
  const fs::path file = write("tiny.yaml", kTinyScenario), out = dir_ / "out";
  const Outcome r = lbsim("run " + file.string() + " --out " + out.string(), "ulimit -f 8; ");  // 4 KiB in sh's 512-byte blocks
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, StartsWith("lbsim: error: cannot write " + out.string() + "/"));
  EXPECT_THAT(r.err, HasSubstr(": File too large\n"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("completed")) << "the run's figures come first";
  EXPECT_THAT(r.out, Not(HasSubstr("wrote"))) << r.out;
  // The file that failed is not there at all, rather than there and cut short.
  const std::string failed = r.err.substr(r.err.rfind('/') + 1, r.err.find(": File too large") - r.err.rfind('/') - 1);
  EXPECT_FALSE(fs::exists(out / failed)) << failed;
  EXPECT_TRUE(hidden_files_in(out).empty());
}

TEST_F(Outputs, SweepPointsWithLongValuesGetShortDistinctFoldersAndTheirValuesStayInTheTable) {
  // A 300-character value made a point folder name over 255 bytes: internal error.
  const fs::path file = write("tiny.yaml", kTinyScenario), out = dir_ / "s";
  const std::string zeros(290, '0');
  const std::string first = "50." + zeros + "1/s", second = "50." + zeros + "2/s";
  const Outcome r = lbsim("sweep " + file.string() + " --set 'clients[0].arrival.rate=" + first + "," + second + "' --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> folders;
  for (const auto& entry : fs::directory_iterator(out))
    if (entry.is_directory()) folders.push_back(entry.path().filename().string());
  ASSERT_EQ(folders.size(), 2u);
  EXPECT_NE(folders[0], folders[1]);
  for (const auto& name : folders) {
    EXPECT_LE(name.size(), 120u) << name;
    EXPECT_THAT(name, StartsWith("rate=50.000")) << "still readable";
    EXPECT_TRUE(fs::exists(out / name / "summary.json")) << name;
  }
  const std::string csv = slurp(out / "sweep.csv");
  EXPECT_THAT(csv, HasSubstr(first));
  EXPECT_THAT(csv, HasSubstr(second));
}

}  // namespace
