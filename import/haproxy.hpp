// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// An HAProxy configuration as a scenario (`lbsim import haproxy haproxy.cfg`): its HTTP
// frontend's ACLs, http-request actions, use_backend and default_backend become the L7
// tier's rules in HAProxy's own order; its backends become target groups (servers,
// checks, slow start, cookie stickiness); balance, timeouts, retries and threads become
// the L7 tier's keys. Every directive lands in the report as mapped, approximated or
// dropped. Read by HAProxy's own word rules: spaces separate words, '#' starts a
// comment, '\' escapes, '...' is literal and "..." takes '\' escapes.
#include <string>
#include <vector>

#include "import/draft.hpp"
#include "import/report.hpp"

namespace lbsim::importing {

struct InputFile {
  std::string name;  // as the user gave it: what messages and comments say
  std::string text;
};

// One line of words, each with its 1-based column.
struct ConfigWord {
  std::string text;
  int column = 1;
};
struct ConfigLine {
  SourcePlace at;
  std::vector<ConfigWord> words;
  std::string joined() const;  // the words, one space apart
};

// HAProxy's word rules; throws ImportError at an unterminated quote or a control byte.
std::vector<ConfigLine> haproxy_lines(const InputFile& file);

// Throws ImportError for a malformed file (positioned).
Draft import_haproxy(const std::vector<InputFile>& files, ImportReport& report);

}  // namespace lbsim::importing
