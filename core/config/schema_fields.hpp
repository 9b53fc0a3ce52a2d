// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to core/config: the builders of schema table lines (one per kind of value)
// and `read_fields`, which executes a table over one mapping of the file. Each builder
// reads with the generic readers of yaml_reader.hpp, so messages are the same whether a
// key is read by a table or by hand.
#include <limits>
#include <string>

#include "config/schema.hpp"
#include "config/yaml_reader.hpp"
#include "util/units.hpp"

namespace lbsim::config::schema {

using detail::Context;
using detail::MapReader;

inline KeyInfo key_info(std::string_view key, Kind kind, std::string_view doc) {
  KeyInfo info;
  info.key = std::string(key);
  info.kind = kind;
  info.doc = std::string(doc);
  return info;
}

namespace fields_detail {

struct QuantityKind {
  std::optional<double> (*parse)(std::string_view);
  std::string (*format)(double);
  std::string_view expected, expected_or_zero;
};

inline QuantityKind quantity_of(Kind kind) {
  switch (kind) {
    case Kind::duration: return {limits::parse_duration, units::format_duration, detail::kDuration, detail::kDurationOrZero};
    case Kind::bandwidth: return {limits::parse_bandwidth, units::format_bandwidth, detail::kBandwidth, detail::kBandwidth};
    case Kind::size: return {limits::parse_size, units::format_size, detail::kSize, detail::kSize};
    case Kind::rate: return {limits::parse_rate, units::format_rate, detail::kRate, detail::kRate};
    case Kind::integer:
    case Kind::number:
    case Kind::boolean:
    case Kind::text:
    case Kind::name:
    case Kind::percent:
    case Kind::choice:
    case Kind::section:
    case Kind::list:
    case Kind::map: break;
  }
  return {limits::parse_duration, units::format_duration, detail::kDuration, detail::kDurationOrZero};
}

template <class M>
std::string show_optional(const M& value, std::string (*format)(double)) {
  if constexpr (std::is_same_v<M, std::optional<double>>) return value ? format(*value) : "";
  else return format(static_cast<double>(value));
}

template <class M>
std::string show_integer(const M& value) {
  if constexpr (requires { value.has_value(); }) return value ? std::to_string(*value) : "";
  else if constexpr (std::is_floating_point_v<M>) return std::to_string(static_cast<std::uint64_t>(value));
  else return std::to_string(value);
}

inline std::string show_number(double value) {
  std::string text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

}  // namespace fields_detail

// Builders take the member to fill as a member pointer, or as an accessor `M&(S&)` for a
// member of a member (a retry policy's backoff.base_s).
template <class S, class M>
auto at(M S::*member) {
  return [member](S& s) -> M& { return s.*member; };
}

template <class S, class Get>
Field<S> integer(std::string_view key, Get get, std::uint64_t min, std::uint64_t max, std::string_view doc) {
  KeyInfo info = key_info(key, Kind::integer, doc);
  info.min = static_cast<double>(min);
  info.max = static_cast<double>(max);
  return {std::move(info),
          [get, min, max](Context& ctx, const YAML::Node& n, const std::string& path, S& out) {
            detail::assign_if_present(n, get(out), [&](const YAML::Node& v) { return detail::read_uint(ctx, v, path, min, max); });
          },
          [get](const S& s) { return fields_detail::show_integer(get(const_cast<S&>(s))); }};
}
template <class S, class M>
Field<S> integer(std::string_view key, M S::*member, std::uint64_t min, std::uint64_t max, std::string_view doc) {
  return integer<S>(key, at(member), min, max, doc);
}

// A unit-bearing quantity (Kind::duration, bandwidth, size or rate), strictly positive
// unless `allow_zero`. The member is a double or an optional<double>.
template <class S, class Get>
Field<S> quantity(std::string_view key, Kind kind, Get get, bool allow_zero, std::string_view doc) {
  KeyInfo info = key_info(key, kind, doc);
  info.allow_zero = allow_zero;
  const auto q = fields_detail::quantity_of(kind);
  return {std::move(info),
          [get, allow_zero, q](Context& ctx, const YAML::Node& n, const std::string& path, S& out) {
            detail::assign_if_present(n, get(out), [&](const YAML::Node& v) {
              return detail::read_quantity(ctx, v, path, q.parse, allow_zero ? q.expected_or_zero : q.expected, allow_zero);
            });
          },
          [get, q](const S& s) { return fields_detail::show_optional(get(const_cast<S&>(s)), q.format); }};
}
template <class S, class M>
Field<S> quantity(std::string_view key, Kind kind, M S::*member, bool allow_zero, std::string_view doc) {
  return quantity<S>(key, kind, at(member), allow_zero, doc);
}

template <class S>
Field<S> boolean(std::string_view key, bool S::*member, std::string_view doc) {
  return {key_info(key, Kind::boolean, doc),
          [member](Context& ctx, const YAML::Node& n, const std::string& path, S& out) {
            detail::assign_if_present(n, out.*member, [&](const YAML::Node& v) { return detail::read_bool(ctx, v, path); });
          },
          [member](const S& s) { return std::string(s.*member ? "true" : "false"); }};
}

// A percentage kept as written (50% -> 50), or as a share (`as_share`: 50% -> 0.5).
template <class S, class Get>
Field<S> percent(std::string_view key, Get get, std::string_view doc, bool as_share = false) {
  KeyInfo info = key_info(key, Kind::percent, doc);
  info.min = 0;
  info.max = 100;
  return {std::move(info),
          [get, as_share](Context& ctx, const YAML::Node& n, const std::string& path, S& out) {
            detail::assign_if_present(n, get(out), [&](const YAML::Node& v) {
              return as_share ? detail::read_share(ctx, v, path) : detail::read_percent(ctx, v, path);
            });
          },
          [get, as_share](const S& s) {
            const double value = get(const_cast<S&>(s));
            return fields_detail::show_number(as_share ? value * 100 : value) + "%";
          }};
}
template <class S>
Field<S> percent(std::string_view key, double S::*member, std::string_view doc, bool as_share = false) {
  return percent<S>(key, at(member), doc, as_share);
}

template <class S>
Field<S> number(std::string_view key, double S::*member, std::string_view doc) {
  KeyInfo info = key_info(key, Kind::number, doc);
  return {std::move(info),
          [member](Context& ctx, const YAML::Node& n, const std::string& path, S& out) {
            detail::assign_if_present(n, out.*member, [&](const YAML::Node& v) { return detail::read_positive_number(ctx, v, path); });
          },
          [member](const S& s) { return fields_detail::show_number(s.*member); }};
}

// Free text (a string, or an optional one); `expected` names it in messages ("a host name").
template <class S, class M>
Field<S> text(std::string_view key, M S::*member, std::string_view expected, std::string_view doc) {
  return {key_info(key, Kind::text, doc),
          [member, expected](Context& ctx, const YAML::Node& n, const std::string& path, S& out) {
            detail::assign_if_present(n, out.*member, [&](const YAML::Node& v) { return detail::read_scalar(ctx, v, path, expected); });
          },
          [member](const S& s) {
            if constexpr (std::is_same_v<M, std::string>) return s.*member;
            else return (s.*member).value_or("");
          }};
}

// One of an enum's names.
template <class S, class E>
Field<S> choice(std::string_view key, E S::*member, Names<E> names, std::string_view doc) {
  KeyInfo info = key_info(key, Kind::choice, doc);
  for (const auto& [name, value] : names) info.choices.emplace_back(name);
  return {std::move(info),
          [member, names](Context& ctx, const YAML::Node& n, const std::string& path, S& out) {
            std::vector<std::string> choices;
            for (const auto& [name, value] : names) choices.emplace_back(name);
            detail::assign_if_present(n, out.*member, [&](const YAML::Node& v) -> std::optional<E> {
              const auto chosen = detail::read_choice(ctx, v, path, choices);
              if (!chosen) return std::nullopt;
              for (const auto& [name, value] : names)
                if (name == *chosen) return value;
              return std::nullopt;
            });
          },
          [member, names](const S& s) {
            for (const auto& [name, value] : names)
              if (value == s.*member) return std::string(name);
            return std::string();
          }};
}

// One of a list of names kept as text (an algorithm's name).
template <class S>
Field<S> one_of(std::string_view key, std::string S::*member, std::vector<std::string> choices, std::string_view doc) {
  KeyInfo info = key_info(key, Kind::choice, doc);
  info.choices = choices;
  return {std::move(info),
          [member, choices](Context& ctx, const YAML::Node& n, const std::string& path, S& out) {
            detail::assign_if_present(n, out.*member, [&](const YAML::Node& v) { return detail::read_choice(ctx, v, path, choices); });
          },
          [member](const S& s) { return s.*member; }};
}

// A name used in host names and reports (lower-case letters, digits, '-', '_').
template <class S>
Field<S> name(std::string_view key, std::string S::*member, std::string_view doc) {
  return {key_info(key, Kind::name, doc),
          [member](Context& ctx, const YAML::Node& n, const std::string& path, S& out) {
            detail::assign_if_present(n, out.*member, [&](const YAML::Node& v) { return detail::read_name(ctx, v, path); });
          },
          [member](const S& s) { return s.*member; }};
}

// A key the section's reader reads itself (a nested section, a list, a reference);
// the table documents it. `default_text` as a file would write it.
template <class S>
Field<S> deferred(std::string_view key, Kind kind, std::string_view doc, std::string_view default_text = {}) {
  KeyInfo info = key_info(key, kind, doc);
  info.default_text = std::string(default_text);
  info.deferred = true;
  return {std::move(info), nullptr, nullptr};
}

// The same, with its choices (documented; the section's reader checks them).
template <class S>
Field<S> deferred_choice(std::string_view key, std::vector<std::string> choices, std::string_view doc, std::string_view default_text) {
  Field<S> field = deferred<S>(key, Kind::choice, doc, default_text);
  field.info.choices = std::move(choices);
  return field;
}

// A quantity that must also pass `valid`, a rule a range cannot say ("0 (off) or from 30s
// to 900s"); `expected` completes "path: expected ...". An invalid value is not kept.
template <class S, class Get>
Field<S> checked(Field<S> field, Get get, bool (*valid)(double), std::string_view expected) {
  auto read = field.read;
  field.read = [read, get, valid, expected = std::string(expected)](Context& ctx, const YAML::Node& n, const std::string& path, S& out) {
    auto& value = get(out);
    const auto before = value;
    const std::size_t problems = ctx.diagnostics().size();
    read(ctx, n, path, out);
    if (ctx.diagnostics().size() != problems || valid(static_cast<double>(value))) return;
    ctx.error(n, path + ": expected " + expected);
    value = before;
  };
  return field;
}

// Overrides the default the docs show (when the struct's value needs words: "no limit").
template <class S>
Field<S> shown_as(Field<S> field, std::string_view default_text) {
  field.info.default_text = std::string(default_text);
  return field;
}

// Marks a table line required; `hint` completes "missing required key 'k' (hint)".
template <class S>
Field<S> required(Field<S> field, std::string_view hint) {
  field.info.required = true;
  field.required_hint = std::string(hint);
  return field;
}

// Takes every key of the table from `m` in table order (so unknown-key suggestions list
// them in that order), reads those it can, and hands back the deferred ones' nodes.
template <class S>
Deferred read_fields(Context& ctx, MapReader& m, const Fields<S>& fields, S& out) {
  Deferred deferred_nodes;
  for (const auto& f : fields) {
    const YAML::Node n = f.info.required ? m.require(f.info.key, f.required_hint) : m.take(f.info.key);
    if (!f.read) deferred_nodes.add(f.info.key, n);
    else if (n.IsDefined()) f.read(ctx, n, m.key_path(f.info.key), out);
  }
  return deferred_nodes;
}

// A kind-dispatched block: the keys every kind takes (`before` and `after` the
// discriminator, read as a plain table), and the keys of all kinds, each once, which
// `kinds` hands out kind by kind.
template <class S>
struct KindTable {
  KindsInfo kinds;
  Fields<S> fields;
  Fields<S> before, after;
};

// Names the common keys in `kinds` (for "it takes:" lists) once a table is complete.
template <class S>
KindTable<S> completed(KindTable<S> table) {
  for (const auto& f : table.before) table.kinds.before.push_back(f.info.key);
  for (const auto& f : table.after) table.kinds.after.push_back(f.info.key);
  return table;
}

template <class S>
SectionInfo section_info(std::string path, std::string doc, const KindTable<S>& table, const S& defaults = S{}) {
  const KindsInfo& kinds = table.kinds;
  KeyInfo discriminator = key_info(kinds.discriminator, Kind::choice, "which kind of " + kinds.noun + " (each takes its own keys, below)");
  discriminator.choices = kinds.names();
  discriminator.required = kinds.default_kind.empty();
  discriminator.default_text = kinds.default_kind;
  SectionInfo info = section_info(std::move(path), std::move(doc), table.before, defaults);
  info.keys.push_back(std::move(discriminator));
  for (const Fields<S>* part : {&table.fields, &table.after})
    for (auto& key : section_info("", "", *part, defaults).keys) info.keys.push_back(std::move(key));
  info.kinds = kinds;
  return info;
}

// What reading a kind-dispatched block found: its kind (null when missing or not one of
// the names; the message is given) and the nodes of its deferred keys.
template <class S>
struct KindRead {
  const KindEntry* kind = nullptr;
  Deferred keys;
};

// Reads a kind-dispatched block. A key of another kind gets its own message, naming
// what this kind takes; when the kind itself is wrong, which keys fit is unknown, so
// nothing more is said about them.
template <class S>
KindRead<S> read_kind_fields(Context& ctx, MapReader& m, const KindTable<S>& table, S& out) {
  const KindsInfo& kinds = table.kinds;
  KindRead<S> result;
  result.keys = read_fields(ctx, m, table.before, out);
  const auto names = kinds.names();
  const YAML::Node chosen = kinds.default_kind.empty() ? m.require(kinds.discriminator, "one of: " + join_alternatives(names))
                                                       : m.take(kinds.discriminator);
  if (!chosen.IsDefined()) result.kind = kinds.find(kinds.default_kind);
  else if (const auto name = detail::read_choice(ctx, chosen, m.key_path(kinds.discriminator), names)) result.kind = kinds.find(*name);
  for (const auto& f : table.fields) {
    const std::string& key = f.info.key;
    const KindKey* own = result.kind != nullptr ? kinds.key_of(*result.kind, key) : nullptr;
    if (own == nullptr) {
      const YAML::Node key_node = m.claim_key(key);
      if (result.kind != nullptr && key_node.IsDefined())
        ctx.error(key_node, m.key_path(key) + ": not a key of " + kinds.a_kind(*result.kind) + "; it takes: " + kinds.keys_of(*result.kind));
      result.keys.add(key, YAML::Node(YAML::NodeType::Undefined));
      continue;
    }
    const YAML::Node n = own->required ? m.require(key, own->hint.empty() ? f.required_hint : own->hint) : m.take(key);
    if (!f.read) result.keys.add(key, n);
    else if (n.IsDefined()) f.read(ctx, n, m.key_path(key), out);
  }
  const Deferred after = read_fields(ctx, m, table.after, out);
  result.keys.merge(after);
  return result;
}

}  // namespace lbsim::config::schema
