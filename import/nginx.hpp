// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// An nginx configuration as a scenario (`lbsim import nginx nginx.conf`): the server
// blocks of one listener become the L7 tier's rules in nginx's own matching order —
// server names first, then exact locations (`=`), then prefixes longest first —
// with proxy_pass to an upstream as a forward (a URI after it as a path rewrite), return
// as a redirect or a fixed response; upstreams become target groups (servers, weights,
// least_conn / ip_hash / hash / random, max_fails as outlier ejection, keepalive);
// limit_req, proxy_next_upstream and proxy_read_timeout become the tier's keys.
// Regex locations and server names cannot be held by lbsim's globs: dropped, said why.
#include <functional>
#include <string>
#include <vector>

#include "import/draft.hpp"
#include "import/haproxy.hpp"  // InputFile, ConfigWord
#include "import/report.hpp"

namespace lbsim::importing {

// The files an `include` names (a path or a glob, relative to the including file's
// folder), read; empty when none match. The program supplies it: the importer does no
// I/O of its own.
using IncludeReader = std::function<std::vector<InputFile>(const std::string& pattern, const std::string& including_file)>;

// One directive: its words, and its block if it has one.
struct NginxDirective {
  SourcePlace at;
  std::vector<ConfigWord> words;
  bool has_block = false;
  std::vector<NginxDirective> block;
  std::string joined() const;
};

// nginx's syntax: directives end with ';', blocks are { ... }; quotes and '\' escapes;
// '#' comments. Throws ImportError at a brace that does not match or a missing ';'.
std::vector<NginxDirective> nginx_directives(const InputFile& file);

Draft import_nginx(const std::vector<InputFile>& files, ImportReport& report, const IncludeReader& include = {});

}  // namespace lbsim::importing
