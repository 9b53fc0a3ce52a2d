// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// An Envoy bootstrap's static_resources as a scenario (`lbsim import envoy envoy.yaml`):
// the first listener's http_connection_manager route_config becomes the L7 tier's rules
// — virtual hosts by domain, then each host's routes in order, as Envoy matches them
// (prefix, path, headers, query parameters; weighted_clusters, redirect,
// direct_response); clusters become target groups (endpoints per locality zone, health
// checks) and their lb_policy, outlier detection, circuit breakers, zone-aware routing,
// and the routes' retry policy and timeout become the tier's keys. Regex matches
// (safe_regex) cannot be held by globs: dropped, said why. YAML or JSON, read with
// positions.
#include <vector>

#include "import/draft.hpp"
#include "import/haproxy.hpp"  // InputFile
#include "import/report.hpp"

namespace lbsim::importing {

// Throws ImportError for malformed input (positioned).
Draft import_envoy(const std::vector<InputFile>& files, ImportReport& report);

}  // namespace lbsim::importing
