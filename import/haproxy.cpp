// SPDX-License-Identifier: GPL-3.0-or-later
#include "import/haproxy.hpp"

#include "import/values.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

namespace lbsim::importing {
namespace {

constexpr std::size_t kMaxLineBytes = 65536;
constexpr std::size_t kMaxRulesPerLine = 64;  // a line's conditions expanded into rules

// ---- sections ----------------------------------------------------------------------

enum class Kind { global, defaults, frontend, backend, listen, other };

struct Section {
  Kind kind = Kind::other;
  std::string name;
  ConfigLine header;
  std::vector<ConfigLine> lines;
  const Section* defaults = nullptr;  // the defaults section it inherits from
};

std::optional<Kind> section_kind(std::string_view word) {
  static const std::map<std::string_view, Kind> kKinds{
      {"global", Kind::global},   {"defaults", Kind::defaults}, {"frontend", Kind::frontend}, {"backend", Kind::backend},
      {"listen", Kind::listen},   {"userlist", Kind::other},    {"peers", Kind::other},       {"resolvers", Kind::other},
      {"mailers", Kind::other},   {"program", Kind::other},     {"http-errors", Kind::other}, {"ring", Kind::other},
      {"cache", Kind::other},     {"fcgi-app", Kind::other},    {"crt-store", Kind::other}};
  const auto found = kKinds.find(word);
  if (found == kKinds.end()) return std::nullopt;
  return found->second;
}

std::vector<Section> read_sections(const std::vector<InputFile>& files) {
  std::vector<Section> sections;
  for (const InputFile& file : files) {
    bool in_section = false;
    for (ConfigLine& line : haproxy_lines(file)) {
      if (line.words.empty()) continue;
      if (const auto kind = section_kind(line.words[0].text)) {
        Section s;
        s.kind = *kind;
        s.name = line.words.size() > 1 && line.words[1].text != "from" ? line.words[1].text : "";
        if ((*kind == Kind::frontend || *kind == Kind::backend || *kind == Kind::listen) && s.name.empty())
          throw ImportError({line.at.file, line.at.line, line.words[0].column}, fmt::format("'{}': expected a name after it", line.words[0].text));
        s.header = std::move(line);
        sections.push_back(std::move(s));
        in_section = true;
        continue;
      }
      if (!in_section)
        throw ImportError({line.at.file, line.at.line, line.words[0].column},
                          fmt::format("'{}' outside any section: expected global, defaults, frontend, backend or listen first", line.words[0].text));
      sections.back().lines.push_back(std::move(line));
    }
  }
  // Each proxy takes the defaults section before it (or the one named with `from`).
  const Section* last_defaults = nullptr;
  std::map<std::string, const Section*> named;
  for (Section& s : sections) {
    if (s.kind == Kind::defaults) {
      last_defaults = &s;
      if (!s.name.empty()) named[s.name] = &s;
      continue;
    }
    s.defaults = last_defaults;
    const auto& w = s.header.words;
    for (std::size_t i = 1; i + 1 < w.size(); ++i)
      if (w[i].text == "from") {
        const auto found = named.find(w[i + 1].text);
        if (found == named.end())
          throw ImportError({s.header.at.file, s.header.at.line, w[i + 1].column}, fmt::format("'from {}': no defaults section of that name before it", w[i + 1].text));
        s.defaults = found->second;
      }
  }
  return sections;
}

// ---- values ------------------------------------------------------------------------

// An HAProxy time ("30s", "500", "1m"; no unit: milliseconds) in seconds.
std::optional<double> haproxy_seconds(std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || value < 0) return std::nullopt;
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  static const std::map<std::string_view, double> kUnits{{"", 1e-3}, {"us", 1e-6}, {"ms", 1e-3}, {"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}};
  const auto found = kUnits.find(unit);
  if (found == kUnits.end()) return std::nullopt;
  return value * found->second;
}




// ---- conditions --------------------------------------------------------------------

// One condition lbsim's rules can hold.
struct Condition {
  std::string field;  // host, path, method, header, cookie, query, source_ip
  std::string name;   // header, cookie and query: which one
  YAML::Node value;
};

// An ACL: any of these (HAProxy's values are alternatives), or why it cannot be one.
struct Acl {
  std::vector<Condition> any;
  std::string unsupported;  // why lbsim cannot hold it; empty if it can
  std::string approximated;  // how it was bent to fit, if it was
};

bool has_glob_char(std::string_view value) { return value.find_first_of("*?") != std::string_view::npos; }

// The argument of a fetch like "hdr(host)": "host"; empty when there is none.
std::string argument_of(std::string_view fetch) {
  const std::size_t open = fetch.find('('), close = fetch.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return {};
  return std::string(fetch.substr(open + 1, close - open - 1));
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// A pattern of HAProxy's match method `how` (str, beg, end, sub, found) as an lbsim glob.
std::optional<std::string> as_glob(std::string_view how, const std::string& value) {
  if (how == "str") return value;
  if (how == "beg") return value + "*";
  if (how == "end") return "*" + value;
  if (how == "sub") return "*" + value + "*";
  return std::nullopt;
}

// `acl NAME CRITERION [flags] VALUE...`, or an anonymous ACL's words (CRITERION first).
Acl read_acl(const std::vector<ConfigWord>& words, std::size_t first) {
  Acl acl;
  if (first >= words.size()) {
    acl.unsupported = "an ACL without a criterion";
    return acl;
  }
  const std::string criterion = words[first].text;
  std::string how;
  bool case_insensitive = false;
  std::vector<std::string> values;
  for (std::size_t i = first + 1; i < words.size(); ++i) {
    const std::string& w = words[i].text;
    if (w == "-i") case_insensitive = true;
    else if (w == "-m" && i + 1 < words.size()) how = words[++i].text;
    else if (w == "-f" || w == "-M") {
      acl.unsupported = "patterns read from a file (-f) are not imported";
      return acl;
    } else if (w == "--") continue;
    else if (w.starts_with('-') && values.empty() && w.size() > 1 && !std::isdigit(static_cast<unsigned char>(w[1]))) continue;  // other flags
    else values.push_back(w);
  }
  // The fetch, and the match method its suffix implies (path_beg: beg).
  std::string fetch = criterion.substr(0, criterion.find('('));
  for (const auto& [suffix, method] : {std::pair{"_beg", "beg"}, {"_end", "end"}, {"_sub", "sub"}, {"_reg", "reg"}, {"_dir", "dir"}, {"_dom", "dom"}, {"_len", "len"}}) {
    if (fetch.ends_with(suffix)) {
      fetch.resize(fetch.size() - std::string_view(suffix).size());
      if (how.empty()) how = method;
    }
  }
  if (fetch.starts_with("req.")) fetch.erase(0, 4);
  if (how.empty()) how = "str";
  const std::string argument = argument_of(criterion);
  if (how == "reg" || how == "dir" || how == "dom" || how == "len" || how == "int" || (how == "ip" && fetch != "src")) {
    acl.unsupported = fmt::format("'-m {}' matching: lbsim's conditions are globs", how);
    return acl;
  }
  if (how == "found") {
    if (fetch != "hdr" && fetch != "cook" && fetch != "url_param" && fetch != "urlp") {
      acl.unsupported = fmt::format("'{}' -m found", criterion);
      return acl;
    }
    values = {"*"};
    how = "str";
  }
  if (values.empty()) {
    acl.unsupported = fmt::format("'{}' without a value to match", criterion);
    return acl;
  }
  if (!as_glob(how, "") && !(fetch == "src" && (how == "ip" || how == "str"))) {
    acl.unsupported = fmt::format("'-m {}': not a match method lbsim can hold (str, beg, end, sub, found)", how);
    return acl;
  }
  for (const std::string& value : values) {
    if (has_glob_char(value) && value != "*") acl.approximated = "a value with '*' or '?' reads as a glob in lbsim: it matches more";
    Condition c;
    if (fetch == "path" || (fetch == "url" && how == "beg")) {
      if (case_insensitive) acl.approximated = "lbsim matches paths case-sensitively (-i dropped)";
      if (how == "str") c.value["exact"] = value;
      else if (how == "beg") c.value["prefix"] = value;
      else c.value = "/" + *as_glob(how, value);  // (an lbsim path pattern starts with '/', as every path does)
      c.field = "path";
    } else if (fetch == "hdr" && lower(argument) == "host") {
      c.field = "host";
      c.value = *as_glob(how, lower(value));
    } else if (fetch == "hdr" && !argument.empty()) {
      c.field = "header";
      c.name = lower(argument);
      c.value = *as_glob(how, value);
    } else if (fetch == "method") {
      c.field = "method";
      if (how != "str") {
        acl.unsupported = "a method matched other than exactly";
        return acl;
      }
      c.value = value;
    } else if (fetch == "src") {
      c.field = "source_ip";
      c.value = value.find('/') == std::string::npos ? value + "/32" : value;
    } else if ((fetch == "cook") && !argument.empty()) {
      c.field = "cookie";
      c.name = argument;
      c.value = *as_glob(how, value);
    } else if ((fetch == "url_param" || fetch == "urlp") && !argument.empty()) {
      c.field = "query";
      c.name = argument;
      c.value = *as_glob(how, value);
    } else {
      acl.unsupported = fmt::format("'{}' is not a condition lbsim's rules have (host, path, method, header, cookie, query, source)", criterion);
      return acl;
    }
    acl.any.push_back(std::move(c));
  }
  return acl;
}

// HAProxy's predefined ACLs that lbsim can hold.
std::optional<Acl> predefined_acl(const std::string& name) {
  if (name == "TRUE") return Acl{{}, {}, {}};
  static const std::set<std::string> kMethods{"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "CONNECT", "TRACE"};
  if (name.starts_with("METH_") && kMethods.count(name.substr(5))) {
    Acl acl;
    acl.any.push_back({"method", "", YAML::Node(name.substr(5))});
    if (name == "METH_GET") {
      acl.any.push_back({"method", "", YAML::Node("HEAD")});  // HAProxy's METH_GET takes HEAD too
    }
    return acl;
  }
  return std::nullopt;
}

// A condition ("if a b || !c", "unless { path_beg /x }") as alternatives of conjunctions
// of ACLs, or why lbsim's rules cannot hold it.
struct Term {
  Acl acl;
  bool negated = false;
  std::string label;
};
struct Dnf {
  std::vector<std::vector<Term>> any;
  std::string unsupported;
};

Dnf read_condition(const std::vector<ConfigWord>& words, std::size_t at, const std::map<std::string, Acl>& acls) {
  Dnf dnf;
  if (at >= words.size()) {
    dnf.any.emplace_back();  // no condition: always
    return dnf;
  }
  const bool unless = words[at].text == "unless";
  if (!unless && words[at].text != "if") {
    dnf.unsupported = fmt::format("'{}' where 'if' or 'unless' was expected", words[at].text);
    return dnf;
  }
  dnf.any.emplace_back();
  for (std::size_t i = at + 1; i < words.size(); ++i) {
    std::string w = words[i].text;
    if (w == "||" || w == "or") {
      dnf.any.emplace_back();
      continue;
    }
    Term term;
    if (w.starts_with('!')) {
      term.negated = true;
      w.erase(0, 1);
      if (w.empty() && i + 1 < words.size()) w = words[++i].text;
    }
    if (w == "{") {
      std::size_t close = i + 1;
      while (close < words.size() && words[close].text != "}") ++close;
      if (close == words.size()) {
        dnf.unsupported = "an anonymous ACL without its closing '}'";
        return dnf;
      }
      std::vector<ConfigWord> inner(words.begin() + static_cast<std::ptrdiff_t>(i + 1), words.begin() + static_cast<std::ptrdiff_t>(close));
      term.acl = read_acl(inner, 0);
      std::string label;
      for (const auto& x : inner) label += (label.empty() ? "" : " ") + x.text;
      term.label = "{ " + label + " }";
      i = close;
    } else if (const auto known = acls.find(w); known != acls.end()) {
      term.acl = known->second;
      term.label = w;
    } else if (auto predefined = predefined_acl(w)) {
      term.acl = std::move(*predefined);
      term.label = w;
    } else {
      dnf.unsupported = fmt::format("ACL '{}' is not defined before it is used (or not one lbsim imports)", w);
      return dnf;
    }
    dnf.any.back().push_back(std::move(term));
  }
  if (unless) {
    // "unless a" is "if !a": one term only, then negated.
    if (dnf.any.size() != 1 || dnf.any[0].size() != 1) {
      dnf.unsupported = "'unless' with more than one ACL";
      return dnf;
    }
    dnf.any[0][0].negated = !dnf.any[0][0].negated;
  }
  return dnf;
}

// Merges a conjunction's chosen conditions into one rule's `if`: false when two of them
// put different patterns on one field (lbsim holds one pattern per field).
bool merge_into(YAML::Node& when, const Condition& c) {
  if (c.field == "header" || c.field == "cookie" || c.field == "query") {
    YAML::Node names = when[c.field];
    if (names[c.name] && flow(names[c.name]) != flow(c.value)) return false;
    names[c.name] = c.value;
    return true;
  }
  if (when[c.field] && flow(when[c.field]) != flow(c.value)) return false;
  when[c.field] = c.value;
  return true;
}

// The `if` mappings a condition expands to (HAProxy's alternatives become one rule each),
// or why it cannot be held.
struct Expansion {
  std::vector<YAML::Node> whens;  // empty mapping: no condition
  std::string unsupported;
  std::string approximated;
};

Expansion expand(const Dnf& dnf) {
  Expansion out;
  if (!dnf.unsupported.empty()) {
    out.unsupported = dnf.unsupported;
    return out;
  }
  for (const auto& conjunction : dnf.any) {
    std::vector<YAML::Node> partial{YAML::Node(YAML::NodeType::Map)};
    for (const Term& term : conjunction) {
      if (!term.acl.unsupported.empty()) {
        out.unsupported = fmt::format("{}: {}", term.label, term.acl.unsupported);
        return out;
      }
      if (term.negated) {
        out.unsupported = fmt::format("'!{}': lbsim's rules cannot say 'not'", term.label);
        return out;
      }
      if (!term.acl.approximated.empty()) out.approximated = fmt::format("{}: {}", term.label, term.acl.approximated);
      if (term.acl.any.empty()) continue;  // TRUE
      std::vector<YAML::Node> next;
      for (const YAML::Node& base : partial)
        for (const Condition& c : term.acl.any) {
          YAML::Node when = YAML::Clone(base);
          if (merge_into(when, c)) next.push_back(when);
          if (next.size() > kMaxRulesPerLine) {
            out.unsupported = fmt::format("its alternatives expand to more than {} rules", kMaxRulesPerLine);
            return out;
          }
        }
      if (next.empty()) {
        out.unsupported = "two patterns on one field in one rule (lbsim's rules hold one per field)";
        return out;
      }
      partial = std::move(next);
    }
    out.whens.insert(out.whens.end(), partial.begin(), partial.end());
  }
  return out;
}

// ---- the importer ------------------------------------------------------------------

// The settings a proxy section has, its own over its defaults'.
class Settings {
public:
  Settings(const Section& section) {
    if (section.defaults != nullptr) read(*section.defaults);
    read(section);
  }
  // The words after a directive's keyword(s), and where; nullptr if it is not set.
  const ConfigLine* find(const std::string& keyword) const {
    const auto found = lines_.find(keyword);
    return found == lines_.end() ? nullptr : found->second;
  }

private:
  void read(const Section& s) {
    for (const ConfigLine& line : s.lines) {
      const auto& w = line.words;
      if (w[0].text == "timeout" && w.size() > 1) lines_["timeout " + w[1].text] = &line;
      else if (w[0].text == "option" && w.size() > 1) lines_["option " + w[1].text] = &line;
      else if (w[0].text == "no" && w.size() > 2 && w[1].text == "option") lines_.erase("option " + w[2].text);
      else lines_[w[0].text] = &line;
    }
  }
  std::map<std::string, const ConfigLine*> lines_;
};

struct Server {
  const ConfigLine* line = nullptr;
  bool check = false, backup = false;
  std::optional<double> inter_s, slowstart_s;
  std::optional<long> rise, fall, weight, maxconn;
};

class HaproxyImport {
public:
  HaproxyImport(const std::vector<InputFile>& files, ImportReport& report) : report_(report), sections_(read_sections(files)) {
    if (!files.empty()) {
      source_name_ = std::filesystem::path(files.front().name).filename().string();
      source_name_path_ = files.front().name;
    }
  }

  Draft run() {
    draft_.name = "imported-" + group_name(std::filesystem::path(source_name_).stem().string());
    for (const Section& s : sections_) {
      if (s.kind == Kind::global) global(s);
      else if (s.kind == Kind::other) {
        dropped(s.header, "a section lbsim has no use for (it models the traffic path)");
        for (const ConfigLine& line : s.lines) dropped(line, "in a section lbsim does not import");
      }
    }
    const Section* front = pick_frontend();
    for (const Section& s : sections_)
      if (s.kind == Kind::backend || s.kind == Kind::listen) backend(s);
    if (draft_.groups.empty())
      throw ImportError({source_name_path_, 1, 1}, "no 'mode http' backend with a server: nothing lbsim can model (expected at least one)");
    if (front != nullptr) {
      frontend(*front);
    } else {
      // No listener to read rules from: every request to the first group.
      DraftRule rule;
      rule.comment = "no 'mode http' frontend: every request goes to the first backend";
      rule.items = {{"default", YAML::Node(true), ""}, {"forward", YAML::Node(draft_.groups.front().name), ""}};
      draft_.rules.push_back(std::move(rule));
      report_.approximated({source_name_path_, 1, 0}, "(the whole file)", "no 'mode http' frontend: every request goes to the first backend");
    }
    tier_keys();
    sweep();
    draft_.description = fmt::format("Imported from {} by `lbsim import haproxy`: {} rules and {} target groups. Read the comments and the import "
                                     "report: traffic, service times and zones are not in a proxy's configuration.",
                                     source_name_, draft_.rules.size(), draft_.groups.size());
    draft_.preface = {fmt::format("Imported from {} by `lbsim import haproxy`.", source_name_),
                      "Each item's comment names the line it came from; `lbsim import` printed what it approximated and dropped."};
    return std::move(draft_);
  }

private:
  // ---- global ----
  void global(const Section& s) {
    mapped(s.header, "(the process: read for nbthread)");
    for (const ConfigLine& line : s.lines) {
      const std::string& k = line.words[0].text;
      if (k == "nbthread" && line.words.size() > 1 && whole_number(line.words[1].text)) {
        threads_ = static_cast<int>(*whole_number(line.words[1].text));
        threads_line_ = line.at;
        mapped(line, "l7.cpu.cores");
      } else if (k.starts_with("ssl-default-bind")) {
        approximated(line, "lbsim's L7 tier takes the clients' TLS version; ciphers and curves are not modelled");
      } else {
        dropped(line, "process management, logging or tuning: no bearing on the modelled traffic");
      }
    }
  }

  // ---- the listener ----
  const Section* pick_frontend() {
    const Section* chosen = nullptr;
    for (const Section& s : sections_) {
      if (s.kind != Kind::frontend && s.kind != Kind::listen) continue;
      if (s.kind == Kind::listen && std::none_of(s.lines.begin(), s.lines.end(), [](const ConfigLine& l) { return l.words[0].text == "server"; }))
        continue;  // a stats page or a redirector: nothing to route to
      const Settings settings(s);
      const ConfigLine* mode = settings.find("mode");
      const bool http = mode != nullptr && mode->words.size() > 1 && mode->words[1].text == "http";
      if (!http) {
        if (s.kind == Kind::frontend) {
          dropped(s.header, "not 'mode http': lbsim's L7 tier is an HTTP proxy");
          for (const ConfigLine& line : s.lines) dropped(line, "in a frontend lbsim does not import");
        }
        continue;
      }
      if (chosen == nullptr) chosen = &s;
      else if (s.kind == Kind::frontend) {
        dropped(s.header, fmt::format("lbsim models one listener: {} (the first HTTP frontend) is it", chosen->name));
        for (const ConfigLine& line : s.lines) dropped(line, "in a frontend lbsim does not import");
      }
    }
    return chosen;
  }

  void frontend(const Section& s) {
    mapped(s.header, "l7 (the listener)");
    std::map<std::string, Acl> acls;
    std::vector<const ConfigLine*> actions, switching;
    const ConfigLine* default_backend = nullptr;
    for (const ConfigLine& line : s.lines) {
      const std::string& k = line.words[0].text;
      if (k == "acl") {
        if (line.words.size() < 3) throw ImportError({line.at.file, line.at.line, line.words[0].column}, "'acl': expected a name and a criterion");
        Acl acl = read_acl(line.words, 2);
        Acl& known = acls[line.words[1].text];
        // Several lines of one name are alternatives too.
        if (!acl.unsupported.empty()) known.unsupported = acl.unsupported;
        if (!acl.approximated.empty()) known.approximated = acl.approximated;
        known.any.insert(known.any.end(), acl.any.begin(), acl.any.end());
        if (!acl.unsupported.empty()) dropped(line, acl.unsupported + " (a rule using it is dropped)");
        else if (!acl.approximated.empty()) approximated(line, acl.approximated);
        else mapped(line, "l7.rules[].if, where a rule uses it");
      } else if (k == "http-request") {
        actions.push_back(&line);
      } else if (k == "use_backend") {
        switching.push_back(&line);
      } else if (k == "default_backend") {
        default_backend = &line;
        if (line.words.size() > 1) default_backend_name_ = line.words[1].text;
      } else if (k == "bind") {
        bind(line);
      } else if (s.kind == Kind::listen) {
        continue;  // a listen section's backend half: read as a backend
      } else {
        frontend_other(line);
      }
    }
    for (const ConfigLine* line : actions) http_request(*line, acls);
    for (const ConfigLine* line : switching) use_backend(*line, acls);
    default_rule(s, default_backend);
  }

  void bind(const ConfigLine& line) {
    const auto& w = line.words;
    const bool tls = std::any_of(w.begin(), w.end(), [](const ConfigWord& x) { return x.text == "ssl"; });
    if (tls && !tls_) {
      tls_ = true;
      draft_.client_tls_version = "1.3";
      approximated(line, "TLS terminated at the L7 tier (l7.tls: ECDSA P-256 assumed, the certificate is not read); clients speak TLS 1.3");
      l7_items_.push_back({"tls", YAML::Load("{ key: ecdsa-p256 }"), line.at.to_string() + ": " + line.joined()});
    } else {
      mapped(line, tls ? "l7.tls" : "the listener (plain HTTP)");
    }
  }

  void frontend_other(const ConfigLine& line) { note(leftover_verdict(line), line, leftover_reason(line)); }

  // ---- rules ----
  std::string where(const ConfigLine& line) const { return line.at.to_string() + ": " + line.joined(); }

  // Adds one rule per expansion of `condition_at`'s condition, with `action`.
  void add_rules(const ConfigLine& line, std::size_t condition_at, const std::map<std::string, Acl>& acls, const DraftItem& action,
                 const std::string& mapped_to, const std::string& approximation = "") {
    Expansion e = expand(read_condition(line.words, condition_at, acls));
    if (!e.unsupported.empty()) {
      dropped(line, e.unsupported);
      return;
    }
    if (e.approximated.empty()) e.approximated = approximation;
    for (const YAML::Node& when : e.whens) {
      DraftRule rule;
      rule.comment = where(line);
      rule.at = line.at;
      rule.directive = line.joined();
      if (when.size() == 0 && mapped_to != "default") {
        // No condition: a rule that takes everything from here on (still a priority).
        rule.items.push_back({"priority", YAML::Node(next_priority()), ""});
        rule.items.push_back({"if", YAML::Load("{ path: '/*' }"), ""});
      } else {
        rule.items.push_back({"priority", YAML::Node(next_priority()), ""});
        rule.items.push_back({"if", when, ""});
      }
      rule.items.push_back(action);
      draft_.rules.push_back(std::move(rule));
    }
    const std::string many = e.whens.size() > 1 ? fmt::format(" ({} rules: HAProxy's alternatives)", e.whens.size()) : "";
    if (!e.approximated.empty()) approximated(line, e.approximated + many);
    else mapped(line, mapped_to + many);
  }

  int next_priority() { return priority_ += 10; }

  void use_backend(const ConfigLine& line, const std::map<std::string, Acl>& acls) {
    if (line.words.size() < 2) throw ImportError({line.at.file, line.at.line, line.words[0].column}, "'use_backend': expected a backend's name");
    const std::string& target = line.words[1].text;
    if (target.find('%') != std::string::npos) {
      dropped(line, "a backend chosen by a log-format expression: lbsim's rules name their group");
      return;
    }
    if (!groups_.count(target)) {
      dropped(line, fmt::format("no backend '{}' was imported", target));
      return;
    }
    add_rules(line, 2, acls, {"forward", YAML::Node(groups_.at(target)), ""}, "l7.rules[] with forward");
  }

  void http_request(const ConfigLine& line, const std::map<std::string, Acl>& acls) {
    const auto& w = line.words;
    if (w.size() < 2) throw ImportError({line.at.file, line.at.line, w[0].column}, "'http-request': expected an action");
    const std::string& action = w[1].text;
    std::size_t i = 2;
    const auto condition_start = [&] {
      std::size_t c = i;
      while (c < w.size() && w[c].text != "if" && w[c].text != "unless") ++c;
      return c;
    };
    if (action == "deny" || action == "tarpit") {
      long status = 403;
      for (; i + 1 < w.size() && w[i].text != "if" && w[i].text != "unless"; ++i)
        if (w[i].text == "deny_status" && whole_number(w[i + 1].text)) status = *whole_number(w[i + 1].text);
      YAML::Node answer;
      answer["status"] = status;
      add_rules(line, condition_start(), acls, {"fixed_response", answer, ""}, "l7.rules[] with fixed_response");
    } else if (action == "return") {
      YAML::Node answer;
      answer["status"] = 200;
      for (; i < w.size() && w[i].text != "if" && w[i].text != "unless"; ++i) {
        if (i + 1 >= w.size()) break;
        if (w[i].text == "status" && whole_number(w[i + 1].text)) answer["status"] = *whole_number(w[++i].text);
        else if (w[i].text == "content-type") answer["content_type"] = w[++i].text;
        else if (w[i].text == "string" || w[i].text == "lf-string") answer["body"] = fmt::format("{}B", w[++i].text.size());
      }
      add_rules(line, condition_start(), acls, {"fixed_response", answer, ""}, "l7.rules[] with fixed_response");
    } else if (action == "redirect") {
      redirect(line, acls);
    } else {
      dropped(line, fmt::format("'http-request {}': lbsim's rules forward, redirect or answer; they do not edit requests", action));
    }
  }

  void redirect(const ConfigLine& line, const std::map<std::string, Acl>& acls) {
    const auto& w = line.words;
    YAML::Node to;
    std::string approximated;
    std::size_t i = 2;
    for (; i + 1 < w.size() && w[i].text != "if" && w[i].text != "unless"; ++i) {
      const std::string& k = w[i].text;
      const std::string& v = w[i + 1].text;
      if (k == "code" && whole_number(v)) {
        to["status"] = *whole_number(v);
        ++i;
      } else if (k == "scheme") {
        to["protocol"] = v;
        ++i;
      } else if (k == "location" || k == "prefix") {
        ++i;
        const std::size_t scheme_end = v.find("://");
        std::string rest = v;
        if (scheme_end != std::string::npos) {
          to["protocol"] = v.substr(0, scheme_end);
          rest = v.substr(scheme_end + 3);
          const std::size_t slash = rest.find('/');
          to["host"] = rest.substr(0, slash);
          rest = slash == std::string::npos ? "" : rest.substr(slash);
        }
        if (k == "prefix" && !rest.empty() && rest != "/") approximated = "a redirect prefix before the request's path: lbsim's redirect sets a whole path";
        if (k == "location" && !rest.empty()) {
          const std::size_t q = rest.find('?');
          to["path"] = rest.substr(0, q);
          if (q != std::string::npos) to["query"] = rest.substr(q + 1);
        }
        if (v.find('%') != std::string::npos) approximated = "a log-format expression in the location is kept as text";
      }
    }
    if (to["status"] && (to["status"].as<long>() < 301 || to["status"].as<long>() > 308)) {
      approximated = fmt::format("code {}: lbsim's redirects are 301 to 308 (301 kept)", to["status"].as<long>());
      to.remove("status");
    }
    add_rules(line, i, acls, {"redirect", to, ""}, "l7.rules[] with redirect", approximated);
  }

  void default_rule(const Section& s, const ConfigLine* line) {
    DraftRule rule;
    rule.items.push_back({"default", YAML::Node(true), ""});
    if (line != nullptr && line->words.size() > 1 && groups_.count(line->words[1].text)) {
      rule.comment = where(*line);
      rule.items.push_back({"forward", YAML::Node(groups_.at(line->words[1].text)), ""});
      mapped(*line, "l7.rules[] default");
    } else if (s.kind == Kind::listen && groups_.count(s.name)) {
      rule.comment = where(s.header);
      rule.items.push_back({"forward", YAML::Node(groups_.at(s.name)), ""});
    } else {
      // No backend for what no rule takes: HAProxy answers 503.
      rule.comment = fmt::format("{}: no default_backend (HAProxy answers 503)", s.header.at.to_string());
      rule.items.push_back({"fixed_response", YAML::Load("{ status: 503 }"), ""});
      if (line != nullptr) dropped(*line, "its backend was not imported; the default answers 503");
    }
    draft_.rules.push_back(std::move(rule));
  }

  // ---- backends ----
  void backend(const Section& s) {
    const Settings settings(s);
    const ConfigLine* mode = settings.find("mode");
    if (mode != nullptr && mode->words.size() > 1 && mode->words[1].text != "http") {
      dropped(s.header, "not 'mode http': lbsim's target groups sit behind an HTTP proxy");
      for (const ConfigLine& line : s.lines) dropped(line, "in a backend lbsim does not import");
      return;
    }
    const bool has_servers = std::any_of(s.lines.begin(), s.lines.end(), [](const ConfigLine& l) { return l.words[0].text == "server"; });
    if (s.kind == Kind::listen && !has_servers) {
      dropped(s.header, "a listen section without servers (a stats page, a redirector): no target group");
      for (const ConfigLine& line : s.lines) dropped(line, "in a listen section lbsim does not import");
      return;
    }
    DraftGroup group;
    group.name = group_name(s.name);
    while (std::any_of(draft_.groups.begin(), draft_.groups.end(), [&](const DraftGroup& g) { return g.name == group.name; })) group.name += "-2";
    group.comment = where(s.header);
    if (group.name != s.name) approximated(s.header, fmt::format("target_groups.{} (lbsim's names are lower case)", group.name));
    else mapped(s.header, "target_groups." + group.name);
    groups_[s.name] = group.name;

    Server defaults;
    if (const ConfigLine* inherited = settings.find("default-server"); inherited != nullptr && s.defaults != nullptr &&
                                                                       std::find_if(s.lines.begin(), s.lines.end(), [&](const ConfigLine& l) { return &l == inherited; }) == s.lines.end()) {
      defaults = server(*inherited, defaults, /*is_default=*/true);
      mapped(*inherited, "the servers' settings of the backends after it");
    }
    std::vector<Server> servers;
    for (const ConfigLine& line : s.lines) {
      const std::string& k = line.words[0].text;
      if (k == "server") servers.push_back(server(line, defaults));
      else if (k == "balance" || k == "hash-type") balance_lines_[s.name].push_back(&line);
      else if (k == "default-server") {
        defaults = server(line, defaults, /*is_default=*/true);
        mapped(line, "the servers' settings below");
      } else if (k == "cookie") {
        stickiness(line, group);
      } else if (k == "timeout" || k == "retries" || k == "retry-on" || line.joined() == "option redispatch") {
        continue;  // read through Settings, for the tier
      } else if ((k == "option" && line.words.size() > 1 && line.words[1].text == "httpchk") || k == "http-check") {
        approximated(line, "lbsim's checks are HTTP GETs of / expecting a 2xx");
      } else if (s.kind == Kind::listen && (k == "bind" || k == "acl" || k == "use_backend" || k == "default_backend" || k == "http-request")) {
        continue;  // the frontend half
      } else {
        continue;  // the sweep says what lbsim makes of it
      }
    }
    if (!balance_lines_.count(s.name))
      if (const ConfigLine* inherited = settings.find("balance")) balance_lines_[s.name].push_back(inherited);  // from its defaults
    servers_of(s, group, servers);
    settings_of(s, settings);
    draft_.groups.push_back(std::move(group));
  }

  Server server(const ConfigLine& line, const Server& defaults, bool is_default = false) {
    Server server = defaults;
    server.line = &line;
    const auto& w = line.words;
    const std::size_t first = is_default ? 1 : 3;
    if (!is_default && w.size() < 3) throw ImportError({line.at.file, line.at.line, w[0].column}, "'server': expected a name and an address");
    for (std::size_t i = first; i < w.size(); ++i) {
      const std::string& k = w[i].text;
      const auto value = [&]() -> const std::string& {
        if (i + 1 >= w.size()) throw ImportError({line.at.file, line.at.line, w[i].column}, fmt::format("'{}': expected a value after it", k));
        return w[++i].text;
      };
      if (k == "check") server.check = true;
      else if (k == "no-check") server.check = false;
      else if (k == "backup") server.backup = true;
      else if (k == "inter" || k == "slowstart") {
        const std::string& text = value();
        (k == "inter" ? server.inter_s : server.slowstart_s) = time_value(line, i, text);
      }
      else if (k == "rise") server.rise = whole_number(value());
      else if (k == "fall") server.fall = whole_number(value());
      else if (k == "weight") server.weight = whole_number(value());
      else if (k == "maxconn") server.maxconn = whole_number(value());
      else if (k == "cookie" || k == "port" || k == "addr" || k == "id" || k == "maxqueue" || k == "downinter" || k == "fastinter" || k == "observe" ||
               k == "on-error" || k == "error-limit" || k == "crt" || k == "ca-file" || k == "sni" || k == "alpn")
        value();
    }
    return server;
  }

  double time_value(const ConfigLine& line, std::size_t i, const std::string& text) {
    const auto seconds = haproxy_seconds(text);
    if (!seconds) throw ImportError({line.at.file, line.at.line, line.words[i].column}, fmt::format("'{}': expected a time such as 2s or 500ms", text));
    return *seconds;
  }

  void servers_of(const Section& s, DraftGroup& group, const std::vector<Server>& servers) {
    std::size_t active = 0;
    std::vector<long> weights;
    std::set<long> maxconns;
    const Server* checked = nullptr;
    for (const Server& server : servers) {
      if (server.backup) {
        dropped(*server.line, "a backup server: lbsim's groups have no standby targets");
        continue;
      }
      if (server.weight == 0L) {
        dropped(*server.line, "a server of weight 0 takes no traffic: lbsim's groups have no standby targets");
        continue;
      }
      ++active;
      weights.push_back(server.weight.value_or(1));
      if (server.maxconn) maxconns.insert(*server.maxconn);
      if (server.check && checked == nullptr) checked = &server;
      mapped(*server.line, fmt::format("target_groups.{}.per_zone (one target)", group.name));
    }
    group.items.push_back({"per_zone", YAML::Node(std::max<std::size_t>(active, 1)), fmt::format("{} server(s) in {}", active, s.name)});
    bool clamped = false;
    if (const auto w = server_weights(group.name, weights, clamped)) {
      group.items.push_back({"weights", *w, "the servers' weight, in order", s.header.at, s.header.joined()});
      weighted_ = true;
      if (clamped) report_.approximated(s.header.at, s.header.joined(), "server weights beyond 256 are clamped to lbsim's 1..256");
    }
    if (active == 0) report_.approximated(s.header.at, s.header.joined(), "no active server: one target stands in");
    if (!maxconns.empty()) {
      group.items.push_back({"workers", YAML::Node(*maxconns.begin()), "the servers' maxconn: requests each serves at once"});
      if (maxconns.size() > 1) report_.approximated(s.header.at, s.header.joined(), "servers of unequal maxconn: the smallest is every target's workers");
    }
    group.items.push_back({"service_time", YAML::Load("{ dist: exponential, mean: 10ms }"), "not in a proxy's configuration: measure it (lbsim import traffic)"});
    const Settings settings(s);
    if (checked != nullptr) {
      const double inter = checked->inter_s.value_or(2.0);
      double timeout = inter;
      if (const ConfigLine* t = settings.find("timeout check"); t != nullptr && t->words.size() > 2) timeout = haproxy_seconds(t->words[2].text).value_or(inter);
      else if (const ConfigLine* c = settings.find("timeout connect"); c != nullptr && c->words.size() > 2) timeout = std::min(inter, haproxy_seconds(c->words[2].text).value_or(inter));
      if (timeout >= inter) {
        // HAProxy lets a check run its whole interval; lbsim's probe must end before the next.
        timeout = inter / 2;
        report_.approximated(checked->line->at, checked->line->joined(),
                             fmt::format("a check may take its whole interval in HAProxy; lbsim's timeout must be shorter: {}", duration_text(timeout)));
      }
      YAML::Node check;
      check["interval"] = duration_text(inter);
      check["timeout"] = duration_text(timeout);
      check["healthy"] = checked->rise.value_or(2);
      check["unhealthy"] = checked->fall.value_or(3);
      group.items.push_back({"health_check", check, where(*checked->line)});
    } else {
      report_.approximated(s.header.at, s.header.joined(),
                           "no server is checked: HAProxy checks nothing here, lbsim's L7 tier checks with ALB's defaults (30 s)");
    }
    // Slow start: a group's, in lbsim; the first server's that has one stands for all.
    const auto slow = std::find_if(servers.begin(), servers.end(), [](const Server& x) { return !x.backup && x.slowstart_s; });
    if (slow != servers.end()) {
      const double window = std::clamp(*slow->slowstart_s, 30.0, 900.0);
      group.items.push_back({"slow_start", YAML::Node(duration_text(window)), where(*slow->line)});
      if (window != *slow->slowstart_s) approximated(*slow->line, "slowstart outside ALB's 30 s to 900 s: clamped");
      if (std::any_of(servers.begin(), servers.end(), [&](const Server& x) { return !x.backup && x.slowstart_s != slow->slowstart_s; }))
        report_.approximated(s.header.at, s.header.joined(), "servers with and without slowstart: lbsim's slow start is the group's, every target's");
    }
  }

  void stickiness(const ConfigLine& line, DraftGroup& group) {
    const auto& w = line.words;
    if (w.size() < 2) throw ImportError({line.at.file, line.at.line, w[0].column}, "'cookie': expected a cookie name");
    double duration = 86400;
    bool insert = false;
    for (std::size_t i = 2; i < w.size(); ++i) {
      if (w[i].text == "insert") insert = true;
      if (w[i].text == "maxlife" && i + 1 < w.size()) duration = haproxy_seconds(w[++i].text).value_or(duration);
    }
    YAML::Node sticky;
    if (insert) {
      sticky["type"] = "lb_cookie";
      approximated(line, fmt::format("target_groups.{}.stickiness: ALB's AWSALB cookie instead of {}", group.name, w[1].text));
    } else {
      sticky["type"] = "app_cookie";
      sticky["cookie"] = w[1].text;
      approximated(line, fmt::format("target_groups.{}.stickiness: the application's cookie {}, followed by ALB's AWSALBAPP", group.name, w[1].text));
    }
    sticky["duration"] = duration_text(std::clamp(duration, 1.0, 7 * 86400.0));
    group.items.push_back({"stickiness", sticky, where(line)});
  }

  // Timeouts and retries: lbsim's are the tier's, so the default backend's (or the first
  // one's) are taken, and others that differ are said to be approximated.
  void settings_of(const Section& s, const Settings& settings) {
    if (const ConfigLine* t = settings.find("timeout server"); t != nullptr && t->words.size() > 2) {
      if (const auto seconds = haproxy_seconds(t->words[2].text)) upstream_timeouts_.push_back({s.name, *seconds, t});
    }
    if (const ConfigLine* r = settings.find("retries"); r != nullptr && r->words.size() > 1) {
      if (const auto n = whole_number(r->words[1].text)) retries_.push_back({s.name, static_cast<double>(*n), r});
    }
  }

  struct TierSetting {
    std::string backend;
    double value = 0;
    const ConfigLine* line = nullptr;
  };

  const TierSetting* tier_choice(const std::vector<TierSetting>& settings) const {
    if (settings.empty()) return nullptr;
    for (const TierSetting& s : settings)
      if (s.backend == default_backend_name_) return &s;
    return &settings.front();
  }

  void tier_keys() {
    if (threads_ > 0)
      draft_.l7.push_back({"cpu", YAML::Load(fmt::format("{{ cores: {} }}", std::clamp(threads_, 1, 64))), threads_line_.to_string() + ": nbthread"});
    algorithm();
    if (const TierSetting* t = tier_choice(upstream_timeouts_)) {
      draft_.l7.push_back({"upstream_timeout", YAML::Node(duration_text(t->value)), where(*t->line)});
      mapped(*t->line, "l7.upstream_timeout");
      for (const TierSetting& other : upstream_timeouts_)
        if (other.value != t->value) approximated(*other.line, "lbsim's upstream timeout is the tier's: " + duration_text(t->value));
    }
    if (const TierSetting* r = tier_choice(retries_); r != nullptr && r->value > 0) {
      YAML::Node retries;
      retries["max"] = static_cast<long>(std::min(r->value, 10.0));
      retries["on"] = YAML::Load("[reset]");
      draft_.l7.push_back({"retries", retries, where(*r->line)});
      approximated(*r->line, "l7.retries on failed connections (HAProxy's retries), to another backend");
    }
    for (const DraftItem& item : l7_items_) draft_.l7.push_back(item);
    draft_.clients_comment = {"Not in a proxy's configuration: 100 requests/s, one request written for each rule",
                              "(`lbsim route --samples`). Replace with your traffic: `lbsim import traffic`."};
  }

  // One verdict per line: the first given stands (a defaults line several backends read
  // is reported once).
  void note(Verdict verdict, const ConfigLine& line, const std::string& text) {
    if (!reported_.insert(&line).second) return;
    if (verdict == Verdict::mapped) report_.mapped(line.at, line.joined(), text);
    else if (verdict == Verdict::approximated) report_.approximated(line.at, line.joined(), text);
    else report_.dropped(line.at, line.joined(), text);
  }
  void mapped(const ConfigLine& line, const std::string& text) { note(Verdict::mapped, line, text); }
  void approximated(const ConfigLine& line, const std::string& text) { note(Verdict::approximated, line, text); }
  void dropped(const ConfigLine& line, const std::string& text) { note(Verdict::dropped, line, text); }

  // Every line no mapping spoke for, with what lbsim makes of its kind of directive.
  void sweep() {
    for (const Section& s : sections_) {
      note(Verdict::mapped, s.header, s.kind == Kind::defaults ? "(defaults: read where a proxy uses them)" : "(read)");
      for (const ConfigLine& line : s.lines) note(leftover_verdict(line), line, leftover_reason(line));
    }
  }

  static Verdict leftover_verdict(const ConfigLine& line) {
    const std::string j = line.joined();
    if (j.starts_with("mode http") || j.starts_with("option forwardfor") || j == "option http-keep-alive" || j == "option redispatch" ||
        j.starts_with("timeout check"))
      return Verdict::mapped;
    if (j.starts_with("timeout connect") || j.starts_with("retries") || j.starts_with("retry-on") || j.starts_with("option http-server-close") ||
        j.starts_with("balance") || j.starts_with("hash-type") || j.starts_with("timeout server"))
      return Verdict::approximated;
    return Verdict::dropped;
  }

  static std::string leftover_reason(const ConfigLine& line) {
    const std::string j = line.joined();
    const std::string& k = line.words[0].text;
    if (j.starts_with("mode http")) return "the L7 tier (HTTP)";
    if (j.starts_with("option forwardfor")) return "the L7 tier adds X-Forwarded-For, as ALB does";
    if (j == "option http-keep-alive") return "kept-alive client connections";
    if (j == "option redispatch") return "l7.retries go to another backend";
    if (j.starts_with("timeout check")) return "target_groups.*.health_check.timeout";
    if (j.starts_with("timeout connect")) return "lbsim's L7 tier waits for a connection as long as for an answer (l7.upstream_timeout, at most 10 s)";
    if (j.starts_with("timeout server")) return "lbsim's upstream timeout is the tier's: the default backend's is taken";
    if (j.starts_with("retries") || j.starts_with("retry-on")) return "lbsim's retries are the tier's: the default backend's are taken";
    if (j.starts_with("option http-server-close")) return "lbsim's L7 nodes keep backend connections alive (l7.backend_connections)";
    if (j.starts_with("balance") || j.starts_with("hash-type")) return "lbsim's L7 tier picks with one algorithm for every group";
    if (k == "timeout") return "a client-side or queue timeout: lbsim's clients keep their own";
    if (k == "mode") return "not HTTP: lbsim's L7 tier is an HTTP proxy";
    if (k == "log" || k == "log-format" || k == "capture" || j.starts_with("option httplog") || j.starts_with("option dontlog") ||
        j.starts_with("option log") || k == "unique-id-format" || k == "unique-id-header")
      return "logging: not part of the model";
    if (k == "stats" || k == "monitor-uri" || k == "errorfile" || k == "errorloc" || k == "description" || k == "compression")
      return "administration or presentation: not part of the model";
    if (k == "maxconn" || k == "fullconn" || k == "rate-limit") return "a connection limit: lbsim's L7 tier limits by its cores and queue (l7.queue_limit)";
    if (k == "stick-table" || k == "stick" || k == "tcp-request") return "stick tables and TCP rules are not imported";
    if (k == "http-response" || k == "http-after-response") return "response edits: lbsim's answers carry no modelled headers";
    return "not a directive lbsim imports";
  }

  void algorithm() {
    // The default backend's balance (HAProxy's default: roundrobin) is the tier's.
    std::string chosen = default_backend_name_;
    if (!balance_lines_.count(chosen) && !balance_lines_.empty()) chosen = balance_lines_.begin()->first;
    std::string algorithm = "round_robin";
    for (const auto& [backend, lines] : balance_lines_) {
      const std::string name = algorithm_of(backend);
      const std::string how = balance_of(backend);
      for (const ConfigLine* line : lines) {
        if (backend != chosen && name != algorithm_of(chosen))
          approximated(*line, fmt::format("lbsim's L7 tier picks with one algorithm for every group: {}'s", chosen));
        else if (how == "static-rr" || how == "first") approximated(*line, "round_robin (" + how + " has no equivalent)");
        else if (how == "uri" || how.starts_with("hdr(") || how.starts_with("url_param"))
          approximated(*line, "ring_hash, which hashes the client's flow, not " + how);
        else mapped(*line, "l7.algorithm: " + name);
      }
      if (backend == chosen) {
        algorithm = name;
        if (how.starts_with("random(")) choices_ = whole_number(argument_of(how)).value_or(2);
      }
    }
    // HAProxy's round robin reads server weights; lbsim's plain one does not.
    if (weighted_ && algorithm == "round_robin") algorithm = "smooth_weighted_round_robin";
    draft_.l7.insert(draft_.l7.begin(), DraftItem{"algorithm", YAML::Node(algorithm), chosen.empty() ? "HAProxy's default" : "backend " + chosen + "'s balance"});
    if (algorithm == "least_request")
      draft_.l7.insert(draft_.l7.begin() + 1, DraftItem{"choices", YAML::Node(std::clamp<long>(choices_, 1, 16)), "random(N)"});
  }

  // A backend's `balance` method ("leastconn", "random(2)"), HAProxy's default if none.
  std::string balance_of(const std::string& backend) {
    std::string how = "roundrobin";
    for (const ConfigLine* line : balance_lines_[backend])
      if (line->words[0].text == "balance" && line->words.size() > 1) how = line->words[1].text;
    return how;
  }

  // lbsim's algorithm nearest to a backend's balance.
  std::string algorithm_of(const std::string& backend) {
    const std::string how = balance_of(backend);
    bool consistent = false;
    for (const ConfigLine* line : balance_lines_[backend])
      if (line->words[0].text == "hash-type" && line->words.size() > 1) consistent = line->words[1].text == "consistent";
    if (how == "leastconn") return "least_connections";
    if (how == "random") return "random";
    if (how.starts_with("random(")) return "least_request";
    if (how == "source") return consistent ? "ring_hash" : "source_ip_hash";
    if (how == "uri" || how.starts_with("hdr(") || how.starts_with("url_param")) return "ring_hash";
    return "round_robin";
  }

  ImportReport& report_;
  std::vector<Section> sections_;
  std::string source_name_, source_name_path_;
  Draft draft_;
  std::map<std::string, std::string> groups_;  // HAProxy backend name -> group name
  std::vector<DraftItem> l7_items_;
  std::map<std::string, std::vector<const ConfigLine*>> balance_lines_;
  std::vector<TierSetting> upstream_timeouts_, retries_;
  std::set<const ConfigLine*> reported_;
  std::string default_backend_name_;
  int threads_ = 0;
  SourcePlace threads_line_;
  long choices_ = 2;
  bool weighted_ = false;  // some backend's servers weigh unequally
  bool tls_ = false;
  int priority_ = 0;
};

}  // namespace

std::string ConfigLine::joined() const {
  std::string out;
  for (const ConfigWord& w : words) out += (out.empty() ? "" : " ") + w.text;
  return out;
}

std::vector<ConfigLine> haproxy_lines(const InputFile& file) {
  std::vector<ConfigLine> lines;
  int number = 0;
  std::size_t start = 0;
  while (start <= file.text.size()) {
    const std::size_t end = std::min(file.text.find('\n', start), file.text.size());
    std::string_view text(file.text.data() + start, end - start);
    ++number;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.size() > kMaxLineBytes) throw ImportError({file.name, number, 1}, fmt::format("a line of {} bytes: expected at most {}", text.size(), kMaxLineBytes));
    ConfigLine line;
    line.at = {file.name, number, 0};
    std::size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
      if (i >= text.size() || text[i] == '#') break;
      ConfigWord word;
      word.column = static_cast<int>(i) + 1;
      while (i < text.size() && text[i] != ' ' && text[i] != '\t') {
        const char c = text[i];
        if (static_cast<unsigned char>(c) < 0x20) throw ImportError({file.name, number, static_cast<int>(i) + 1}, "a control character: expected text");
        if (c == '#') break;
        if (c == '\\' && i + 1 < text.size()) {
          word.text += text[i + 1];
          i += 2;
        } else if (c == '\'') {
          const std::size_t close = text.find('\'', i + 1);
          if (close == std::string_view::npos) throw ImportError({file.name, number, static_cast<int>(i) + 1}, "a ' quote that is never closed");
          word.text += text.substr(i + 1, close - i - 1);
          i = close + 1;
        } else if (c == '"') {
          std::size_t j = i + 1;
          for (; j < text.size() && text[j] != '"'; ++j) {
            if (text[j] == '\\' && j + 1 < text.size()) ++j;
            word.text += text[j];
          }
          if (j >= text.size()) throw ImportError({file.name, number, static_cast<int>(i) + 1}, "a \" quote that is never closed");
          i = j + 1;
        } else {
          word.text += c;
          ++i;
        }
      }
      line.words.push_back(std::move(word));
      if (i < text.size() && text[i] == '#') break;
    }
    if (!line.words.empty()) lines.push_back(std::move(line));
    if (end >= file.text.size()) break;
    start = end + 1;
  }
  return lines;
}

Draft import_haproxy(const std::vector<InputFile>& files, ImportReport& report) { return HaproxyImport(files, report).run(); }

}  // namespace lbsim::importing
