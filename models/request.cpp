// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/request.hpp"

#include <algorithm>

#include "l7/sticky.hpp"

namespace lbsim::models {

l7::RequestView MixEntry::view(std::uint32_t source_ip) const {
  l7::RequestView v;
  v.method = spec->method;
  v.host = spec->host;
  v.path = spec->path;
  v.query = spec->query;
  v.headers = headers;
  v.cookies = cookies;
  v.source_ip = source_ip;
  return v;
}

l7::RequestView Request::view() {
  l7::RequestView v = what->view(flow.src_ip);
  if (sticky_cookie_length == 0 && app_session_cookie == nullptr) return v;
  std::size_t n = 0;
  for (const auto& field : what->cookies) cookie_fields_[n++] = field;
  if (sticky_cookie_length > 0)
    cookie_fields_[n++] = {sticky_cookie_is_app ? l7::kAppLbCookieName : l7::kLbCookieName,
                           std::string_view(sticky_cookie.data(), sticky_cookie_length)};
  // The session's value does not matter to the balancer, only that the client has one.
  if (app_session_cookie != nullptr) cookie_fields_[n++] = {*app_session_cookie, "1"};
  v.cookies = std::span<const l7::Field>(cookie_fields_.data(), n);
  return v;
}

void Request::copy_cookie(std::string_view value, std::array<char, 40>& into, std::uint8_t& length) {
  if (value.size() > into.size()) throw std::logic_error("a balancer cookie longer than lbsim's buffer");
  std::copy(value.begin(), value.end(), into.begin());
  length = static_cast<std::uint8_t>(value.size());
}

}  // namespace lbsim::models
