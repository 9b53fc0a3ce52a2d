// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A web application firewall at the L7 tier: it reads what only an L7 balancer can
// read (path, query string, header and cookie values) and refuses a request that
// carries a known attack signature with 403 Forbidden, before any backend sees it.
//
// This is a teaching rule set, not a complete WAF: a handful of SQL-injection and
// cross-site-scripting phrases, in the spirit of a tiny subset of the OWASP Core Rule
// Set (which uses hundreds of rules, regular expressions and anomaly scoring). Real
// attacks have endless spellings that these literal phrases miss.
//
// How a value is inspected:
//   1. decoded once: "%XX" becomes that byte, '+' a space ("%27%20OR" reads "' or");
//      a '%' not followed by two hex digits stays a literal '%';
//   2. folded to lower case ("UNION SELECT" reads "union select");
//   3. every run of whitespace (space, tab, CR, LF, VT, FF) read as one space;
//   4. searched for each signature as a literal phrase.
// A signature is a phrase of SQL or HTML syntax, never a bare keyword: "select",
// "union", "script", a lone quote or a lone "--" all pass, so "/selection" and
// "?q=union" are not blocked.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "l7/request_view.hpp"

namespace lbsim::l7 {

inline constexpr std::uint16_t kForbidden = 403;

enum class Attack : std::uint8_t { sql_injection, cross_site_scripting };
std::string_view to_string(Attack attack);  // "sqli", "xss"

struct WafSignature {
  std::string_view rule_id;  // a rule may have several spellings, one row each
  Attack attack;
  std::string_view phrase;  // as it reads after decoding: lower case, single spaces
};

// The built-in table, in the order it is tried.
std::span<const WafSignature> waf_signatures();

struct WafVerdict {
  bool blocked = false;
  std::uint16_t status = 0;  // kForbidden when blocked, 0 when the request goes on
  std::string_view rule_id;  // the first signature that matched
  std::string_view part;     // "path", "query", "header" or "cookie"
  std::string_view name;     // the header or cookie name (a view into the request); empty for path and query

  std::string where() const;  // "path", "query", "header:User-Agent", "cookie:session"
};

// Inspects the path, then the query string (the raw text after '?'), then each header
// value, then each cookie value, in the request's order; the first part that matches
// any signature decides, and within it the first signature in table order. Two
// headers are skipped: Accept (its media ranges, "*/*", would read as a SQL comment)
// and Cookie (its values are inspected one cookie at a time, so the verdict names the
// cookie). Allocates nothing.
WafVerdict waf_inspect(const RequestView& request, std::string_view query,
                       std::span<const WafSignature> signatures = waf_signatures());

// What the WAF reads of a raw value (steps 1 to 3 above), for traces and tests.
std::string waf_normalize(std::string_view raw);

}  // namespace lbsim::l7
