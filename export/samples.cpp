// SPDX-License-Identifier: GPL-3.0-or-later
#include "export/samples.hpp"

namespace lbsim::exporting {

std::string glob_example(std::string_view glob) {
  std::string text;
  for (const char c : glob) text += (c == '*' || c == '?') ? 'x' : c;
  return text;
}

l7::RequestView SampleRequest::view(std::vector<l7::Field>& fields) const {
  fields.clear();
  fields.reserve(headers.size() + cookies.size());
  for (const auto& [name, value] : headers) fields.emplace_back(name, value);
  for (const auto& [name, value] : cookies) fields.emplace_back(name, value);
  l7::RequestView v;
  v.method = method;
  v.host = host;
  v.path = path;
  v.query = query;
  v.headers = std::span<const l7::Field>(fields.data(), headers.size());
  v.cookies = std::span<const l7::Field>(fields.data() + headers.size(), cookies.size());
  v.source_ip = source_ip;
  return v;
}

namespace {

SampleRequest satisfying(const l7::Rule& rule) {
  SampleRequest r;
  r.written_for = rule.label;
  const l7::Conditions& when = rule.when;
  if (when.method) r.method = *when.method;
  if (when.host) r.host = glob_example(*when.host);
  if (when.path) {
    const l7::PathMatch& p = *when.path;
    r.path = p.kind == l7::PathMatch::Kind::glob ? glob_example(p.pattern) : p.kind == l7::PathMatch::Kind::prefix ? p.pattern + "x" : p.pattern;
  }
  for (const auto& h : when.headers) r.headers.emplace_back(h.name, glob_example(h.value));
  for (const auto& c : when.cookies) r.cookies.emplace_back(c.name, glob_example(c.value));
  for (const auto& q : when.query) {
    if (!r.query.empty()) r.query += '&';
    r.query += q.name + "=" + glob_example(q.value);
  }
  if (!when.source.empty()) {
    const l7::Cidr& c = when.source.front();
    r.source_ip = c.prefix >= 31 ? c.network : c.network + 1;
  }
  return r;
}

}  // namespace

std::vector<SampleRequest> sample_requests(const std::vector<l7::Rule>& rules) {
  std::vector<SampleRequest> samples;
  for (const l7::Rule& rule : rules)
    if (!rule.is_default) samples.push_back(satisfying(rule));
  SampleRequest fallback;
  fallback.written_for = "default";
  fallback.path = "/lbsim-sample/none-of-the-rules";
  samples.push_back(fallback);
  return samples;
}

}  // namespace lbsim::exporting
