// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/variants.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <functional>
#include <iterator>
#include <stdexcept>

#include "config/scenario_tree.hpp"
#include "util/strings.hpp"

namespace lbsim::config {

using namespace detail;

namespace {

constexpr std::string_view kPathSyntax = "a path of keys separated by '.', with [N] for a list item (clients[0].arrival.rate)";

// "clients[0].arrival" -> clients, [0], arrival; nothing if it is not a path.
std::optional<std::vector<PathStep>> parse_path(std::string_view text) {
  std::vector<PathStep> steps;
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t end = std::min(text.find_first_of(".[]", at), text.size());
    if (end == at) return std::nullopt;  // an empty key: "a..b", ".a", "a.", "[0]"
    steps.push_back({std::string(text.substr(at, end - at)), std::nullopt});
    at = end;
    while (at < text.size() && text[at] == '[') {
      const std::size_t close = text.find(']', at);
      if (close == std::string_view::npos || close == at + 1 || close > at + 10) return std::nullopt;
      std::size_t index = 0;
      for (std::size_t i = at + 1; i < close; ++i) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
        index = index * 10 + static_cast<std::size_t>(text[i] - '0');
      }
      steps.push_back({"", index});
      at = close + 1;
    }
    if (at == text.size()) return steps;
    if (text[at] != '.') return std::nullopt;
    ++at;
  }
  return std::nullopt;
}

// The first `count` steps as written: "clients[0].arrival"; the top level for none.
std::string path_text(const std::vector<PathStep>& steps, std::size_t count) {
  if (count == 0) return "the top level";
  std::string text;
  for (std::size_t i = 0; i < count; ++i) {
    if (steps[i].index) {
      text.append("[").append(std::to_string(*steps[i].index)).append("]");
    } else {
      if (i > 0) text += '.';
      text += steps[i].key;
    }
  }
  return text;
}

// A path's steps, or nothing after reporting why it cannot be one (through `report`).
// `who` names the writer of the override in the message: "a variant", "--set".
std::optional<std::vector<PathStep>> override_path(const std::string& path, std::string_view who,
                                                   const std::function<void(const std::string&)>& report) {
  auto steps = parse_path(path);
  if (!steps) {
    report("'" + path + "': expected " + std::string(kPathSyntax));
    return std::nullopt;
  }
  if (steps->front().key == "variants") {
    report("'" + path + "': " + std::string(who) + " cannot change the list of variants");
    return std::nullopt;
  }
  return steps;
}

std::optional<Override> read_override(Context& ctx, const YAML::Node& key, const YAML::Node& value, const std::string& where) {
  const std::string path = key.Scalar();
  auto steps = override_path(path, "a variant", [&](const std::string& message) { ctx.error(key, where + ": " + message); });
  if (!steps) return std::nullopt;
  return Override{path, std::move(*steps), key, value};
}

std::optional<Variant> read_variant(Context& ctx, const YAML::Node& item, const std::string& path) {
  MapReader m(ctx, item, path);
  if (!m.valid()) return std::nullopt;
  Variant variant;
  const auto name = read_name(ctx, m.require("name", "the variant's name, shown in comparisons"), m.key_path("name"));
  // No `set`: the file as written, a baseline to compare the others with.
  for_each_entry(ctx, m.take("set"), m.key_path("set"), [&](const YAML::Node& key, const YAML::Node& value, const std::string&) {
    if (auto o = read_override(ctx, key, value, m.key_path("set"))) variant.overrides.push_back(std::move(*o));
  });
  if (!name) return std::nullopt;
  variant.name = *name;
  return variant;
}

// ---- applying an override to the parsed file ----

// The mapping entry `key` of `map` (its key and value nodes), if there is one.
std::optional<std::pair<YAML::Node, YAML::Node>> find_entry(const YAML::Node& map, const std::string& key) {
  for (auto it = map.begin(); it != map.end(); ++it)
    if (it->first.IsScalar() && it->first.Scalar() == key) return std::pair{it->first, it->second};
  return std::nullopt;
}

std::vector<std::string> keys_of(const YAML::Node& map) {
  std::vector<std::string> keys;
  for (auto it = map.begin(); it != map.end(); ++it)
    if (it->first.IsScalar()) keys.push_back(it->first.Scalar());
  return keys;
}

