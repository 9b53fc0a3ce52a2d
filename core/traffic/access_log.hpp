// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Access-log lines as requests: ALB's access log, nginx's default "combined" format, the
// common log format and JSON lines, read field by field with no allocation beyond the
// record's own strings (a parser and its record are reused line after line: `lbsim import
// traffic` and the `replay` arrival kind read logs of many gigabytes). Times are worked
// out by hand, in UTC: no time zone database, no clock.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lbsim::traffic {

enum class LogFormat { alb, nginx, clf, jsonl };
std::optional<LogFormat> log_format_named(std::string_view name);
std::string_view log_format_name(LogFormat format);
// What a line of the format looks like, for an error: "an ALB access log line".
std::string_view log_format_expected(LogFormat format);

struct LogRecord {
  // When the request arrived, in seconds since the Unix epoch (ALB: its
  // request_creation_time; the others log one time, when the request came or ended).
  double time_s = 0;
  std::string method = "GET", host, path = "/", query;
  int status = 0;
  double request_bytes = -1, response_bytes = -1;  // -1: not in the line
  double service_s = -1;                           // the target's processing time, if the line has it
  std::string group;                               // the target group, if the line names it
  std::uint32_t client = 0;                        // IPv4, 0 if not in the line
  std::uint16_t client_port = 0;                   // 0 if not in the line (ALB has it: one port, one connection)
  std::string tls_version;                         // "1.2", "1.3", or empty: plain HTTP
  std::string user_agent;                          // the User-Agent header, if the line has it
};

// The top-level keys of a JSON line that lbsim reads (several names for one field).
enum class JsonKey : std::uint8_t {
  time, timestamp, ts, method, host, path, url, uri, status, request_bytes, response_bytes, bytes,
  duration_ms, service_ms, target_group, group, upstream, client, ip, remote_addr, tls_version, user_agent, count
};

// What a JSON line's events leave (nlohmann's SAX interface): the known top-level keys'
// values, in buffers kept from line to line.
struct JsonLine {
  struct Value {
    enum class Kind : std::uint8_t { none, number, text } kind = Kind::none;
    double number = 0;
    std::string text;
  };
  Value values[static_cast<std::size_t>(JsonKey::count)];
  int depth = 0;
  bool top_is_object = false;
  int current = -1;  // the key whose value comes next, if lbsim reads it

  bool null() { return scalar(); }
  bool boolean(bool) { return scalar(); }
  bool number_integer(std::int64_t v) { return number(static_cast<double>(v)); }
  bool number_unsigned(std::uint64_t v) { return number(static_cast<double>(v)); }
  bool number_float(double v, const std::string&) { return number(v); }
  bool string(std::string& v);
  bool binary(std::vector<std::uint8_t>&) { return scalar(); }
  bool start_object(std::size_t);
  bool end_object() { return --depth, current = -1, true; }
  bool start_array(std::size_t) { return ++depth, current = -1, true; }
  bool end_array() { return --depth, true; }
  bool key(std::string& name);
  template <class Exception>
  bool parse_error(std::size_t, const std::string&, const Exception&) { return false; }

private:
  bool scalar() { return current = -1, true; }
  bool number(double v);
};

// Reads lines of one format into a record it reuses.
class AccessLogParser {
public:
  explicit AccessLogParser(LogFormat format) : format_(format) {}
  // Fills `out` from `line` (every field: what the line lacks is reset); false, with
  // `why` and the 1-based column it concerns, when the line is not one of the format's.
  bool parse(std::string_view line, LogRecord& out, std::string& why, int& column);
  LogFormat format() const { return format_; }

private:
  bool parse_alb(std::string_view line, LogRecord& r, std::string& why, int& column);
  bool parse_clf(std::string_view line, LogRecord& r, std::string& why, int& column);
  bool parse_jsonl(std::string_view line, LogRecord& r, std::string& why, int& column);
  LogFormat format_;
  std::vector<std::string_view> words_;
  JsonLine json_;
};

// One line of `format`, as a new record; nothing, with `why`, when it is not one.
std::optional<LogRecord> parse_log_line(LogFormat format, std::string_view line, std::string& why);

// "2026-12-06T10:00:00.186641Z": seconds since the Unix epoch (UTC; a trailing Z, or none).
std::optional<double> iso_time(std::string_view text);

// A path with its variable segments named: numbers "{n}", long hex or UUIDs "{id}".
std::string path_template(std::string_view path);

// A record fit to share (--anonymise): no query string, the path's numbers and ids
// replaced by neutral ones ("/users/{n}" -> "/users/1"), the client's address hashed.
void anonymise(LogRecord& record);

}  // namespace lbsim::traffic
