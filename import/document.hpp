// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A node of a JSON or YAML input read through yaml-cpp, which keeps every node's line and
// column: reading a key of the wrong shape fails with the position of what was wrong
// (ImportError), as a scenario file's loader does. Shared by the importers of structured
// formats (AWS's JSON, Envoy's YAML).
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "import/haproxy.hpp"  // InputFile
#include "import/report.hpp"

namespace lbsim::importing {

// A node of one input file: where it is, for messages and comments.
struct At {
  const InputFile* file = nullptr;
  YAML::Node node;
  YAML::Mark mark{};  // where it is (a missing key: where its object is)
  At() = default;
  At(const InputFile* f, const YAML::Node& n) : file(f), node(n), mark(n.Mark()) {}
  At(const InputFile* f, const YAML::Node& n, const YAML::Mark& m) : file(f), node(n), mark(m) {}
  SourcePlace place() const { return {file->name, mark.line + 1, mark.column + 1}; }
  [[noreturn]] void fail(const std::string& what) const { throw ImportError(place(), what); }
  void expect_object(const char* key) const {
    if (!node.IsMap()) fail(fmt::format("expected an object (with '{}')", key));
  }
  At operator[](const char* key) const {
    expect_object(key);
    const YAML::Node value = node[key];
    if (!value) return {file, YAML::Node(YAML::NodeType::Null), mark};
    return {file, value};
  }
  bool has(const char* key) const { return node.IsMap() && node[key] && !node[key].IsNull(); }
  std::string text(const char* key) const {
    expect_object(key);
    const YAML::Node value = node[key];
    if (!value || !value.IsScalar()) fail(fmt::format("'{}': expected a string", key));
    return value.as<std::string>();
  }
  std::string text_or(const char* key, const std::string& fallback) const { return has(key) ? text(key) : fallback; }
  long number(const char* key) const {
    const std::string value = text(key);
    try {
      std::size_t used = 0;
      const long n = std::stol(value, &used);
      if (used == value.size()) return n;
    } catch (const std::exception&) {
    }
    (*this)[key].fail(fmt::format("'{}': expected a whole number, got '{}'", key, value));
  }
  std::vector<At> list(const char* key) const {
    std::vector<At> out;
    if (!has(key)) return out;
    const YAML::Node items = node[key];
    if (!items.IsSequence()) At{file, items}.fail(fmt::format("'{}': expected a list", key));
    for (const YAML::Node& item : items) out.push_back({file, item});
    return out;
  }
  std::vector<std::string> texts(const char* key) const {
    std::vector<std::string> out;
    for (const At& item : list(key)) {
      if (!item.node.IsScalar()) item.fail(fmt::format("'{}': expected a list of strings", key));
      out.push_back(item.node.as<std::string>());
    }
    return out;
  }
};


}  // namespace lbsim::importing
