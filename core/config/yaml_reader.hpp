// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to core/config: the generic pieces every section reader uses. A reader
// reports each problem through a Context, one line per problem with its position, and
// returns nothing for a value it could not read, so that reading goes on and every
// problem in a file is reported, not just the first.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/limits.hpp"
#include "config/loader.hpp"
#include "util/strings.hpp"
#include "util/units.hpp"

namespace lbsim::config::detail {

// Collects every problem in a file, with its position.
class Context {
public:
  explicit Context(std::string file) : file_(std::move(file)) {}

  void error(const YAML::Node& at, const std::string& message) { error(at.Mark(), message); }
  void error(const YAML::Mark& mark, const std::string& message) {
    diagnostics_.push_back({file_, mark.line + 1, mark.column + 1, message});
  }
  // A problem in another file the scenario refers to.
  void error(const std::string& file, int line, int column, const std::string& message) {
    diagnostics_.push_back({file, line, column, message});
  }
  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }

private:
  std::string file_;
  std::vector<Diagnostic> diagnostics_;
};

inline std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Null: return "nothing";
    case YAML::NodeType::Scalar: return "'" + node.Scalar() + "'";
    default: return "an undefined value";
  }
}

// A YAML mapping being read: every key the reader asks for is known, every other key
// in the file is reported as unknown (with the closest known key as a suggestion).
class MapReader {
public:
  MapReader(Context& ctx, const YAML::Node& node, std::string path) : ctx_(ctx), node_(node), path_(std::move(path)) {
    valid_ = node.IsMap();
    if (!valid_) ctx_.error(node, path_ + ": expected a mapping, got " + describe(node));
  }
  MapReader(const MapReader&) = delete;
  MapReader& operator=(const MapReader&) = delete;
  ~MapReader() { report_unknown_keys(); }

  bool valid() const { return valid_; }
  const YAML::Node& node() const { return node_; }
  std::string key_path(std::string_view key) const { return path_.empty() ? std::string(key) : path_ + "." + std::string(key); }

  // The value under `key`, or an undefined node when absent.
  YAML::Node take(std::string_view key) {
    known_.emplace_back(key);
    return find(key).second;
  }
  // Like take, but a missing key is an error (reported when the reader finishes, so
  // that a misspelling of it is reported once, as the misspelling).
  YAML::Node require(std::string_view key, std::string_view expected) {
    YAML::Node value = take(key);
    if (valid_ && !value.IsDefined()) missing_.push_back({std::string(key), std::string(expected)});
    return value;
  }
  // The key node of `key` (undefined when absent), which the caller reports itself if
  // it is out of place. It is then not reported as unknown, and it is not offered as a
  // suggestion for a misspelt key either: a key that does not belong here is no fix.
  YAML::Node claim_key(std::string_view key) {
    claimed_.emplace_back(key);
    return find(key).first;
  }

private:
  struct Missing {
    std::string key;
    std::string expected;
  };

  std::pair<YAML::Node, YAML::Node> find(std::string_view key) const {
    if (valid_) {
      for (auto it = node_.begin(); it != node_.end(); ++it) {
        if (it->first.IsScalar() && it->first.Scalar() == key) return {it->first, it->second};
      }
    }
    return {YAML::Node(YAML::NodeType::Undefined), YAML::Node(YAML::NodeType::Undefined)};
  }

  static bool contains(const std::vector<std::string>& keys, const std::string& key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
  }

  void report_unknown_keys() {
    if (!valid_) return;
    std::vector<std::string> suggested;
    std::set<std::string, std::less<>> seen;
    for (auto it = node_.begin(); it != node_.end(); ++it) {
      const std::string key = it->first.IsScalar() ? it->first.Scalar() : describe(it->first);
      const std::string where = path_.empty() ? "at top level" : "in " + path_;
      if (!seen.insert(key).second) {
        ctx_.error(it->first, key_path(key) + ": duplicate key");
        continue;
      }
      if (contains(known_, key) || contains(claimed_, key)) continue;
      if (const auto suggestion = closest_match(key, known_)) {
        ctx_.error(it->first, "unknown key '" + key + "' " + where + "; did you mean '" + *suggestion + "'?");
        suggested.push_back(*suggestion);
      } else {
        ctx_.error(it->first, "unknown key '" + key + "' " + where + "; expected one of: " + join_alternatives(known_));
      }
    }
    for (const auto& m : missing_) {
      if (contains(suggested, m.key)) continue;
      ctx_.error(node_, path_ + ": missing required key '" + m.key + "' (" + m.expected + ")");
    }
  }