// A list index: `[N]`, or a key of digits addressing a list (`clients.0`, which needs no
// quotes inside `{ }`, where YAML reserves brackets).
std::optional<std::size_t> index_of(const PathStep& step, const YAML::Node& parent) {
  if (step.index) return step.index;
  if (!parent.IsSequence() || step.key.empty() || step.key.size() > 9) return std::nullopt;
  std::size_t index = 0;
  for (char c : step.key) {
    if (c < '0' || c > '9') return std::nullopt;
    index = index * 10 + static_cast<std::size_t>(c - '0');
  }
  return index;
}

YAML::Node item_at(const YAML::Node& list, std::size_t index) {
  auto it = list.begin();
  std::advance(it, static_cast<std::ptrdiff_t>(index));
  return *it;
}

// Walks an override's path inside the file. Every node it hands out is the file's own
// (yaml-cpp nodes are handles), so assigning to one edits the file.
class OverrideApplier {
public:
  OverrideApplier(Context& ctx, const Override& o) : ctx_(ctx), o_(o) {}

  void apply(const YAML::Node& root) {
    YAML::Node parent = root;
    for (std::size_t i = 0; i + 1 < o_.steps.size(); ++i) {
      auto next = child(parent, i);
      if (!next) return;
      parent.reset(*next);  // rebind the handle; `=` would overwrite the node it holds
    }
    const std::size_t last = o_.steps.size() - 1;
    if (const auto index = index_of(o_.steps[last], parent)) set_item(parent, last, *index);
    else set_key(parent, last);
  }

private:
  std::optional<YAML::Node> child(const YAML::Node& parent, std::size_t step) {
    const PathStep& s = o_.steps[step];
    if (const auto index = index_of(s, parent)) {
      if (!is_list(parent, step)) return std::nullopt;
      if (*index >= parent.size()) return out_of_range(parent, step);
      return item_at(parent, *index);
    }
    if (!is_map(parent, step)) return std::nullopt;
    if (auto entry = find_entry(parent, s.key)) return entry->second;
    // Only the last key may be created: a whole missing section is more likely a typo.
    std::string message = path_text(o_.steps, step) + " has no key '" + s.key + "'";
    if (const auto suggestion = closest_match(s.key, keys_of(parent))) message += "; did you mean '" + *suggestion + "'?";
    fail(message + " (an override may create only the last key of its path)");
    return std::nullopt;
  }

  void set_key(YAML::Node& map, std::size_t step) {
    if (!is_map(map, step)) return;
    const std::string& key = o_.steps[step].key;
    const auto entry = find_entry(map, key);
    if (o_.value.IsNull()) {
      if (entry) map.remove(key);
      else fail("~ deletes a key, but " + path_text(o_.steps, step) + " has no '" + key + "'");
    } else if (entry) {
      YAML::Node target = entry->second;
      target = o_.value;  // replaces the file's value in place, so mapping order is kept
    } else {
      // The new key is the override's key node renamed: it keeps the override's position,
      // so an unknown key is reported where the variant wrote it.
      YAML::Node new_key = o_.key;
      new_key = key;
      map.force_insert(new_key, o_.value);
    }
  }

  void set_item(YAML::Node& list, std::size_t step, std::size_t index) {
    if (!is_list(list, step)) return;
    if (index >= list.size()) {
      out_of_range(list, step);
    } else if (o_.value.IsNull()) {
      list.remove(index);
    } else {
      YAML::Node target = item_at(list, index);
      target = o_.value;
    }
  }

  bool is_map(const YAML::Node& node, std::size_t step) {
    if (node.IsMap()) return true;
    fail(path_text(o_.steps, step) + " is " + describe(node) + ", not a mapping");
    return false;
  }
  bool is_list(const YAML::Node& node, std::size_t step) {
    if (node.IsSequence()) return true;
    fail(path_text(o_.steps, step) + " is " + describe(node) + ", not a list");
    return false;
  }
  std::nullopt_t out_of_range(const YAML::Node& list, std::size_t step) {
    fail(path_text(o_.steps, step) + " has " + std::to_string(list.size()) + (list.size() == 1 ? " item" : " items"));
    return std::nullopt;
  }
  void fail(const std::string& message) { ctx_.error(o_.key, o_.path + ": " + message); }

  Context& ctx_;
  const Override& o_;
};

