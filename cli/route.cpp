// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/route.hpp"

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

#include "cli/child_runs.hpp"
#include "cli/scenario_file.hpp"
#include "export/samples.hpp"
#include "l4/flow.hpp"
#include "l7/cidr.hpp"

namespace lbsim::cli {
namespace {

using nlohmann::json;

struct RouteArgs {
  std::string file;
  std::optional<std::string> variant;
  std::vector<std::string> sets;
  std::string request;  // "GET https://host/path?query"
  std::vector<std::string> headers, cookies;  // NAME=VALUE
  std::string source;
  bool samples = false;
  std::string format = "text";
};

struct BadRequest {
  std::string why;
};

std::pair<std::string, std::string> name_value(const std::string& text, const char* option) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) throw BadRequest{std::string(option) + " " + text + ": expected NAME=VALUE"};
  return {text.substr(0, eq), text.substr(eq + 1)};
}

exporting::SampleRequest parse_request(const RouteArgs& args) {
  exporting::SampleRequest r;
  r.written_for = "";
  const auto space = args.request.find(' ');
  if (space == std::string::npos) throw BadRequest{"--request " + args.request + ": expected \"METHOD URL\", as \"GET https://shop.example.com/api/users?page=2\""};
  r.method = args.request.substr(0, space);
  std::string url = args.request.substr(space + 1);
  if (const auto scheme = url.find("://"); scheme != std::string::npos) {
    url = url.substr(scheme + 3);
    const auto slash = url.find('/');
    r.host = url.substr(0, slash);
    url = slash == std::string::npos ? "/" : url.substr(slash);
  }
  if (url.empty() || url.front() != '/') throw BadRequest{"--request " + args.request + ": expected the URL's path to start with '/'"};
  const auto q = url.find('?');
  r.path = url.substr(0, q);
  if (q != std::string::npos) r.query = url.substr(q + 1);
  for (const auto& h : args.headers) r.headers.push_back(name_value(h, "--header"));
  for (const auto& c : args.cookies) r.cookies.push_back(name_value(c, "--cookie"));
  if (!args.source.empty()) {
    const auto ip = l7::parse_ipv4(args.source);
    if (!ip) throw BadRequest{"--source " + args.source + ": expected an IPv4 address"};
    r.source_ip = *ip;
  }
  return r;
}

std::string ipv4(std::uint32_t address) {
  char buffer[16];
  return std::string(l4::format_ipv4(address, buffer));
}

json decide(const config::ScenarioSpec& spec, const l7::RuleTable& table, const exporting::SampleRequest& r) {
  std::vector<l7::Field> fields;
  const l7::RequestView view = r.view(fields);
  json request = {{"method", r.method}, {"host", r.host}, {"path", r.path}, {"query", r.query}, {"source_ip", ipv4(r.source_ip)}};
  request["headers"] = json::object();
  for (const auto& [n, v] : r.headers) request["headers"][n] = v;
  request["cookies"] = json::object();
  for (const auto& [n, v] : r.cookies) request["cookies"][n] = v;
  json out = {{"request", request}, {"trace", table.trace(view)}};
  if (!r.written_for.empty()) out["written_for"] = r.written_for;
  Random random(1);  // rewrites and redirects are deterministic; weighted picks are listed, not drawn
  const l7::RouteDecision d = table.route(view, random);
  if (d.rule == nullptr) {
    out["rule"] = nullptr;
    return out;
  }
  out["rule"] = d.rule->label;
  out["action"] = l7::to_string(d.action);
  switch (d.action) {
    case l7::ActionKind::forward:
      out["groups"] = json::array();
      for (const auto& g : d.rule->forward)
        if (g.weight > 0) out["groups"].push_back({{"group", spec.target_groups[g.group].name}, {"weight", g.weight}});
      out["path"] = d.rewritten_path.value_or(r.path);
      out["host"] = d.rewritten_host.value_or(r.host);
      break;
    case l7::ActionKind::redirect:
      out["status"] = d.status;
      out["location"] = d.location;
      break;
    case l7::ActionKind::fixed_response:
      out["status"] = d.status;
      out["body_bytes"] = d.rule->fixed.body_bytes;
      break;
  }
  return out;
}

