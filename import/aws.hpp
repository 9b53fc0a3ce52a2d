// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// AWS Elastic Load Balancing as a scenario (`lbsim import aws FILE...|DIR`): the JSON the
// `aws elbv2 describe-*` commands print, in any order. An ALB becomes the L7 tier (its
// HTTPS listener's rules in priority order, their conditions and actions), an NLB the
// L4 tier; an NLB whose target group has target type `alb` in front of an ALB becomes
// the two-tier layout. Availability zones, cross-zone balancing, target groups' health
// checks, algorithm, stickiness, slow start and deregistration delay, and the targets
// per zone (from describe-target-health) are read. The JSON is read with positions, so
// a malformed file's error names its line and column.
//
// describe-target-group-attributes and describe-target-health do not name their target
// group: give it as a "TargetGroupArn" key beside theirs, or in the file's name
// (`target-health-api.json` for the group `api`).
#include <vector>

#include "import/draft.hpp"
#include "import/haproxy.hpp"  // InputFile
#include "import/report.hpp"

namespace lbsim::importing {

// Throws ImportError for malformed or unrecognised input (positioned).
Draft import_aws(const std::vector<InputFile>& files, ImportReport& report);

}  // namespace lbsim::importing
