// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/html/markup.hpp"

#include <cctype>

namespace lbsim::reports::html {
namespace {

// Tables may have many columns (a two-dimensional sweep, long run names in a comparison):
// they take the page's width and their cells wrap, so nothing is wider than the page.
constexpr const char* kStyle =
    "body{font-family:sans-serif;max-width:960px;margin:2em auto;padding:0 8px;color:#222}"
    "table{border-collapse:collapse;margin:0.5em 0 1.5em;max-width:100%;font-size:90%}"
    "td,th{border:1px solid #ccc;padding:2px 5px;text-align:right;overflow-wrap:break-word}"
    "th{background:#f0f0f0}td:first-child{text-align:left}"
    "figure{margin:1em 0}figure svg{width:100%;height:auto}.fail{color:#b00}"
    ".guide li{margin:0.3em 0}.muted{color:#666}.warn li{color:#8a4b00}.note{font-size:90%;color:#444}"
    "a{overflow-wrap:anywhere}";

}  // namespace

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

// A value never wraps between its number and its unit ("126.7 ms" stays on one line), so
// a narrow cell breaks between values ("126.7 ms" / "±0.83 ms") instead.
std::string keep_units_on_the_line(const std::string& cell) {
  std::string out;
  for (std::size_t i = 0; i < cell.size(); ++i)
    out += cell[i] == ' ' && i > 0 && std::isdigit(static_cast<unsigned char>(cell[i - 1])) ? std::string("&nbsp;") : std::string(1, cell[i]);
  return out;
}

}  // namespace

std::string table(const std::vector<std::vector<std::string>>& rows, bool cells_are_markup) {
  if (rows.empty()) return "";
  std::string out = "<table><tr>";
  for (const auto& h : rows[0]) out += "<th>" + escape(h) + "</th>";
  out += "</tr>";
  for (std::size_t r = 1; r < rows.size(); ++r) {
    out += "<tr>";
    for (const auto& c : rows[r]) out += "<td>" + keep_units_on_the_line(cells_are_markup ? c : escape(c)) + "</td>";
    out += "</tr>";
  }
  return out + "</table>\n";
}

std::string page(const std::string& title, const std::string& body, const std::string& lang) {
  return "<!DOCTYPE html>\n<html lang=" + lang + "><head><meta charset=utf-8><meta name=viewport content=\"width=device-width\"><title>" +
         escape(title) + "</title><style>" + kStyle + "</style></head><body>\n<h1>" + escape(title) + "</h1>\n" + body +
         "</body></html>\n";
}

}  // namespace lbsim::reports::html
