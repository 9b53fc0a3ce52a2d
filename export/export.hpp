// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A scenario's L7 tier as a real proxy's configuration: what `lbsim export` writes, and
// what the testbed will run as the L7 tier in place of lbsim's own proxy.
//
// One configuration describes one L7 node. With `cross_zone: true` (ALB's way) every
// node sees every zone's backends, so one file serves them all; otherwise each zone's
// nodes see their own zone's, and there is one file per zone.
//
// Every scenario key that shapes the L7 tier's behaviour is accounted for: mapped (the
// proxy does what lbsim models), approximated (it does something close, and `how` says
// what differs), or dropped (it has no equivalent, and `how` says why). Nothing is left
// out silently.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/spec.hpp"

namespace lbsim::exporting {

enum class Proxy { haproxy, nginx };

struct Mapping {
  enum class Kind { approximated, dropped };
  Kind kind = Kind::dropped;
  std::string key;  // the scenario key: "l7.rules[2].when.cookies", "target_groups.api.slow_start"
  std::string how;  // what the proxy does instead, or why nothing
};

// A file the configuration needs beside it: a fixed response's body.
struct SideFile {
  std::string name;
  std::string content;
};

struct ProxyConfig {
  std::string file_name;  // haproxy.cfg, haproxy-a.cfg, nginx.conf
  std::string text;
  std::vector<SideFile> side_files;
};

struct Export {
  std::vector<ProxyConfig> configs;  // one, or one per zone
  // The certificate every configuration reads, by this name beside it (the caller makes
  // it: a self-signed one of the scenario's key type, to be replaced by the user's own).
  std::string certificate_file;
  tls::KeyType certificate_key = tls::KeyType::ecdsa_p256;
  bool terminates_tls = false;
  std::vector<Mapping> mappings;  // approximated and dropped keys, in the scenario's order
};

struct ExportOptions {
  // Where the configuration will find its side files and certificate (an absolute
  // folder; the output folder by default).
  std::string directory = ".";
  // For the testbed's L7 nodes: the headers its processes exchange — health checks say
  // they are checks (a backend then draws nothing for them), and HAProxy's answers name
  // the target group that answered (nginx's do not: no per-group figures with it).
  bool testbed = false;
};

// Throws std::invalid_argument for an L4-only scenario (there is no L7 tier to export).
Export export_l7(const config::ScenarioSpec& spec, Proxy proxy, const ExportOptions& options = {});

std::string_view to_string(Proxy proxy);
std::string_view to_string(Mapping::Kind kind);

// A report of what did not map exactly, one line per key: "approximated  l7.waf: ...".
std::string mapping_report(const Export& e);

// ---- helpers the proxies' writers share (export/common.cpp) ----

// lbsim's glob ('*' any run, '?' one character) as an anchored POSIX-extended/PCRE regex.
std::string glob_to_regex(std::string_view glob);
// The same unanchored, '*' and '?' written as `any_run` and `any_one` (to keep a match
// within one item of a list: "[^;]*").
std::string glob_pattern(std::string_view glob, std::string_view any_run, std::string_view any_one);
// Text as a regex matches it literally.
std::string regex_literal(std::string_view text);
// The backends a node of zone `zone` forwards to, as "10.z.20+g.n:8080", with names.
struct Server {
  std::string name;     // app-a-0
  std::string address;  // 10.1.20.1:8080
  std::uint32_t zone = 0;
  std::uint32_t weight = 1;  // the group's `weights`; HAProxy and nginx both read 1 as the default
};
std::vector<Server> servers_of(const config::ScenarioSpec& spec, std::uint32_t group, std::optional<std::uint32_t> zone);
// "30s", "500ms", "250us": a duration as proxies read it (their units, no decimals).
std::string duration(double seconds);

}  // namespace lbsim::exporting
