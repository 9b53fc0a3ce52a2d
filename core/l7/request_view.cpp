// SPDX-License-Identifier: GPL-3.0-or-later
#include "l7/request_view.hpp"

#include <algorithm>

namespace lbsim::l7 {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

const Field* find_header(std::span<const Field> fields, std::string_view name) {
  const auto it = std::find_if(fields.begin(), fields.end(), [&](const Field& f) { return iequals(f.first, name); });
  return it == fields.end() ? nullptr : &*it;
}

const Field* find_cookie(std::span<const Field> fields, std::string_view name) {
  const auto it = std::find_if(fields.begin(), fields.end(), [&](const Field& f) { return f.first == name; });
  return it == fields.end() ? nullptr : &*it;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

std::string_view RequestView::header(std::string_view name) const {
  const Field* f = find_header(headers, name);
  return f ? f->second : std::string_view{};
}
std::string_view RequestView::cookie(std::string_view name) const {
  const Field* f = find_cookie(cookies, name);
  return f ? f->second : std::string_view{};
}
bool RequestView::has_header(std::string_view name) const { return find_header(headers, name) != nullptr; }
std::optional<std::string_view> RequestView::query_param(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const std::size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) return eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

bool RequestView::has_cookie(std::string_view name) const { return find_cookie(cookies, name) != nullptr; }

}  // namespace lbsim::l7
