// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What a trace says, as message ids with parameters rather than prose, so that each
// reader renders it in its own language: `lbsim trace --language ko`, the GUI's Korean
// window. One catalog holds every message in English and Korean (the Korean words follow
// docs/ko-glossary.md); a parameter is a name or a number, never a sentence.
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lbsim::text {

enum class Language { en, ko };

// "en" or "ko"; nothing for any other name.
std::optional<Language> language_named(std::string_view name);

struct Note {
  std::string id;                 // "l4.new_flow"
  std::vector<std::string> args;  // {0}, {1}, ... in the message
  bool operator==(const Note&) const = default;
};

struct Message {
  std::string_view id, en, ko;
};

// A closed set of messages looked up by id. The trace's notes are one (catalog() below);
// the run summary's and report's words another (reports/words.hpp).
class Catalog {
public:
  explicit Catalog(const std::vector<Message>& messages);
  const std::vector<Message>& messages() const { return messages_; }
  // The message in `language` with its {N} parameter slots filled. An unknown id or a missing
  // argument is a programming error (std::invalid_argument): the catalog is closed.
  std::string render(const Note& note, Language language = Language::en) const;

private:
  const std::vector<Message>& messages_;
  std::unordered_map<std::string_view, const Message*> by_id_;
};

// The trace's notes: every message, for tests and for readers that list them.
const std::vector<Message>& catalog();

// A trace note rendered from catalog().
std::string render(const Note& note, Language language = Language::en);

// A hop's message as the trace names it on the wire ("request", "response 200", "SYN-ACK
// (to the L7 node)", "health check") in `language`. Protocol names (SYN, ClientHello,
// Finished) read the same in both; the trace keeps the English form, which the testbed
// matches packets against.
std::string wire_message(std::string_view message, Language language);

// A field a hop read as the trace names it: a header field ("dst_port", "cookie beta") as
// it is, a description ("the whole HTTP request (the application)") in `language`.
std::string read_field(std::string_view field, Language language);

}  // namespace lbsim::text
