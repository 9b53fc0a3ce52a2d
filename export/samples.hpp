// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Requests that exercise a scenario's listener rules: for each rule, one that satisfies
// every condition it has ('*' in a glob read as "x"), and one that only the default
// rule should take. Which rule really takes each is RuleTable's to say (an earlier rule
// may take a request written for a later one): `lbsim route --samples` prints both, and
// the export tests send the samples through HAProxy and nginx to check they decide alike.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "l7/request_view.hpp"
#include "l7/rules.hpp"

namespace lbsim::exporting {

struct SampleRequest {
  std::string written_for;  // the rule's label: "priority 20", or "default"
  std::string method = "GET";
  std::string host = "www.lbsim.test";
  std::string path = "/";
  std::string query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::pair<std::string, std::string>> cookies;
  std::uint32_t source_ip = (198u << 24) | (18u << 16) | 1u;  // 198.18.0.1, a client's

  // A view for RuleTable; it points into this request and `fields`, which must outlive it.
  l7::RequestView view(std::vector<l7::Field>& fields) const;
};

std::vector<SampleRequest> sample_requests(const std::vector<l7::Rule>& rules);

// Text a glob matches: each '*' and '?' read as "x".
std::string glob_example(std::string_view glob);

}  // namespace lbsim::exporting