void print_text(const json& d) {
  const json& r = d["request"];
  std::cout << r["method"].get<std::string>() << ' ' << r["host"].get<std::string>() << r["path"].get<std::string>()
            << (r["query"].get<std::string>().empty() ? "" : "?" + r["query"].get<std::string>()) << " from "
            << r["source_ip"].get<std::string>();
  for (const auto& [n, v] : r["headers"].items()) std::cout << ", " << n << ": " << v.get<std::string>();
  for (const auto& [n, v] : r["cookies"].items()) std::cout << ", cookie " << n << '=' << v.get<std::string>();
  if (d.contains("written_for")) std::cout << "  (written for " << d["written_for"].get<std::string>() << ')';
  std::cout << '\n';
  for (const auto& line : d["trace"]) std::cout << "  " << line.get<std::string>() << '\n';
  if (d["rule"].is_null()) {
    std::cout << "  no rule takes it: 404\n";
    return;
  }
  const std::string action = d["action"];
  if (action == "forward") {
    std::cout << "  -> ";
    for (std::size_t i = 0; i < d["groups"].size(); ++i)
      std::cout << (i ? ", " : "") << d["groups"][i]["group"].get<std::string>() << " (weight " << d["groups"][i]["weight"].get<int>() << ')';
    std::cout << " with " << d["host"].get<std::string>() << d["path"].get<std::string>() << '\n';
  } else if (action == "redirect") {
    std::cout << "  -> " << d["status"].get<int>() << " to " << d["location"].get<std::string>() << '\n';
  } else {
    std::cout << "  -> " << d["status"].get<int>() << " with a body of " << d["body_bytes"].get<double>() << " bytes\n";
  }
}

int route(const RouteArgs& args) {
  const config::ScenarioSpec spec = load_scenario_file(args.file, args.variant, parse_set_options(args.sets));
  if (!spec.has_l7()) {
    std::cerr << "lbsim: error: " << args.file << ": an L4-only layout has no listener rules (expected a scenario with `l7:`)\n";
    return 2;
  }
  if (args.samples == !args.request.empty()) {
    std::cerr << "lbsim: error: route: expected either --request \"METHOD URL\" or --samples\n";
    return 2;
  }
  const l7::RuleTable table(spec.l7->rules);
  std::vector<exporting::SampleRequest> requests;
  try {
    requests = args.samples ? exporting::sample_requests(spec.l7->rules) : std::vector{parse_request(args)};
  } catch (const BadRequest& bad) {
    std::cerr << "lbsim: error: " << bad.why << '\n';
    return 2;
  }
  json all = json::array();
  for (const auto& r : requests) all.push_back(decide(spec, table, r));
  if (args.format == "json") std::cout << (args.samples ? all : all.front()).dump(2) << '\n';
  else
    for (const auto& d : all) print_text(d);
  return 0;
}

}  // namespace

std::function<int()> add_route_command(CLI::App& app, CLI::App*& command) {
  auto args = std::make_shared<RouteArgs>();
  command = app.add_subcommand("route", "which listener rule takes a request, and what it does (the L7 tier's decision)");
  command->add_option("FILE", args->file, "scenario file (YAML)")->required();
  command->add_option("--request", args->request, "\"METHOD URL\": \"GET https://shop.example.com/api/users?page=2\"");
  command->add_option("--header", args->headers, "NAME=VALUE: a request header (repeatable)")->allow_extra_args(false);
  command->add_option("--cookie", args->cookies, "NAME=VALUE: a cookie (repeatable)")->allow_extra_args(false);
  command->add_option("--source", args->source, "the client's address (default 198.18.0.1)");
  command->add_flag("--samples", args->samples, "instead: a request written for each rule, and one for the default");
  command->add_option("--format", args->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  add_variant_and_set_options(*command, args->variant, args->sets, "route in");
  return [args] { return route(*args); };
}

}  // namespace lbsim::cli
