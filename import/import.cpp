// SPDX-License-Identifier: GPL-3.0-or-later
#include "import/import.hpp"

#include <cstdio>
#include <optional>
#include <algorithm>
#include <set>
#include <stdexcept>

#include "balancing/registry.hpp"
#include "config/loader.hpp"
#include "export/samples.hpp"

namespace lbsim::importing {
namespace {

config::ScenarioSpec validated(const std::string& yaml) {
  try {
    return config::load_scenario(yaml, "imported.yaml");
  } catch (const config::ConfigError& e) {
    throw std::logic_error(std::string("the imported scenario does not validate (an lbsim bug): ") + e.what() + "\n" + yaml);
  }
}

// One request per rule, each as `lbsim route --samples` writes it.
std::vector<YAML::Node> mix_for(const config::ScenarioSpec& spec) {
  std::vector<YAML::Node> mix;
  if (!spec.l7) return {YAML::Load("{ weight: 1, method: GET, path: / }")};  // an L4-only layout: no rules to exercise
  const auto& methods = config::request_methods();
  for (const exporting::SampleRequest& sample : exporting::sample_requests(spec.l7->rules)) {
    // A rule on a method lbsim's clients never send (HAProxy takes any token) gets no request.
    if (std::find(methods.begin(), methods.end(), sample.method) == methods.end()) continue;
    YAML::Node request;
    request["weight"] = 1;
    request["method"] = sample.method;
    request["host"] = sample.host;
    request["path"] = sample.path;
    if (!sample.query.empty()) request["query"] = sample.query;
    for (const auto& [name, value] : sample.headers) request["headers"][name] = value;
    for (const auto& [name, value] : sample.cookies) request["cookies"][name] = value;
    mix.push_back(request);
  }
  return mix;
}

// The key path a loader diagnostic names ("l7.rules[2].if.path.exact").
std::string key_path(const std::string& message) {
  return message.substr(0, message.find(": "));
}

// Drops the rules and items whose values lbsim refuses, each reported with the loader's
// words; false when a refusal is not one of theirs (then the importer is at fault).
bool drop_refused(Draft& draft, const std::vector<config::Diagnostic>& diagnostics, ImportReport& report) {
  std::set<std::size_t> rules;
  bool all_placed = true;
  const auto refuse = [&](const SourcePlace& at, const std::string& directive, const std::string& message) {
    if (at.line == 0) return false;
    report.overrule(at, directive, Verdict::dropped, "lbsim refuses it: " + message.substr(message.find(": ") + 2));
    return true;
  };
  for (const config::Diagnostic& d : diagnostics) {
    const std::string path = key_path(d.message);
    std::size_t index = 0;
    if (std::sscanf(path.c_str(), "l7.rules[%zu]", &index) == 1 && index < draft.rules.size()) {
      all_placed &= refuse(draft.rules[index].at, draft.rules[index].directive, d.message);
      rules.insert(index);
      continue;
    }
    bool placed = false;
    for (DraftGroup& group : draft.groups)
      for (auto item = group.items.begin(); !placed && item != group.items.end(); ++item)
        if (path.starts_with("target_groups." + group.name + "." + item->key)) {
          placed = refuse(item->at, item->directive, d.message);
          if (placed) group.items.erase(item);
          break;
        }
    for (auto item = draft.l7.begin(); !placed && item != draft.l7.end(); ++item)
      if (path.starts_with("l7." + item->key)) {
        placed = refuse(item->at, item->directive, d.message);
        if (placed) draft.l7.erase(item);
        break;
      }
    all_placed &= placed;
  }
  for (auto index = rules.rbegin(); index != rules.rend(); ++index) draft.rules.erase(draft.rules.begin() + static_cast<std::ptrdiff_t>(*index));
  return all_placed;
}

// Server weights under an algorithm that ignores them (nginx's least_conn reads them,
// lbsim's least_connections does not): the weights go, each group's said so where the
// servers were.
void drop_weights_the_algorithm_ignores(Draft& draft, ImportReport& report) {
  const auto chosen = std::find_if(draft.l7.begin(), draft.l7.end(), [](const DraftItem& i) { return i.key == "algorithm"; });
  const std::string algorithm = chosen != draft.l7.end() ? YAML::Load(chosen->value).as<std::string>() : "round_robin";
  const balancing::Algorithm* a = balancing::find_algorithm(algorithm);
  if (a == nullptr || a->weighted) return;
  for (DraftGroup& group : draft.groups)
    for (auto item = group.items.begin(); item != group.items.end(); ++item)
      if (item->key == "weights") {
        report.approximated(item->at, item->directive,
                            "servers of unequal weights: l7.algorithm " + algorithm + " ignores weights, so every server weighs the same");
        group.items.erase(item);
        break;
      }
}

}  // namespace

Imported import_configuration(Format format, const std::vector<InputFile>& files, const IncludeReader& include) {
  Imported out;
  Draft draft;
  switch (format) {
    case Format::haproxy: draft = import_haproxy(files, out.report); break;
    case Format::aws: draft = import_aws(files, out.report); break;
    case Format::nginx: draft = import_nginx(files, out.report, include); break;
    case Format::envoy: draft = import_envoy(files, out.report); break;
  }
  drop_weights_the_algorithm_ignores(draft, out.report);
  // A first pass with one plain request, to read the rules back as lbsim reads them; a
  // value lbsim refuses (a path that does not start with '/') drops its directive.
  draft.mix = {YAML::Load("{ weight: 1, method: GET, path: / }")};
  std::optional<config::ScenarioSpec> first;
  for (int pass = 0; !first; ++pass) {
    try {
      first = config::load_scenario(render_scenario(draft), "imported.yaml");
    } catch (const config::ConfigError& e) {
      if (pass == 20 || !drop_refused(draft, e.diagnostics(), out.report)) validated(render_scenario(draft));  // (throws: ours to fix)
    }
  }
  draft.mix.clear();  // (YAML nodes are references: never assign over them)
  draft.mix = mix_for(*first);
  out.yaml = render_scenario(draft);
  validated(out.yaml);
  return out;
}

}  // namespace lbsim::importing