YAML::Node variants_node(const YAML::Node& root) {
  if (root.IsMap())
    if (auto entry = find_entry(root, "variants")) return entry->second;
  return YAML::Node(YAML::NodeType::Undefined);
}

std::vector<std::string> names_of(const std::vector<Variant>& variants) {
  std::vector<std::string> names;
  for (const auto& v : variants) names.push_back(v.name);
  return names;
}

// The named variant; throws ConfigError (at the list, or at 1:1 without one) if there is none.
const Variant& find_variant(Context& ctx, const YAML::Node& list, const std::vector<Variant>& variants, const std::string& name) {
  for (const auto& v : variants)
    if (v.name == name) return v;
  const auto names = names_of(variants);
  if (names.empty()) {
    ctx.error(YAML::Mark(), "no variant '" + name + "': the file has no variants (a top-level 'variants:' list)");
  } else {
    std::string message = "no variant '" + name + "'; the file's variants are:";
    for (std::size_t i = 0; i < names.size(); ++i) message.append(i == 0 ? " " : ", ").append(names[i]);
    if (const auto suggestion = closest_match(name, names)) message += " (did you mean '" + *suggestion + "'?)";
    ctx.error(list, message);
  }
  throw_if_errors(ctx);
  throw std::logic_error("unreachable");
}

// ---- overrides from the command line ----

std::string set_source(const SetOverride& o) { return "--set " + o.path + "=" + o.value; }

// A --set has no place in the file, so its nodes are parsed as if written past the file's
// end, one line each: a problem reported at one of those lines is that override's, and
// any other is the file's (which an override may still have caused, by what it changed).
class CommandLineOverrides {
public:
  CommandLineOverrides(Context& ctx, const std::string& yaml_text, const std::vector<SetOverride>& sets)
      : sets_(sets), first_line_(static_cast<int>(std::count(yaml_text.begin(), yaml_text.end(), '\n')) + 1) {
    for (std::size_t i = 0; i < sets.size(); ++i)
      if (auto o = read(ctx, sets[i], first_line_ + static_cast<int>(i))) overrides_.push_back(std::move(*o));
  }

  const std::vector<Override>& overrides() const { return overrides_; }

  // Makes a problem at an override's line that override's ("--set PATH=VALUE: error: ..."):
  // its line in the file would point at nothing. True if it was one.
  bool claim(Diagnostic& d, const std::string& file_name) const {
    const int index = d.line - 1 - first_line_;  // diagnostics count lines from 1
    if (d.file != file_name || index < 0 || index >= static_cast<int>(sets_.size())) return false;
    d = Diagnostic{set_source(sets_[static_cast<std::size_t>(index)]), 0, 0, d.message};
    return true;
  }

  // "with --set a=1 --set b=2: " before a problem in the file's own text; empty without overrides.
  std::string context() const {
    if (sets_.empty()) return "";
    std::string text = "with";
    for (const auto& o : sets_) text.append(" ").append(set_source(o));
    return text + ": ";
  }

private:
  static std::optional<Override> read(Context& ctx, const SetOverride& set, int line) {
    const auto report = [&](const std::string& message) { ctx.error(set_source(set), 0, 0, message); };
    auto steps = override_path(set.path, "--set", report);
    if (!steps) return std::nullopt;
    if (set.value.empty() || set.value.find('\n') != std::string::npos) {
      report(set.value.empty() ? "expected a value after '=' (~ deletes the key)" : "expected a value on one line");
      return std::nullopt;
    }
    const std::string lines_above(static_cast<std::size_t>(line), '\n');
    try {
      YAML::Node key = YAML::Load(lines_above + "~");
      key = set.path;  // renaming keeps the position, which is what tells the override's problems apart
      return Override{set.path, std::move(*steps), key, YAML::Load(lines_above + set.value)};
    } catch (const YAML::ParserException& e) {
      report("the value is not valid YAML: " + e.msg);
      return std::nullopt;
    }
  }

  const std::vector<SetOverride>& sets_;
  int first_line_;  // from 0, as yaml-cpp counts
  std::vector<Override> overrides_;
};