  Context& ctx_;
  YAML::Node node_;
  std::string path_;
  bool valid_ = false;
  std::vector<std::string> known_;
  std::vector<std::string> claimed_;
  std::vector<Missing> missing_;
};

// ---- scalar readers: each reports its own error and returns nothing on failure ----

inline std::optional<std::string> read_scalar(Context& ctx, const YAML::Node& node, const std::string& path,
                                              std::string_view expected) {
  if (!node.IsScalar()) {
    ctx.error(node, path + ": expected " + std::string(expected) + ", got " + describe(node));
    return std::nullopt;
  }
  return node.Scalar();
}

template <typename Parse>
auto read_parsed(Context& ctx, const YAML::Node& node, const std::string& path, std::string_view expected, Parse parse)
    -> decltype(parse(std::string{})) {
  const auto text = read_scalar(ctx, node, path, expected);
  if (!text) return std::nullopt;
  auto value = parse(*text);
  if (!value) ctx.error(node, path + ": expected " + std::string(expected) + ", got '" + *text + "'");
  return value;
}

inline std::optional<std::uint64_t> read_uint(Context& ctx, const YAML::Node& node, const std::string& path, std::uint64_t min,
                                              std::uint64_t max) {
  const std::string expected = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  return read_parsed(ctx, node, path, expected, [&](const std::string& text) { return limits::parse_integer(text, min, max); });
}

inline std::optional<double> read_positive_number(Context& ctx, const YAML::Node& node, const std::string& path) {
  return read_parsed(ctx, node, path, "a number greater than 0", [&](const std::string& text) -> std::optional<double> {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value) || !(value > 0)) return std::nullopt;
    return value;
  });
}

// A multiplier above `above` and at most limits::kMaxFactor; `why` says what it multiplies.
inline std::optional<double> read_factor(Context& ctx, const YAML::Node& node, const std::string& path, double above, std::string_view why) {
  const auto shown = [](double v) { return std::to_string(static_cast<long long>(v)); };  // whole numbers here
  const std::string expected = "a number greater than " + shown(above) + " and at most " + shown(limits::kMaxFactor) + " (" +
                               std::string(why) + ")";
  return read_parsed(ctx, node, path, expected, [&](const std::string& text) -> std::optional<double> {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || !(value > above) || !(value <= limits::kMaxFactor)) return std::nullopt;
    return value;
  });
}

inline std::optional<bool> read_bool(Context& ctx, const YAML::Node& node, const std::string& path) {
  return read_parsed(ctx, node, path, "true or false", [](const std::string& text) -> std::optional<bool> {
    if (text == "true") return true;
    if (text == "false") return false;
    return std::nullopt;
  });
}

// A unit-bearing quantity that must be strictly positive unless `allow_zero`.
inline std::optional<double> read_quantity(Context& ctx, const YAML::Node& node, const std::string& path,
                                           std::optional<double> (*parse)(std::string_view), std::string_view expected,
                                           bool allow_zero = false) {
  return read_parsed(ctx, node, path, expected, [&](const std::string& text) -> std::optional<double> {
    const auto value = parse(text);
    if (!value || (!allow_zero && *value <= 0)) return std::nullopt;
    return value;
  });
}

// A percentage from 0% to 100%, returned as written (50% -> 50).
inline std::optional<double> read_percent(Context& ctx, const YAML::Node& node, const std::string& path) {
  return read_parsed(ctx, node, path, "a percentage such as 50%", [](const std::string& text) -> std::optional<double> {
    if (text.empty() || text.back() != '%') return std::nullopt;
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, value);
    // (Written so that NaN fails too: "nan%" parses, and compares false both ways.)
    if (ec != std::errc{} || end != text.data() + text.size() - 1 || !(value >= 0 && value <= 100)) return std::nullopt;
    return value;
  });
}

