// SPDX-License-Identifier: GPL-3.0-or-later
#include "l7/waf.hpp"

#include <array>

namespace lbsim::l7 {
namespace {

using enum Attack;

// clang-format off
constexpr std::array kSignatures{
    // SQL injection: closing the app's string literal and rewriting its query.
    WafSignature{"sqli-tautology",      sql_injection, "' or 1=1"},       // makes a WHERE clause always true
    WafSignature{"sqli-tautology",      sql_injection, "' or '1'='1"},
    WafSignature{"sqli-union-select",   sql_injection, "union select"},   // appends rows of another table
    WafSignature{"sqli-drop-table",     sql_injection, "; drop table"},   // a second, destructive statement
    WafSignature{"sqli-drop-table",     sql_injection, ";drop table"},
    WafSignature{"sqli-quote-comment",  sql_injection, "'--"},            // closes the string, comments out the rest
    WafSignature{"sqli-quote-comment",  sql_injection, "' --"},
    WafSignature{"sqli-comment",        sql_injection, "/*"},             // inline comment: union/**/select
    WafSignature{"sqli-sleep",          sql_injection, "sleep("},         // time-based blind injection (MySQL)
    WafSignature{"sqli-benchmark",      sql_injection, "benchmark("},     // time-based blind injection (MySQL)
    // Cross-site scripting: making the page run the attacker's script.
    WafSignature{"xss-script-tag",      cross_site_scripting, "<script"},
    WafSignature{"xss-javascript-uri",  cross_site_scripting, "javascript:"},
    WafSignature{"xss-onerror",         cross_site_scripting, "onerror="},   // <img src=x onerror=...>
    WafSignature{"xss-onload",          cross_site_scripting, "onload="},    // <body onload=...>
    WafSignature{"xss-iframe-tag",      cross_site_scripting, "<iframe"},
    WafSignature{"xss-document-cookie", cross_site_scripting, "document.cookie"},  // the usual thing to steal
};
// clang-format on

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

struct Decoded {
  char c;
  std::size_t next;  // where the following character starts in the raw text
};

// Steps 1 and 2: one character of the raw text, percent- and '+'-decoded, lower case.
Decoded decode_one(std::string_view raw, std::size_t at) {
  if (raw[at] == '%' && at + 2 < raw.size()) {
    const int high = hex_value(raw[at + 1]), low = hex_value(raw[at + 2]);
    if (high >= 0 && low >= 0) return {lower(static_cast<char>(high * 16 + low)), at + 3};
  }
  if (raw[at] == '+') return {' ', at + 1};
  return {lower(raw[at]), at + 1};
}

// Step 3 on top: a run of whitespace reads as a single space.
Decoded read_one(std::string_view raw, std::size_t at) {
  Decoded d = decode_one(raw, at);
  if (!is_space(d.c)) return d;
  while (d.next < raw.size()) {
    const Decoded more = decode_one(raw, d.next);
    if (!is_space(more.c)) break;
    d.next = more.next;
  }
  return {' ', d.next};
}

// Decoding on the fly rather than into a buffer: inspecting allocates nothing.
bool phrase_at(std::string_view raw, std::size_t at, std::string_view phrase) {
  for (char wanted : phrase) {
    if (at >= raw.size()) return false;
    const Decoded d = read_one(raw, at);
    if (d.c != wanted) return false;
    at = d.next;
  }
  return true;
}

bool contains_phrase(std::string_view raw, std::string_view phrase) {
  for (std::size_t at = 0; at < raw.size(); at = read_one(raw, at).next) {
    if (phrase_at(raw, at, phrase)) return true;
  }
  return false;
}

const WafSignature* first_match(std::string_view raw, std::span<const WafSignature> signatures) {
  for (const WafSignature& signature : signatures) {
    if (contains_phrase(raw, signature.phrase)) return &signature;
  }
  return nullptr;
}

bool skipped_header(std::string_view name) { return iequals(name, "accept") || iequals(name, "cookie"); }

WafVerdict blocked(const WafSignature& signature, std::string_view part, std::string_view name = {}) {
  return {.blocked = true, .status = kForbidden, .rule_id = signature.rule_id, .part = part, .name = name};
}

}  // namespace

std::string_view to_string(Attack attack) {
  switch (attack) {
    case sql_injection: return "sqli";
    case cross_site_scripting: return "xss";
  }
  return "?";
}

std::span<const WafSignature> waf_signatures() { return kSignatures; }

std::string WafVerdict::where() const {
  if (name.empty()) return std::string(part);
  return std::string(part) + ':' + std::string(name);
}

WafVerdict waf_inspect(const RequestView& request, std::string_view query, std::span<const WafSignature> signatures) {
  if (const auto* s = first_match(request.path, signatures)) return blocked(*s, "path");
  if (const auto* s = first_match(query, signatures)) return blocked(*s, "query");
  for (const auto& [name, value] : request.headers) {
    if (skipped_header(name)) continue;
    if (const auto* s = first_match(value, signatures)) return blocked(*s, "header", name);
  }
  for (const auto& [name, value] : request.cookies) {
    if (const auto* s = first_match(value, signatures)) return blocked(*s, "cookie", name);
  }
  return {};
}

std::string waf_normalize(std::string_view raw) {
  std::string text;
  for (std::size_t at = 0; at < raw.size();) {
    const Decoded d = read_one(raw, at);
    text += d.c;
    at = d.next;
  }
  return text;
}

}  // namespace lbsim::l7
