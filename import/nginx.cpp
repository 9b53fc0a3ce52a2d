// SPDX-License-Identifier: GPL-3.0-or-later
#include "import/nginx.hpp"

#include "import/values.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <memory>
#include <set>

namespace lbsim::importing {
namespace {

constexpr int kMaxIncludeDepth = 8;

// ---- syntax ------------------------------------------------------------------------

class Tokens {
public:
  explicit Tokens(const InputFile& file) : file_(file), text_(file.text) {}

  // The next word or one of ";", "{", "}"; empty at the end. `column`/`line`: its start.
  bool next(ConfigWord& word, int& line, bool& special) {
    skip_space_and_comments();
    if (at_ >= text_.size()) return false;
    line = line_;
    word.column = column();
    word.text.clear();
    const char c = text_[at_];
    special = c == ';' || c == '{' || c == '}';
    if (special) {
      word.text = c;
      ++at_;
      return true;
    }
    while (at_ < text_.size()) {
      const char d = text_[at_];
      if (std::isspace(static_cast<unsigned char>(d)) || d == ';' || d == '{' || d == '}') break;
      if (static_cast<unsigned char>(d) < 0x20) throw ImportError(here(), "a control character: expected text");
      if (d == '"' || d == '\'') {
        quoted(word.text, d);
      } else if (d == '\\' && at_ + 1 < text_.size()) {
        word.text.append(text_, at_, 2);  // (nginx keeps a regex's "\." as written)
        at_ += 2;
      } else if (d == '$' && at_ + 1 < text_.size() && text_[at_ + 1] == '{') {
        const std::size_t close = text_.find('}', at_);
        if (close == std::string::npos) throw ImportError(here(), "a ${ variable that is never closed");
        word.text.append(text_, at_, close - at_ + 1);
        at_ = close + 1;
      } else {
        word.text += d;
        ++at_;
      }
    }
    return true;
  }
  SourcePlace here() const { return {file_.name, line_, column()}; }

private:
  int column() const { return static_cast<int>(at_ - line_start_) + 1; }
  void advance_line() {
    ++line_;
    line_start_ = at_ + 1;
  }
  void skip_space_and_comments() {
    while (at_ < text_.size()) {
      const char c = text_[at_];
      if (c == '\n') {
        advance_line();
        ++at_;
      } else if (std::isspace(static_cast<unsigned char>(c))) {
        ++at_;
      } else if (c == '#') {
        while (at_ < text_.size() && text_[at_] != '\n') ++at_;
      } else {
        break;
      }
    }
  }
  void quoted(std::string& out, char quote) {
    const SourcePlace start = here();
    ++at_;
    while (at_ < text_.size() && text_[at_] != quote) {
      if (text_[at_] == '\\' && at_ + 1 < text_.size()) ++at_;
      if (text_[at_] == '\n') advance_line();
      out += text_[at_++];
    }
    if (at_ >= text_.size()) throw ImportError(start, fmt::format("a {} quote that is never closed", quote));
    ++at_;
  }

