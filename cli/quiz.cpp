// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/quiz.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>

#include "cli/child_runs.hpp"
#include "cli/scenario_file.hpp"
#include "reports/quiz.hpp"

namespace lbsim::cli {
namespace {

namespace fs = std::filesystem;

struct QuizArgs {
  std::string file;
  std::string language = "en";
  std::string format = "text";
  bool answers = false;
};

// `lbsim trace FILE [--variant V] --request N --format json` as a child; its JSON, or
// nothing when it failed (its own message went to stderr).
std::optional<nlohmann::json> child_trace(const std::string& file, const std::string& variant, std::uint64_t request) {
  const fs::path out = fs::temp_directory_path() / ("lbsim-quiz-" + std::to_string(::getpid()) + ".json");
  std::vector<std::string> args{"trace", file, "--request", std::to_string(request), "--format", "json"};
  if (!variant.empty()) args.insert(args.end(), {"--variant", variant});
  std::optional<nlohmann::json> trace;
  if (run_self(args, out) == 0) {
    std::ifstream in(out);
    trace = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (trace->is_discarded()) trace.reset();
  }
  fs::remove(out);
  return trace;
}

int quiz(const QuizArgs& args) {
  const config::ScenarioSpec spec = load_scenario_file(args.file, std::nullopt, {});
  if (spec.quiz.empty()) {
    std::cerr << "lbsim: error: " << args.file << ": no quiz (a lesson lists its questions under `quiz:`)\n";
    return kExitBadInput;
  }
  const text::Language language = *text::language_named(args.language);
  std::map<std::pair<std::string, std::uint64_t>, nlohmann::json> traces;  // one run per variant and request
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  int wrong = 0;
  for (std::size_t i = 0; i < spec.quiz.size(); ++i) {
    const config::QuizQuestion& q = spec.quiz[i];
    const auto key = std::pair(q.variant, q.request);
    if (!traces.count(key)) {
      const auto trace = child_trace(args.file, q.variant, q.request);
      if (!trace) {
        std::cerr << "lbsim: error: " << args.file << ":" << q.line << ": quiz[" << i << "]: its request could not be traced\n";
        return kExitBadInput;
      }
      traces[key] = *trace;
    }
    const reports::QuizAnswer a = reports::answer_quiz(q, traces[key]);
    if (a.right.empty()) {
      ++wrong;
      std::cerr << "lbsim: " << args.file << ":" << q.line << ": quiz[" << i << "]: no choice is what the run shows ("
                << reports::quiz_explanation(q, a, text::Language::en) << ")\n";
    }
    all.push_back(reports::quiz_json(q, a, language));
  }
  if (args.format == "json") {
    std::cout << all.dump(2) << '\n';
  } else {
    for (std::size_t i = 0; i < all.size(); ++i) {
      const auto& q = all[i];
      std::cout << i + 1 << ". " << q["question"].get<std::string>() << '\n';
      const auto& choices = q["choices"];
      const bool ko = language == text::Language::ko;
      if (q["click_fields"].get<bool>()) {
        // The packet as the window draws it: one line per header, its fields to pick from.
        std::cout << (ko ? "   (패킷에서 헤더 필드를 클릭)\n" : "   (click the header fields on the packet)\n");
        std::string packet;
        for (const auto& field : choices) packet += (packet.empty() ? "" : "  ") + field.get<std::string>();
        std::cout << "   [ " << packet << " ]\n";
      } else {
        for (std::size_t c = 0; c < choices.size(); ++c) std::cout << "   " << static_cast<char>('a' + c) << ") " << choices[c].get<std::string>() << '\n';
      }
      if (q["click_node"].get<bool>()) std::cout << (ko ? "   (레이아웃에서 노드를 클릭)\n" : "   (click the node on the layout)\n");
      if (args.answers) {
        std::string right;
        for (const auto& r : q["right"]) right += (right.empty() ? "" : ", ") + r.get<std::string>();
        std::cout << "   -> " << right << ": " << q["why"].get<std::string>() << '\n';
      }
    }
  }
  return wrong > 0 ? kExitSloMissed : 0;
}

}  // namespace

std::function<int()> add_quiz_command(CLI::App& app, CLI::App*& command) {
  auto args = std::make_shared<QuizArgs>();
  command = app.add_subcommand("quiz", "a lesson's questions, with the answers its own runs give (exit 3 if a question has no right choice)");
  command->add_option("FILE", args->file, "lesson scenario file (YAML) with a `quiz:` list")->required();
  add_language_option(*command, args->language, "the questions and why each answer is right");
  command->add_option("--format", args->format, "text (default) or json (for the GUI; answers included)")->check(CLI::IsMember({"text", "json"}));
  command->add_flag("--answers", args->answers, "with text: print each answer and why, after its question");
  return [args] { return quiz(*args); };
}

}  // namespace lbsim::cli
