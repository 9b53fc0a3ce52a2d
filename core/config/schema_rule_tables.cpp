// SPDX-License-Identifier: GPL-3.0-or-later
// The scenario schema's listener rules: a rule, its conditions and its action (exactly
// one of forward, redirect or fixed_response), one line per key.
#include "config/schema_tables.hpp"

namespace lbsim::config::schema {

const Fields<l7::Rule>& rule_fields() {
  using S = l7::Rule;
  static const Fields<S> fields{
      boolean("default", &S::is_default, "the default rule: no priority, no conditions, tried last; exactly one"),
      deferred<S>("priority", Kind::integer, "1 to 50000, unique; lower is tried first (required but on the default rule)"),
      deferred<S>("if", Kind::section, "the conditions, all of which must match (`l7.rules[].if`; required but on the default rule)"),
      deferred<S>("forward", Kind::list,
                  "action: a target group name, or a weighted list `[ { group: api, weight: 95 }, { group: canary, weight: 5 } ]` "
                  "(ALB's weighted target groups; at least one weight above 0)"),
      deferred<S>("redirect", Kind::section, "action: answer with a redirect (`l7.rules[].redirect`)"),
      deferred<S>("fixed_response", Kind::section, "action: answer from the balancer (`l7.rules[].fixed_response`)"),
      deferred<S>("rewrite", Kind::section, "with forward only: rewrite the path or the host before forwarding (`l7.rules[].rewrite`)"),
  };
  return fields;
}

const Fields<l7::Conditions>& condition_fields() {
  using S = l7::Conditions;
  static const Fields<S> fields{
      text("host", &S::host, "a text pattern", "a glob, case-insensitive (`*.example.com`)"),
      deferred<S>("path", Kind::text, "a glob: `*` any run of characters, `?` one character (`/api/*`); or `{ exact: /x }`, `{ prefix: /api/ }`, `{ glob: ... }`"),
      text("method", &S::method, "a text pattern", "the HTTP method, exactly"),
      deferred<S>("header", Kind::map, "`{ name: pattern }`: each header present (name case-insensitive) and matching the glob"),
      deferred<S>("cookie", Kind::map, "`{ name: pattern }`: each cookie present (name exact) and matching the glob"),
      deferred<S>("query", Kind::map, "`{ name: pattern }`: each query parameter present and matching the glob"),
      deferred<S>("source_ip", Kind::list, "a CIDR block or a list: the client address is in one of them (`198.18.0.0/15`)"),
  };
  return fields;
}

const Fields<ForwardKeys>& forward_fields() {
  using S = ForwardKeys;
  static const Fields<S> fields{
      required(deferred<S>("group", Kind::text, "a target group's name"), "a target group name"),
      integer("weight", &S::weight, 0, 999, "its share against the others' weights; 0 takes no traffic"),
  };
  return fields;
}

const Fields<l7::Redirect>& redirect_fields() {
  using S = l7::Redirect;
  static const Fields<S> fields{
      checked(integer("status", &S::status, 301, 308, "the redirect's status"), [](S& r) -> std::uint16_t& { return r.status; },
              [](double s) { return s == 301 || s == 302 || s == 303 || s == 307 || s == 308; },
              "a redirect status: 301, 302, 303, 307 or 308"),
      one_of("protocol", &S::protocol, {"http", "https"}, "the new scheme; absent: the request's"),
      text("host", &S::host, "a text value", "the new host; absent: the request's"),
      text("path", &S::path, "a text value", "the new path; absent: the request's"),
      text("query", &S::query, "a text value", "the new query; absent: the request's"),
  };
  return fields;
}

const Fields<l7::FixedResponse>& fixed_response_fields() {
  using S = l7::FixedResponse;
  static const Fields<S> fields{
      integer("status", &S::status, 200, 599, "the answer's status"),
      quantity("body", Kind::size, &S::body_bytes, true, "the answer's body size"),
      text("content_type", &S::content_type, "a media type", "the answer's Content-Type"),
  };
  return fields;
}

const Fields<l7::Rule>& rewrite_fields() {
  using S = l7::Rule;
  static const Fields<S> fields{
      deferred<S>("path", Kind::section, "`{ regex, replacement }` applied to the path"),
      deferred<S>("host", Kind::section, "`{ regex, replacement }` applied to the host"),
  };
  return fields;
}

const Fields<RewritePart>& rewrite_part_fields() {
  using S = RewritePart;
  static const Fields<S> fields{
      required(text("regex", &S::regex, "a regular expression",
                    "a regular expression in RE2's syntax (linear time: no backreferences, no lookaround), of RE2 program size "
                    "1000 at most"),
               "a regular expression in RE2's syntax"),
      required(text("replacement", &S::replacement, "a replacement text",
                    "the new text, for every match; `$1`..`$9` refer to groups, `$&` to the match, `$$` is a dollar sign"),
               "the new text; $1 refers to a group"),
  };
  return fields;
}

const Fields<TlsCertificate>& tls_certificate_fields() {
  using S = TlsCertificate;
  static const Fields<S> fields{
      choice("key", &S::key, Names<tls::KeyType>{{"ecdsa-p256", tls::KeyType::ecdsa_p256}, {"rsa-2048", tls::KeyType::rsa2048}},
             "the certificate's key: what a full handshake costs the tier's CPU"),
  };
  return fields;
}

}  // namespace lbsim::config::schema