// A percentage read as a share: 50% -> 0.5.
inline std::optional<double> read_share(Context& ctx, const YAML::Node& node, const std::string& path) {
  const auto percent = read_percent(ctx, node, path);
  return percent ? std::optional<double>(*percent / 100) : std::nullopt;
}

// What each kind of quantity expects, its bound included (config/limits.hpp).
inline constexpr std::string_view kDuration = "a positive duration such as 100us, 20ms or 2s, at most 1000000s";
inline constexpr std::string_view kDurationOrZero = "a duration such as 0, 100us, 20ms or 2s, at most 1000000s";
inline constexpr std::string_view kBandwidth = "a positive bandwidth such as 100Mbps or 10Gbps, at most 1Pbps";
inline constexpr std::string_view kSize = "a size such as 500B, 50KB or 2MiB, at most 1TB";
inline constexpr std::string_view kRate = "a positive rate such as 20000/s or 50/ms, at most 10000000/s";

inline std::optional<std::string> read_choice(Context& ctx, const YAML::Node& node, const std::string& path,
                                              const std::vector<std::string>& choices) {
  const auto text = read_scalar(ctx, node, path, "one of: " + join_alternatives(choices));
  if (!text) return std::nullopt;
  if (std::find(choices.begin(), choices.end(), *text) != choices.end()) return text;
  std::string message = path + ": expected one of: " + join_alternatives(choices) + "; got '" + *text + "'";
  if (const auto suggestion = closest_match(*text, choices)) message += " (did you mean '" + *suggestion + "'?)";
  ctx.error(node, message);
  return std::nullopt;
}

// A name used in host names and reports: lower-case letters, digits, '-' and '_'.
inline std::optional<std::string> read_name(Context& ctx, const YAML::Node& node, const std::string& path) {
  return read_parsed(ctx, node, path, "a name of lower-case letters, digits, '-' or '_'",
                     [](const std::string& text) -> std::optional<std::string> {
                       if (text.empty()) return std::nullopt;
                       for (char c : text) {
                         const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                         if (!ok) return std::nullopt;
                       }
                       return text;
                     });
}

template <typename T, typename Read>
void assign_if_present(const YAML::Node& node, T& out, Read read) {
  if (!node.IsDefined()) return;
  if (auto value = read(node)) out = static_cast<T>(*value);
}

// Calls `each(item, path)` for every element of a list.
inline void for_each_item(Context& ctx, const YAML::Node& node, const std::string& path,
                          const std::function<void(const YAML::Node&, const std::string&)>& each) {
  if (!node.IsDefined()) return;
  if (!node.IsSequence()) {
    ctx.error(node, path + ": expected a list, got " + describe(node));
    return;
  }
  for (std::size_t i = 0; i < node.size(); ++i) each(node[i], path + "[" + std::to_string(i) + "]");
}

// Calls `each(key_node, value_node, path)` for every entry of a mapping.
inline void for_each_entry(Context& ctx, const YAML::Node& node, const std::string& path,
                           const std::function<void(const YAML::Node&, const YAML::Node&, const std::string&)>& each) {
  if (!node.IsDefined()) return;
  if (!node.IsMap()) {
    ctx.error(node, path + ": expected a mapping, got " + describe(node));
    return;
  }
  std::set<std::string, std::less<>> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
    if (!seen.insert(key).second) {
      ctx.error(it->first, path + "." + key + ": duplicate key");
      continue;
    }
    each(it->first, it->second, path + "." + key);
  }
}

inline std::vector<std::pair<std::string, std::string>> read_string_map(Context& ctx, const YAML::Node& node,
                                                                        const std::string& path) {
  std::vector<std::pair<std::string, std::string>> out;
  for_each_entry(ctx, node, path, [&](const YAML::Node& key, const YAML::Node& value, const std::string& entry_path) {
    const auto text = read_scalar(ctx, value, entry_path, "a text value");
    if (text) out.emplace_back(key.Scalar(), *text);
  });
  return out;
}

}  // namespace lbsim::config::detail
