// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What an L7 balancer can read of an HTTP request. Views only: the request's owner
// keeps the bytes alive, so routing a request allocates nothing.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

namespace lbsim::l7 {

using Field = std::pair<std::string_view, std::string_view>;  // name, value

struct RequestView {
  std::string_view method = "GET";
  std::string_view host;
  std::string_view path = "/";
  std::string_view query;          // after '?', without it: "a=1&b=2"
  std::span<const Field> headers;  // names compared case-insensitively
  std::span<const Field> cookies;  // names compared exactly
  std::uint32_t source_ip = 0;

  std::string_view header(std::string_view name) const;  // empty if absent
  std::string_view cookie(std::string_view name) const;  // empty if absent
  bool has_header(std::string_view name) const;
  bool has_cookie(std::string_view name) const;
  // The first value of a query parameter; nothing if absent. Scans, allocates nothing.
  std::optional<std::string_view> query_param(std::string_view name) const;
};

bool iequals(std::string_view a, std::string_view b);

}  // namespace lbsim::l7
