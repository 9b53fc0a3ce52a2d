// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The scenario schema, declared once: each key of a section is one line of a table
// (key, type and range, the struct member it fills, one sentence of doc), as SimGrid
// declares a flag or Envoy a proto field with its validation rule. The loader executes
// the tables; `lbsim schema` prints them as Markdown (docs/SCENARIOS.md's key tables)
// or as a JSON Schema (docs/scenario.schema.json); the GUI's knobs take their paths and
// ranges from them. Defaults are never written here: they are read from a
// default-constructed spec struct, so the struct stays the one place that sets them.
//
// Keys whose reading needs more than a table line (a distribution, the rules, the
// health-check presets) are `deferred`: the table still names and documents them, and
// the section's reader takes their nodes back and reads them itself.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace YAML {
class Node;
}

namespace lbsim::config {

namespace detail {
class Context;
class MapReader;
}  // namespace detail

namespace schema {

// How a value is written in a file (docs and JSON Schema follow from it).
enum class Kind { integer, number, boolean, text, name, duration, bandwidth, size, rate, percent, choice, section, list, map };

std::string_view kind_name(Kind kind);

// A key, erased of the struct it fills: what docs, the JSON Schema and the GUI read.
struct KeyInfo {
  std::string key;
  Kind kind = Kind::text;
  std::string doc;
  std::string default_text;          // as a file would write it; empty: none
  bool required = false;
  std::optional<double> min, max;    // integers and quantities, in the spec's units
  bool allow_zero = false;           // quantities: 0 accepted though the rest is > 0
  std::vector<std::string> choices;  // Kind::choice
  bool deferred = false;             // read by its section's own code, not by the table
};

// One kind of a kind-dispatched block (an arrival's `kind: ramp`, a distribution's
// `dist: lognormal`): its name, one sentence, and the keys it takes.
struct KindKey {
  std::string key;
  bool required = false;
  std::string hint;  // completes "missing required key 'k' (hint)"; empty: the key's own
};
struct KindEntry {
  std::string name;
  std::string doc;
  std::vector<KindKey> keys;
};

// A block whose other keys depend on one of its keys, the discriminator.
struct KindsInfo {
  std::string discriminator;  // "kind", "dist", "type"
  std::string noun;           // messages say "a ramp arrival", "a lognormal distribution"
  std::string default_kind;   // empty: the discriminator is required
  std::vector<KindEntry> kinds;
  std::vector<std::string> before, after;  // the block's keys every kind takes, around its own

  std::vector<std::string> names() const;
  const KindEntry* find(std::string_view name) const;
  const KindKey* key_of(const KindEntry& kind, std::string_view key) const;
  // "at, kind, zone, scope, for": every key a block of this kind takes, in order.
  std::string keys_of(const KindEntry& kind) const;
  // "a ramp arrival", "an exponential distribution".
  std::string a_kind(const KindEntry& kind) const;
};

// A mapping of the file: its path as messages name it ("l7.cpu", "clients[]") and keys.
struct SectionInfo {
  std::string path;
  std::string doc;
  std::vector<KeyInfo> keys;
  std::optional<KindsInfo> kinds;  // a kind-dispatched block: which kind takes which keys
};

// A key of struct S. `read` takes the key's node (defined) and stores the value.
template <class S>
struct Field {
  using Read = std::function<void(detail::Context&, const YAML::Node&, const std::string& path, S&)>;
  using Show = std::function<std::string(const S&)>;
  Field(KeyInfo info_, Read read_, Show show_) : info(std::move(info_)), read(std::move(read_)), show(std::move(show_)) {}

  KeyInfo info;
  std::function<void(detail::Context&, const YAML::Node&, const std::string& path, S&)> read;  // empty: deferred
  std::function<std::string(const S&)> show;  // the value as a file writes it (defaults)
  std::string required_hint;                  // "missing required key 'k' (hint)"
};

template <class S>
using Fields = std::vector<Field<S>>;

// The nodes of a section's deferred keys, for its reader (undefined when absent).
class Deferred {
public:
  void add(std::string key, YAML::Node node);
  void merge(const Deferred& other);
  YAML::Node operator[](std::string_view key) const;

private:
  std::vector<std::pair<std::string, YAML::Node>> nodes_;
};

// The names of an enum's values, in the order messages list them.
template <class E>
using Names = std::vector<std::pair<std::string_view, E>>;

template <class S>
SectionInfo section_info(std::string path, std::string doc, const Fields<S>& fields, const S& defaults = S{}) {
  SectionInfo info{std::move(path), std::move(doc), {}, std::nullopt};
  for (const auto& f : fields) {
    KeyInfo key = f.info;
    if (f.show && key.default_text.empty()) key.default_text = f.show(defaults);
    info.keys.push_back(std::move(key));
  }
  return info;
}

// Every section of the scenario file, in the order the docs present them.
std::vector<SectionInfo> scenario_sections();

// The same, as a JSON Schema (draft 2020-12) an editor can complete and check with.
std::string json_schema();
// The key tables as Markdown: every section with its heading, or one section's table.
std::string markdown();
std::string section_table(const SectionInfo& section);
// `doc` with the table of every "<!-- schema: PATH -->" ... "<!-- /schema -->" region
// regenerated from the schema (docs/SCENARIOS.md keeps its tables this way).
std::string with_generated_tables(const std::string& doc);

// A section's key by path and key ("l7.cpu", "cores"), or null.
const KeyInfo* find_key(std::string_view section_path, std::string_view key);

}  // namespace schema
}  // namespace lbsim::config
