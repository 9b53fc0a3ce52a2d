// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// `lbsim import FORMAT FILE...`: a proxy's configuration as a scenario that validates,
// and the report of what was mapped, approximated and dropped. The traffic a
// configuration does not hold is one request written for each imported rule (the same
// requests `lbsim route --samples` writes), so the scenario runs at once and exercises
// every rule.
#include <string>
#include <vector>

#include "import/aws.hpp"
#include "import/envoy.hpp"
#include "import/haproxy.hpp"
#include "import/nginx.hpp"
#include "import/report.hpp"

namespace lbsim::importing {

enum class Format { haproxy, aws, nginx, envoy };

struct Imported {
  std::string yaml;  // the scenario, with a comment on each item naming its source
  ImportReport report;
};

// Throws ImportError for malformed input. A scenario that does not validate would be the
// importer's fault: std::logic_error, with the loader's words.
// `include` reads what an nginx `include` names (nothing is read without it).
Imported import_configuration(Format format, const std::vector<InputFile>& files, const IncludeReader& include = {});

}  // namespace lbsim::importing