// Every problem is the variant's, even one reported at the base file's text, and says
// which --set overrides were given; one at an override's own line is that override's.
void attribute_problems(Context& ctx, const std::string& file_name, const std::optional<std::string>& variant,
                        const CommandLineOverrides& sets) {
  for (auto& d : ctx.diagnostics()) {
    if (sets.claim(d, file_name)) continue;
    d.message = sets.context() + d.message;
    if (variant) d.message = "variant '" + *variant + "': " + d.message;
  }
}

}  // namespace

namespace detail {

std::vector<Variant> read_variants(Context& ctx, const YAML::Node& list) {
  std::vector<Variant> variants;
  for_each_item(ctx, list, "variants", [&](const YAML::Node& item, const std::string& path) {
    auto variant = read_variant(ctx, item, path);
    if (!variant) return;
    for (const auto& v : variants) {
      if (v.name != variant->name) continue;
      ctx.error(item, path + ".name: variant '" + variant->name + "' is declared twice");
      return;
    }
    variants.push_back(std::move(*variant));
  });
  return variants;
}

}  // namespace detail

std::vector<std::string> variant_names(const ScenarioSpec& spec) { return spec.variant_names; }

std::vector<std::string> variant_names(const std::string& yaml_text, const std::string& file_name) {
  Context ctx(file_name);
  const auto root = parse_scenario(ctx, yaml_text);
  if (!root) throw_if_errors(ctx);
  const auto variants = read_variants(ctx, variants_node(*root));
  throw_if_errors(ctx);
  return names_of(variants);
}

ScenarioSpec load_scenario_variant(const std::string& yaml_text, const std::string& file_name, const std::string& variant_name,
                                   const FileReader& read_file) {
  return load_scenario_with_overrides(yaml_text, file_name, variant_name, {}, read_file);
}

namespace {

// The file's tree with the variant's overrides and then `overrides` applied, and the spec
// read from it: both checked, or ConfigError.
std::pair<YAML::Node, ScenarioSpec> edited_scenario(const std::string& yaml_text, const std::string& file_name,
                                                    const std::optional<std::string>& variant_name,
                                                    const std::vector<SetOverride>& overrides, const FileReader& read_file) {
  Context ctx(file_name);
  const auto root = parse_scenario(ctx, yaml_text);
  if (!root) throw_if_errors(ctx);
  const YAML::Node list = variants_node(*root);
  const auto variants = read_variants(ctx, list);
  throw_if_errors(ctx);
  const Variant* variant = variant_name ? &find_variant(ctx, list, variants, *variant_name) : nullptr;
  const CommandLineOverrides sets(ctx, yaml_text, overrides);
  throw_if_errors(ctx);

  // The overrides' nodes stay alive (they are handles) once the list leaves the file. A
  // variant's spec has no variants of its own, nor the lesson's quiz (which names them);
  // the file as written keeps both (checked, and out of reach of --set).
  YAML::Node file = *root;
  if (variant) {
    file.remove("variants");
    file.remove("quiz");
  }
  Context edit_ctx(file_name);
  if (variant)
    for (const auto& o : variant->overrides) OverrideApplier(edit_ctx, o).apply(file);
  for (const auto& o : sets.overrides()) OverrideApplier(edit_ctx, o).apply(file);
  ScenarioSpec spec = read_scenario(edit_ctx, file, file_name, read_file);
  attribute_problems(edit_ctx, file_name, variant_name, sets);
  throw_if_errors(edit_ctx);
  spec.variant_names = names_of(variants);
  if (variant) {
    spec.variant = *variant_name;
    spec.name += "/" + *variant_name;
  }
  return {file, std::move(spec)};
}

}  // namespace

ScenarioSpec load_scenario_with_overrides(const std::string& yaml_text, const std::string& file_name,
                                          const std::optional<std::string>& variant_name,
                                          const std::vector<SetOverride>& overrides, const FileReader& read_file) {
  return edited_scenario(yaml_text, file_name, variant_name, overrides, read_file).second;
}

std::string scenario_text_with_overrides(const std::string& yaml_text, const std::string& file_name,
                                         const std::optional<std::string>& variant_name,
                                         const std::vector<SetOverride>& overrides, const FileReader& read_file) {
  const YAML::Node file = edited_scenario(yaml_text, file_name, variant_name, overrides, read_file).first;
  YAML::Emitter out;
  out << file;
  return std::string(out.c_str()) + "\n";
}

}  // namespace lbsim::config