  const InputFile& file_;
  const std::string& text_;
  std::size_t at_ = 0, line_start_ = 0;
  int line_ = 1;
};

std::vector<NginxDirective> parse_block(Tokens& tokens, const InputFile& file, bool top, const SourcePlace& opened) {
  std::vector<NginxDirective> out;
  NginxDirective current;
  ConfigWord word;
  int line = 0;
  bool special = false;
  while (tokens.next(word, line, special)) {
    if (!special) {
      if (current.words.empty()) current.at = {file.name, line, 0};
      current.words.push_back(word);
      continue;
    }
    if (word.text == "}") {
      if (top) throw ImportError({file.name, line, word.column}, "a '}' that closes no block");
      if (!current.words.empty()) throw ImportError({file.name, line, word.column}, fmt::format("'{}': expected ';' before '}}'", current.words[0].text));
      return out;
    }
    if (current.words.empty()) throw ImportError({file.name, line, word.column}, fmt::format("'{}' without a directive before it", word.text));
    if (word.text == "{") {
      current.has_block = true;
      current.block = parse_block(tokens, file, false, {file.name, line, word.column});
    }
    out.push_back(std::move(current));
    current = {};
  }
  if (!current.words.empty()) throw ImportError(tokens.here(), fmt::format("'{}': expected ';' at the end of the directive", current.words[0].text));
  if (!top) throw ImportError(opened, "a '{' that is never closed");
  return out;
}

// ---- values ------------------------------------------------------------------------

// An nginx time ("30s", "1m", "500ms"; no unit: seconds).
std::optional<double> nginx_seconds(std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || value < 0) return std::nullopt;
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  static const std::map<std::string_view, double> kUnits{{"", 1}, {"ms", 1e-3}, {"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}};
  const auto found = kUnits.find(unit);
  if (found == kUnits.end()) return std::nullopt;
  return value * found->second;
}




// "key=value" among a directive's words.
std::optional<std::string> option(const NginxDirective& d, std::string_view key) {
  for (std::size_t i = 1; i < d.words.size(); ++i)
    if (d.words[i].text.starts_with(std::string(key) + "=")) return d.words[i].text.substr(key.size() + 1);
  return std::nullopt;
}

// ---- the importer ------------------------------------------------------------------

struct Location {
  const NginxDirective* d = nullptr;
  std::string modifier;  // "=", "^~", "~", "~*", or empty (a prefix)
  std::string path;
};

class NginxImport {
public:
  NginxImport(const std::vector<InputFile>& files, ImportReport& report, const IncludeReader& include) : report_(report), include_(include) {
    for (const InputFile& file : files) {
      auto directives = nginx_directives(file);
      expand_includes(directives, file.name, 0);
      for (auto& d : directives) top_.push_back(std::move(d));
    }
    if (!files.empty()) source_ = files.front().name;
  }

  Draft run() {
    const NginxDirective* http = nullptr;
    for (const NginxDirective& d : top_) {
      if (d.words[0].text == "http" && d.has_block && http == nullptr) http = &d;
      else if (d.words[0].text == "worker_processes" && d.words.size() > 1) {
        if (const auto n = whole_number(d.words[1].text)) {
          draft_.l7.push_back({"cpu", YAML::Load(fmt::format("{{ cores: {} }}", std::clamp<long>(*n, 1, 64))), where(d), d.at, d.joined()});
          mapped(d, "l7.cpu.cores");
        } else {
          approximated(d, "worker_processes auto: lbsim's default cores");
        }
      } else {
        dropped_tree(d, "process management: no bearing on the modelled traffic");
      }
    }
    if (http == nullptr) throw ImportError({source_, 1, 1}, "no http { } block: nothing lbsim can model (expected nginx's http context)");
    mapped(*http, "(the HTTP context)");
    for (const NginxDirective& d : http->block)
      if (d.words[0].text == "upstream" && d.has_block) upstream(d);
    for (const NginxDirective& d : http->block)
      if (d.words[0].text == "limit_req_zone") limit_zone(d);
    choose_servers(*http);
    tier_keys();
    if (draft_.groups.empty())
      throw ImportError(http->at, "no upstream a location proxies to: nothing lbsim can model (expected an upstream block and a proxy_pass to it)");
    for (const NginxDirective& d : http->block) sweep(d, "not a directive lbsim imports");
    draft_.name = "imported-" + group_name(std::filesystem::path(source_).stem().string());
    draft_.description = fmt::format("Imported from {} by `lbsim import nginx`: {} rules and {} target groups. Read the comments and the import "
                                     "report: traffic, service times and zones are not in a proxy's configuration.",
                                     std::filesystem::path(source_).filename().string(), draft_.rules.size(), draft_.groups.size());
    draft_.preface = {fmt::format("Imported from {} by `lbsim import nginx`.", std::filesystem::path(source_).filename().string()),
                      "Each item's comment names the line it came from; `lbsim import` printed what it approximated and dropped."};
    draft_.clients_comment = {"Not in a proxy's configuration: 100 requests/s, one request written for each rule",
                              "(`lbsim route --samples`). Replace with your traffic: `lbsim import traffic`."};
    return std::move(draft_);
  }

private:
  // ---- reporting: one verdict per directive, the first given ----
  void note(Verdict verdict, const NginxDirective& d, const std::string& text) {
    if (!reported_.insert(&d).second) return;
    if (verdict == Verdict::mapped) report_.mapped(d.at, d.joined(), text);
    else if (verdict == Verdict::approximated) report_.approximated(d.at, d.joined(), text);
    else report_.dropped(d.at, d.joined(), text);
  }
  void mapped(const NginxDirective& d, const std::string& t) { note(Verdict::mapped, d, t); }
  void approximated(const NginxDirective& d, const std::string& t) { note(Verdict::approximated, d, t); }
  void dropped(const NginxDirective& d, const std::string& t) { note(Verdict::dropped, d, t); }
  void dropped_tree(const NginxDirective& d, const std::string& why) {
    dropped(d, why);
    for (const NginxDirective& inner : d.block) dropped_tree(inner, "inside a block lbsim does not import");
  }
  // Every directive no mapping spoke for, with what lbsim makes of its kind.
  void sweep(const NginxDirective& d, const std::string& why) {
    const std::string& k = d.words[0].text;
    if (k.starts_with("ssl_") || k == "http2") note(Verdict::approximated, d, "TLS settings: lbsim's L7 tier takes the clients' TLS version");
    else if (k == "access_log" || k == "error_log" || k == "log_format") note(Verdict::dropped, d, "logging: not part of the model");
    else if (k.starts_with("proxy_set_header") || k == "add_header" || k == "proxy_hide_header") note(Verdict::dropped, d, "header edits: not modelled");
    else if (k == "include" || k == "default_type" || k == "sendfile" || k == "tcp_nopush" || k == "types" || k == "server_tokens")
      note(Verdict::dropped, d, "serving files and defaults: not part of the proxied traffic");
    else if (k.starts_with("keepalive_") || k.starts_with("client_") || k == "send_timeout")
      note(Verdict::dropped, d, "a client-side limit or timeout: lbsim's clients keep their own");
    else note(Verdict::dropped, d, why);
    for (const NginxDirective& inner : d.block) sweep(inner, "not a directive lbsim imports");
  }
  std::string where(const NginxDirective& d) const { return d.at.to_string() + ": " + d.joined(); }

  void expand_includes(std::vector<NginxDirective>& directives, const std::string& from, int depth) {
    for (std::size_t i = 0; i < directives.size(); ++i) {
      NginxDirective& d = directives[i];
      if (d.has_block) {
        expand_includes(d.block, from, depth);
        continue;
      }
      if (d.words[0].text != "include" || d.words.size() != 2) continue;
      if (depth >= kMaxIncludeDepth) throw ImportError(d.at, "includes nested more than 8 deep (an include loop?)");
      if (!include_) {
        dropped(d, "includes are not read here");
        continue;
      }
      std::vector<NginxDirective> inserted;
      for (const InputFile& file : include_(d.words[1].text, from)) {
        included_.push_back(std::make_unique<InputFile>(file));
        auto inner = nginx_directives(*included_.back());
        expand_includes(inner, file.name, depth + 1);
        for (auto& x : inner) inserted.push_back(std::move(x));
      }
      report_.mapped(d.at, d.joined(), fmt::format("{} directives read from it", inserted.size()));
      directives.erase(directives.begin() + static_cast<std::ptrdiff_t>(i));
      directives.insert(directives.begin() + static_cast<std::ptrdiff_t>(i), std::make_move_iterator(inserted.begin()), std::make_move_iterator(inserted.end()));
      i += inserted.size();
      --i;
    }
  }

  // ---- upstreams ----
  void upstream(const NginxDirective& u) {
    if (u.words.size() < 2) throw ImportError(u.at, "'upstream': expected a name");
    DraftGroup group;
    group.name = group_name(u.words[1].text);
    while (std::any_of(draft_.groups.begin(), draft_.groups.end(), [&](const DraftGroup& g) { return g.name == group.name; })) group.name += "-2";
    group.comment = where(u);
    mapped(u, "target_groups." + group.name);
    long servers = 0;
    std::vector<long> weights;
    std::optional<long> max_fails;
    std::optional<double> fail_timeout;
    for (const NginxDirective& d : u.block) {
      const std::string& k = d.words[0].text;
      if (k == "server") {
        if (d.words.size() < 2) throw ImportError(d.at, "'server': expected an address");
        if (std::any_of(d.words.begin(), d.words.end(), [](const ConfigWord& w) { return w.text == "backup" || w.text == "down"; })) {
          dropped(d, "a backup or down server: lbsim's groups have no standby targets");
          continue;
        }
        ++servers;
        weights.push_back(option(d, "weight") ? whole_number(*option(d, "weight")).value_or(1) : 1);
        if (const auto f = option(d, "max_fails")) max_fails = whole_number(*f);
        if (const auto t = option(d, "fail_timeout")) fail_timeout = nginx_seconds(*t);
        mapped(d, fmt::format("target_groups.{}.per_zone (one target)", group.name));
      } else if (k == "least_conn" || k == "ip_hash" || k == "hash" || k == "random") {
        balance_.push_back({group.name, &d});
      } else if (k == "keepalive" && d.words.size() > 1 && whole_number(d.words[1].text)) {
        keepalive_ = &d;
      } else {
        sweep(d, "not a directive lbsim imports for a target group");
      }
    }
    if (servers == 0) report_.approximated(u.at, u.joined(), "no active server: one target stands in");
    group.items.push_back({"per_zone", YAML::Node(std::max(servers, 1L)), fmt::format("{} server(s)", servers)});
    bool clamped = false;
    if (const auto w = server_weights(group.name, weights, clamped)) {
      group.items.push_back({"weights", *w, "the servers' weight=, in order", u.at, u.joined()});
      weighted_ = true;
      if (clamped) report_.approximated(u.at, u.joined(), "server weights beyond 256 are clamped to lbsim's 1..256");
    }
    group.items.push_back({"service_time", YAML::Load("{ dist: exponential, mean: 10ms }"), "not in a proxy's configuration: measure it (lbsim import traffic)"});
    report_.approximated(u.at, u.joined(), "nginx open source checks nothing actively; lbsim's L7 tier checks with ALB's defaults (30 s)");
    if (max_fails.value_or(1) > 0 && !outlier_) {
      // nginx's passive checks: max_fails failures in fail_timeout take a server out for fail_timeout.
      YAML::Node outlier;
      outlier["consecutive_5xx"] = std::clamp(max_fails.value_or(1), 1L, 1000L);
      outlier["base_ejection_time"] = duration_text(fail_timeout.value_or(10.0));
      outlier["max_ejection_percent"] = "100%";
      outlier["always_eject_one"] = true;
      draft_.l7.push_back({"outlier_detection", outlier, "nginx's max_fails / fail_timeout (defaults 1 and 10 s)"});
      outlier_ = true;
    }
    groups_[u.words[1].text] = group.name;
    draft_.groups.push_back(std::move(group));
  }

  void limit_zone(const NginxDirective& d) {
    const auto zone = option(d, "zone");
    const auto rate = option(d, "rate");
    if (!zone || !rate || d.words.size() < 2) {
      dropped(d, "a limit_req_zone without zone= and rate=");
      return;
    }
    const std::string name = zone->substr(0, zone->find(':'));
    std::string per = *rate;
    std::string lbsim_rate;
    if (per.ends_with("r/s")) lbsim_rate = per.substr(0, per.size() - 3) + "/s";
    else if (per.ends_with("r/m")) lbsim_rate = per.substr(0, per.size() - 3) + "/min";
    if (lbsim_rate.empty() || (d.words[1].text != "$binary_remote_addr" && d.words[1].text != "$remote_addr")) {
      dropped(d, "a rate limit keyed on other than the client's address, or a rate other than r/s or r/m");
      return;
    }
    zones_[name] = {&d, lbsim_rate};
  }

  // ---- servers and locations ----
  void choose_servers(const NginxDirective& http) {
    // One listener: 443 (TLS) if a server listens there, else the first port seen.
    std::vector<const NginxDirective*> servers;
    for (const NginxDirective& d : http.block)
      if (d.words[0].text == "server" && d.has_block) servers.push_back(&d);
    std::string port;
    for (const NginxDirective* s : servers)
      for (const NginxDirective& d : s->block)
        if (d.words[0].text == "listen" && d.words.size() > 1) {
          const std::string p = d.words[1].text.substr(d.words[1].text.rfind(':') + 1);
          const bool tls = std::any_of(d.words.begin(), d.words.end(), [](const ConfigWord& w) { return w.text == "ssl"; });
          if (port.empty() || (tls && !tls_)) {
            port = p;
            tls_ = tls;
          }
        }
    if (port.empty()) port = "80";
    std::vector<const NginxDirective*> chosen;
    for (const NginxDirective* s : servers) {
      const bool listens = std::any_of(s->block.begin(), s->block.end(), [&](const NginxDirective& d) {
        return d.words[0].text == "listen" && d.words.size() > 1 && d.words[1].text.substr(d.words[1].text.rfind(':') + 1) == port;
      });
      const bool no_listen = std::none_of(s->block.begin(), s->block.end(), [](const NginxDirective& d) { return d.words[0].text == "listen"; });
      if (listens || (no_listen && port == "80")) chosen.push_back(s);
      else dropped_tree(*s, fmt::format("a server on another port: lbsim models one listener (port {})", port));
    }
    if (tls_) {
      draft_.client_tls_version = "1.3";
      draft_.l7.push_back({"tls", YAML::Load("{ key: ecdsa-p256 }"), "listen ... ssl"});
    }
    // Named servers first (each request's Host picks its server), the default server last.
    const NginxDirective* default_server = chosen.empty() ? nullptr : chosen.front();
    for (const NginxDirective* s : chosen)
      for (const NginxDirective& d : s->block)
        if (d.words[0].text == "listen" && std::any_of(d.words.begin(), d.words.end(), [](const ConfigWord& w) { return w.text == "default_server"; }))
          default_server = s;
    for (const NginxDirective* s : chosen)
      if (s != default_server) server(*s, false);
    if (default_server != nullptr) server(*default_server, true);
    if (draft_.rules.empty() || !draft_.rules.back().items.front().key.starts_with("default")) {
      DraftRule rule;
      rule.comment = "no location / in the default server: nginx answers 404";
      rule.items = {{"default", YAML::Node(true), ""}, {"fixed_response", YAML::Load("{ status: 404 }"), ""}};
      draft_.rules.push_back(std::move(rule));
    }
  }

  void server(const NginxDirective& s, bool is_default) {
    mapped(s, is_default ? "the default server: requests no other server_name takes" : "a named server: its names are each rule's host");
    std::vector<std::string> hosts;
    std::vector<Location> locations;
    const NginxDirective* server_return = nullptr;
    for (const NginxDirective& d : s.block) {
      const std::string& k = d.words[0].text;
      if (k == "listen") {
        if (tls_) approximated(d, "TLS terminated at the L7 tier (ECDSA P-256 assumed: the certificate is not read); clients on TLS 1.3");
        else mapped(d, "the L7 tier's listener");
      } else if (k == "server_name") {
        for (std::size_t i = 1; i < d.words.size(); ++i) {
          const std::string& name = d.words[i].text;
          if (name.starts_with('~')) approximated(d, "a regex server name: lbsim's hosts are globs (left out)");
          else if (name != "_" && !name.empty()) hosts.push_back(name.starts_with('.') ? "*" + name : name);
        }
        mapped(d, "l7.rules[].if.host");
      } else if (k == "location" && d.has_block) {
        Location l{&d, "", ""};
        if (d.words.size() == 3) {
          l.modifier = d.words[1].text;
          l.path = d.words[2].text;
        } else if (d.words.size() == 2) {
          l.path = d.words[1].text;
        } else {
          throw ImportError(d.at, "'location': expected [modifier] path");
        }
        locations.push_back(l);
      } else if (k == "return") {
        server_return = &d;
      } else {
        server_keys(d);
      }
    }
    if (is_default || hosts.empty()) hosts = {""};
    // nginx's order: exact matches, then prefixes longest first; regexes cannot be held.
    const bool regexes = std::any_of(locations.begin(), locations.end(), [](const Location& l) { return l.modifier == "~" || l.modifier == "~*"; });
    std::stable_sort(locations.begin(), locations.end(), [](const Location& a, const Location& b) {
      const int ra = a.modifier == "=" ? 0 : 1, rb = b.modifier == "=" ? 0 : 1;
      if (ra != rb) return ra < rb;
      return a.path.size() > b.path.size();
    });
    for (const Location& l : locations) {
      if (l.modifier == "~" || l.modifier == "~*") {
        dropped_tree(*l.d, "a regex location: lbsim's rules match paths by globs");
        continue;
      }
      if (!l.modifier.empty() && l.modifier != "=" && l.modifier != "^~") throw ImportError(l.d->at, fmt::format("'location {}': expected =, ^~, ~ or ~*", l.modifier));
      location(l, hosts, is_default, regexes);
    }
    if (server_return != nullptr) location_action(*server_return, {nullptr, "", "/"}, hosts, is_default, "", nullptr);
  }

  // proxy_read_timeout, proxy_next_upstream and friends, where they are set.
  void server_keys(const NginxDirective& d) {
    const std::string& k = d.words[0].text;
    if (k == "proxy_read_timeout" && d.words.size() > 1 && nginx_seconds(d.words[1].text)) {
      if (!upstream_timeout_) {
        draft_.l7.push_back({"upstream_timeout", YAML::Node(duration_text(*nginx_seconds(d.words[1].text))), where(d), d.at, d.joined()});
        upstream_timeout_ = true;
        mapped(d, "l7.upstream_timeout");
      } else {
        approximated(d, "lbsim's upstream timeout is the tier's: the first one set is taken");
      }
    } else if (k == "proxy_connect_timeout") {
      approximated(d, "lbsim's L7 tier waits for a connection as long as for an answer (l7.upstream_timeout, at most 10 s)");
    } else if (k == "proxy_next_upstream" || k == "proxy_next_upstream_tries") {
      retries_lines_.push_back(&d);
    } else if (k == "limit_req") {
      limit(d);
    }
  }

  void limit(const NginxDirective& d) {
    const auto zone = option(d, "zone");
    if (!zone || !zones_.count(*zone)) {
      dropped(d, "limit_req without a limit_req_zone lbsim imported");
      return;
    }
    if (rate_limited_) {
      approximated(d, "lbsim's rate limit is the tier's, for every request: the first one is it");
      return;
    }
    YAML::Node limit;
    limit["key"] = "source_ip";
    limit["rate"] = zones_[*zone].second;
    limit["burst"] = whole_number(option(d, "burst").value_or("0")).value_or(0);
    draft_.l7.push_back({"rate_limit", limit, where(d), d.at, d.joined()});
    approximated(d, "l7.rate_limit, for every request (nginx's applies where the location says; nodelay or not, an excess request is refused with 429)");
    mapped(*zones_[*zone].first, "l7.rate_limit");
    rate_limited_ = true;
  }

  void location(const Location& l, const std::vector<std::string>& hosts, bool is_default, bool regexes) {
    const NginxDirective* action = nullptr;
    const NginxDirective* rewrite = nullptr;
    for (const NginxDirective& d : l.d->block) {
      const std::string& k = d.words[0].text;
      if (k == "proxy_pass" || k == "return") {
        if (action == nullptr) action = &d;
      } else if (k == "rewrite") {
        rewrite = &d;
      } else if (k == "location") {
        dropped_tree(d, "a nested location: not imported");
      } else {
        server_keys(d);
      }
    }
    if (action == nullptr) {
      dropped(*l.d, "a location that neither proxies nor returns (it serves files): nothing lbsim models");
      return;
    }
    const std::string approximation = regexes && l.modifier.empty() ? "a regex location of this server could take some of these requests in nginx (regexes are dropped)" : "";
    location_action(*action, l, hosts, is_default, approximation, rewrite);
  }

  // The rules one location (or a server-level return) becomes: one per host name.
  void location_action(const NginxDirective& a, const Location& l, const std::vector<std::string>& hosts, bool is_default, std::string approximation,
                       const NginxDirective* rewrite) {
    DraftItem action{"", YAML::Node(), ""};
    std::optional<DraftItem> rewrite_item;
    const std::string& k = a.words[0].text;
    if (k == "proxy_pass") {
      if (a.words.size() < 2) throw ImportError(a.at, "'proxy_pass': expected a URL");
      std::string url = a.words[1].text;
      const std::size_t scheme = url.find("://");
      if (scheme != std::string::npos) url = url.substr(scheme + 3);
      const std::size_t slash = url.find('/');
      const std::string upstream = url.substr(0, slash);
      if (!groups_.count(upstream)) {
        dropped(*(l.d != nullptr ? l.d : &a), fmt::format("proxy_pass to '{}', not an upstream lbsim imported", upstream));
        return;
      }
      action = {"forward", YAML::Node(groups_.at(upstream)), ""};
      if (slash != std::string::npos && !l.path.empty() && l.modifier != "=") {
        // proxy_pass with a URI: the location's prefix becomes the URI.
        YAML::Node rw;
        rw["path"]["regex"] = "^" + regex_escaped(l.path);
        rw["path"]["replacement"] = url.substr(slash);
        rewrite_item = DraftItem{"rewrite", rw, ""};
      }
      if (rewrite != nullptr && rewrite->words.size() >= 3) {
        YAML::Node rw;
        rw["path"]["regex"] = rewrite->words[1].text;
        rw["path"]["replacement"] = rewrite->words[2].text;
        rewrite_item = DraftItem{"rewrite", rw, ""};
        approximated(*rewrite, "l7.rules[].rewrite (nginx's PCRE read as RE2; its flag ignored)");
      }
    } else {
      const auto code = a.words.size() > 1 ? whole_number(a.words[1].text) : std::nullopt;
      if (!code) throw ImportError(a.at, "'return': expected a status code");
      if (*code >= 301 && *code <= 308 && *code != 304 && a.words.size() > 2) {
        YAML::Node to;
        to["status"] = *code == 303 ? 302L : *code;
        std::string url = a.words[2].text;
        const std::size_t scheme = url.find("://");
        if (scheme != std::string::npos) {
          to["protocol"] = url.substr(0, scheme);
          url = url.substr(scheme + 3);
          const std::size_t slash = url.find('/');
          const std::string host = url.substr(0, slash);
          if (host != "$host" && host != "$server_name" && host != "$http_host") to["host"] = host;
          url = slash == std::string::npos ? "" : url.substr(slash);
        }
        if (!url.empty() && url != "$request_uri" && url.find('$') == std::string::npos) to["path"] = url.substr(0, url.find('?'));
        if (url.find('$') != std::string::npos && url != "$request_uri") approximation = "variables in the redirect's target are taken as the request's own";
        action = {"redirect", to, ""};
      } else {
        YAML::Node answer;
        answer["status"] = std::clamp(*code, 200L, 599L);
        if (a.words.size() > 2) answer["body"] = fmt::format("{}B", a.words[2].text.size());
        action = {"fixed_response", answer, ""};
      }
    }
    const bool catch_all = l.modifier.empty() && l.path == "/" && hosts.size() == 1 && hosts[0].empty() && is_default;
    if (catch_all) {
      DraftRule rule;
      rule.comment = where(l.d != nullptr ? *l.d : a);
      rule.at = (l.d != nullptr ? *l.d : a).at;
      rule.directive = (l.d != nullptr ? *l.d : a).joined();
      rule.items = {{"default", YAML::Node(true), ""}, action};
      draft_.rules.push_back(std::move(rule));
    } else {
      for (const std::string& host : hosts) {
        YAML::Node when(YAML::NodeType::Map);
        if (!host.empty()) when["host"] = host;
        if (l.modifier == "=") when["path"]["exact"] = l.path;
        else if (l.path != "/" && !l.path.empty()) when["path"]["prefix"] = l.path;
        if (when.size() == 0) when["path"] = "/*";
        DraftRule rule;
        const NginxDirective& from = l.d != nullptr ? *l.d : a;
        rule.comment = where(from);
        rule.at = from.at;
        rule.directive = from.joined();
        rule.items = {{"priority", YAML::Node(priority_ += 10), ""}, {"if", when, ""}, action};
        if (rewrite_item) rule.items.push_back(*rewrite_item);
        draft_.rules.push_back(std::move(rule));
      }
    }
    const NginxDirective& reported = l.d != nullptr ? *l.d : a;
    const std::string to = catch_all ? "the default rule" : fmt::format("l7.rules[] ({} per host)", hosts.size() > 1 ? "one" : "one rule");
    if (!approximation.empty()) approximated(reported, approximation);
    else mapped(reported, to);
    mapped(a, "the rule's action");
  }

  // After the servers: the tier's algorithm, keepalive and retries.
  void tier_keys() {
    // The algorithm: the first upstream's that says one (nginx's default: round robin).
    std::string algorithm = "round_robin";
    const NginxDirective* chosen = nullptr;
    for (const auto& [group, d] : balance_) {
      const std::string& k = d->words[0].text;
      std::string name = "round_robin";
      if (k == "least_conn") name = "least_connections";
      else if (k == "ip_hash") name = "source_ip_hash";
      else if (k == "hash") name = "ring_hash";
      else if (k == "random") name = std::any_of(d->words.begin(), d->words.end(), [](const ConfigWord& w) { return w.text == "two"; }) ? "least_request" : "random";
      if (chosen == nullptr) {
        chosen = d;
        algorithm = name;
        if (k == "hash") approximated(*d, "ring_hash, which hashes the client's flow, not " + (d->words.size() > 1 ? d->words[1].text : std::string("its key")));
        else mapped(*d, "l7.algorithm: " + name);
      } else if (name != algorithm) {
        approximated(*d, "lbsim's L7 tier picks with one algorithm for every group: the first upstream's that names one");
      } else {
        mapped(*d, "l7.algorithm: " + name);
      }
    }
    // nginx's round robin is smooth weighted round robin; lbsim's plain one ignores weights.
    if (weighted_ && algorithm == "round_robin") algorithm = "smooth_weighted_round_robin";
    draft_.l7.insert(draft_.l7.begin(), DraftItem{"algorithm", YAML::Node(algorithm), chosen != nullptr ? where(*chosen) : weighted_ ? "nginx's default: smooth weighted round robin" : "nginx's default: round robin"});
    if (algorithm == "least_request") draft_.l7.insert(draft_.l7.begin() + 1, DraftItem{"choices", YAML::Node(2), "random two"});
    if (keepalive_ != nullptr) {
      draft_.l7.push_back({"backend_connections", YAML::Node(*whole_number(keepalive_->words[1].text)), where(*keepalive_), keepalive_->at, keepalive_->joined()});
      approximated(*keepalive_, "l7.backend_connections: nginx keeps that many idle connections per worker; lbsim that many per backend");
    }
    // Retries: proxy_next_upstream's conditions, proxy_next_upstream_tries less the first.
    std::set<std::string> on;
    long tries = 0;
    for (const NginxDirective* d : retries_lines_) {
      if (d->words[0].text == "proxy_next_upstream_tries" && d->words.size() > 1) tries = whole_number(d->words[1].text).value_or(0);
      else
        for (std::size_t i = 1; i < d->words.size(); ++i) {
          const std::string& w = d->words[i].text;
          if (w == "error") on.insert("reset");
          else if (w == "timeout") on.insert("timeout");
          else if (w.starts_with("http_5")) on.insert("5xx");
        }
    }
    if (!retries_lines_.empty()) {
      YAML::Node retries;
      retries["max"] = std::clamp(tries > 0 ? tries - 1 : 1L, 0L, 10L);
      for (const std::string& o : on) retries["on"].push_back(o);
      if (on.empty()) retries["on"].push_back("reset");
      draft_.l7.push_back({"retries", retries, "proxy_next_upstream"});
      for (const NginxDirective* d : retries_lines_) approximated(*d, "l7.retries, for every request (nginx's apply where they are set); tries without a limit: one retry");
    }
  }

  ImportReport& report_;
  IncludeReader include_;
  std::vector<std::unique_ptr<InputFile>> included_;
  std::vector<NginxDirective> top_;
  std::string source_;
  Draft draft_;
  std::set<const NginxDirective*> reported_;
  std::map<std::string, std::string> groups_;  // upstream name -> group
  std::vector<std::pair<std::string, const NginxDirective*>> balance_;  // in the file's order
  std::map<std::string, std::pair<const NginxDirective*, std::string>> zones_;
  std::vector<const NginxDirective*> retries_lines_;
  const NginxDirective* keepalive_ = nullptr;
  bool tls_ = false, outlier_ = false, upstream_timeout_ = false, rate_limited_ = false;
  bool weighted_ = false;  // some upstream's servers weigh unequally
  int priority_ = 0;
};

}  // namespace

std::string NginxDirective::joined() const {
  std::string out;
  for (const ConfigWord& w : words) out += (out.empty() ? "" : " ") + w.text;
  return out + (has_block ? " { ... }" : ";");
}

std::vector<NginxDirective> nginx_directives(const InputFile& file) {
  Tokens tokens(file);
  return parse_block(tokens, file, true, {file.name, 1, 1});
}

Draft import_nginx(const std::vector<InputFile>& files, ImportReport& report, const IncludeReader& include) {
  return NginxImport(files, report, include).run();
}

}  // namespace lbsim::importing
