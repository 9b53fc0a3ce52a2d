// SPDX-License-Identifier: GPL-3.0-or-later
#include "text/messages.hpp"

#include <algorithm>
#include <stdexcept>
#include <unordered_map>

namespace lbsim::text {

namespace {

// Korean: no particle follows a parameter (a node name, a number), since the right
// particle depends on how the parameter is read; the sentence is built around it.
const std::vector<Message> kCatalog = {
    // The client.
    {"client.opens", "opens a TCP connection to the VIP; DNS gave it {0}", "VIP로 TCP 연결을 연다. DNS가 알려 준 노드: {0}"},
    {"client.tls_full", "starts a full TLS handshake (TLS {0})", "TLS 전체 핸드셰이크를 시작한다(TLS {0})"},
    {"client.tls_resume", "resumes a TLS session (TLS {0})", "TLS 세션을 재개한다(TLS {0})"},
    {"client.request", "{0} {1} on connection {2}", "연결 {2}에서 {0} {1}"},
    {"client.request_retry", "{0} {1} on connection {2}, retry {3}", "연결 {2}에서 {0} {1}, 재시도 {3}"},
    {"client.key_share", "the client's CPU made its TLS key share first", "클라이언트 CPU가 먼저 TLS 키 공유 값을 만들었다"},
    {"client.finished", "the client's CPU checked the server's certificate and keys and made its Finished first",
     "클라이언트 CPU가 먼저 서버의 인증서와 키를 확인하고 Finished 메시지를 만들었다"},
    // A kernel's TCP stack.
    {"kernel.answers_syn", "the kernel answers the SYN: nothing waits for the application",
     "커널이 SYN에 답한다. 애플리케이션을 기다리지 않는다"},
    {"kernel.rst", "nothing listens: RST", "듣고 있는 프로세스가 없다: RST"},
    // The L4 tier.
    {"l4.existing_flow", "connection table: an existing flow, kept on {0}", "연결 테이블: 이미 있는 흐름이라 대상은 그대로 {0}"},
    {"l4.new_flow", "a new flow: {0} picked {1}", "새 흐름: {0} 알고리즘이 고른 대상은 {1}"},
    {"l4.reads_tcp_only", "reads no further than the TCP header: the HTTP request inside is opaque to it",
     "TCP 헤더까지만 읽는다. 안에 든 HTTP 요청은 볼 수 없다"},
    {"l4.dnat", "DNAT: the destination IP becomes the target's; its reply must come back through this node",
     "DNAT: 목적지 IP를 대상의 IP로 바꾼다. 응답도 반드시 이 노드를 거쳐 돌아와야 한다"},
    {"l4.dsr", "DSR: only the MAC changes; the target holds the VIP and answers the client directly",
     "DSR: MAC 주소만 바꾼다. 대상이 VIP를 갖고 있어 클라이언트에게 직접 답한다"},
    {"l4.dnat_reply", "DNAT reply: the connection table maps it back; the source becomes the VIP",
     "DNAT 응답: 연결 테이블로 되짚어 출발지를 VIP로 바꾼다"},
    {"l4.no_target", "no registered target: the connection is reset", "등록된 대상이 없어 연결을 리셋한다"},
    {"l4.accept_queue_full", "{0}'s accept queue is full: reset", "accept 큐가 가득 차 리셋한다: {0}"},
    // The L7 tier.
    {"l7.terminates", "the client's TCP and TLS connection ends here: this node holds the certificate and reads HTTP",
     "클라이언트의 TCP·TLS 연결이 여기서 끝난다. 이 노드가 인증서를 갖고 HTTP를 읽는다"},
    {"l7.waf_passed", "WAF: passed", "WAF: 통과"},
    // A rule by its priority ({0}); its conditions as the scenario writes them (field names are keys).
    {"l7.rule_default", "rule default: matched (the default rule takes whatever is left) -> {0}",
     "기본 규칙: 일치 (기본 규칙은 남은 요청을 모두 받는다) -> {0}"},
    {"l7.rule_skipped", "rule priority {0}: skipped, {1} does not match", "우선순위 {0} 규칙: 건너뜀, 맞지 않는 조건: {1}"},
    {"l7.rule_matched", "rule priority {0}: matched -> {1}", "우선순위 {0} 규칙: 일치 -> {1}"},
    {"l7.rule_matched_on", "rule priority {0}: matched on {1} -> {2}", "우선순위 {0} 규칙: 일치, 읽은 조건: {1} -> {2}"},
    {"l7.rule_none", "no rule matched", "일치하는 규칙이 없다"},
    {"l7.tls_full", "full TLS handshake: key exchange and signature on a core", "TLS 전체 핸드셰이크: 키 교환과 서명을 코어 하나에서 계산한다"},
    {"l7.tls_resumed", "resumed TLS handshake: key exchange and signature on a core",
     "재개한 TLS 핸드셰이크: 키 교환과 서명을 코어 하나에서 계산한다"},
    {"l7.sticky", "stickiness ({0}): {1}", "고정 세션({0}): {1}"},
    {"l7.sticky_new_cookie", "stickiness ({0}): {1}; sets a new cookie", "고정 세션({0}): {1}, 새 쿠키를 준다"},
    {"l7.cookie_keeps", "the cookie keeps it on {0}", "쿠키 때문에 대상은 그대로 {0}"},
    {"l7.picked", "{0} picked {1}", "{0} 알고리즘이 고른 대상은 {1}"},
    {"l7.opens_upstream", "no idle connection to it: opens one (SYN) first", "놀고 있는 연결이 없어 먼저 새 연결을 연다(SYN)"},
    {"l7.pooled", "sends the request on its pooled connection to the backend", "백엔드로 열어 둔 풀의 연결로 요청을 보낸다"},
    {"l7.own_connection", "on this node's own connection: the backend sees the L7 node's address, not the client's",
     "이 노드가 맺은 연결이라 백엔드에는 클라이언트가 아닌 L7 노드의 주소가 보인다"},
    {"l7.answers_itself", "answers {0} itself: no backend sees the request", "직접 답한다(상태 {0}). 어느 백엔드도 요청을 보지 못한다"},
    {"l7.relays", "relays the backend's answer on the client's connection (TLS-encrypted again)",
     "백엔드의 응답을 클라이언트의 연결로 넘긴다(다시 TLS로 암호화)"},
    // Backends.
    {"backend.terminates_tls", "terminates TLS itself: TLS passes through an L4 balancer",
     "TLS를 직접 끝낸다. TLS는 L4 로드밸런서를 그대로 통과한다"},
    {"backend.dsr_answer", "answers from the VIP it holds on its loopback (DSR): the reply goes straight to the client",
     "루프백에 둔 VIP로 답한다(DSR). 응답은 클라이언트에게 바로 간다"},
    {"backend.served", "served in {0} us after {1} us in the queue", "큐에서 {1} us 기다린 뒤 {0} us 동안 처리했다"},
    // The text trace's own words (lbsim trace).
    {"trace.title", "request #{0} of {1}: {2} {3}{4}  ->  {5}", "요청 #{0} ({1}): {2} {3}{4}  ->  {5}"},
    {"trace.outcome", "{0} after {1} ms", "{0}, {1} ms 걸림"},
    {"trace.no_outcome", "no outcome by the end of the run", "실행이 끝날 때까지 결과 없음"},
    // A hop's message (text::wire_message), where it has words and not only a protocol's name.
    {"wire.request", "request", "요청"},
    {"wire.response", "response {0}", "응답 {0}"},
    {"wire.health_check", "health check", "헬스 체크"},
    {"wire.health_check_answer", "health check answer", "헬스 체크 응답"},
    {"wire.upstream_syn", "SYN (new connection to the backend)", "SYN (백엔드로 새 연결)"},
    {"wire.upstream_syn_ack", "SYN-ACK (to the L7 node)", "SYN-ACK (L7 노드로)"},
    // What a hop read (text::read_field), where it is a description and not a field's name.
    {"read.tls_handshake", "the TLS handshake (it holds the certificate)", "TLS 핸드셰이크(인증서를 가진 쪽)"},
    {"read.http_request", "the whole HTTP request (the application)", "HTTP 요청 전체(애플리케이션)"},
    {"read.tcp_flags", "TCP flags (SYN)", "TCP 플래그(SYN)"},
    {"trace.columns", "at|node|layer|message|network|queue|tls|work", "시각|노드|계층|메시지|네트워크|큐|TLS|처리"},
    {"trace.reads", "reads {0}", "읽는 필드: {0}"},
    {"trace.rewrites", "rewrites {0} (L{1}): {2} -> {3}", "바꾸는 필드 {0} (L{1}): {2} -> {3}"},
};

}  // namespace

std::optional<Language> language_named(std::string_view name) {
  if (name == "en") return Language::en;
  if (name == "ko") return Language::ko;
  return std::nullopt;
}

Catalog::Catalog(const std::vector<Message>& messages) : messages_(messages) {
  for (const Message& message : messages_) by_id_.emplace(message.id, &message);
}

std::string Catalog::render(const Note& note, Language language) const {
  const auto found = by_id_.find(note.id);
  if (found == by_id_.end()) throw std::invalid_argument("no message '" + note.id + "' in the catalog");
  const std::string_view text = language == Language::ko ? found->second->ko : found->second->en;
  std::string out;
  out.reserve(text.size() + 32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && i + 2 < text.size() && text[i + 2] == '}' && text[i + 1] >= '0' && text[i + 1] <= '9') {
      const auto n = static_cast<std::size_t>(text[i + 1] - '0');
      if (n >= note.args.size()) throw std::invalid_argument("message '" + note.id + "' needs argument {" + std::to_string(n) + "}");
      out += note.args[n];
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

const std::vector<Message>& catalog() { return kCatalog; }

std::string render(const Note& note, Language language) {
  static const Catalog trace_notes(kCatalog);
  return trace_notes.render(note, language);
}

namespace {

// `english` said in `language` if it is one of the messages `ids` names, else as it is.
std::string said_in(std::string_view english, Language language, std::initializer_list<const char*> ids) {
  if (language == Language::en) return std::string(english);
  for (const auto* id : ids)
    if (render({id}, Language::en) == english) return render({id}, language);
  return std::string(english);
}

}  // namespace

std::string wire_message(std::string_view message, Language language) {
  static constexpr std::string_view kResponse = "response ";
  if (language != Language::en && message.starts_with(kResponse))
    return render({"wire.response", {std::string(message.substr(kResponse.size()))}}, language);
  // Anything else is a protocol's own name (SYN, ClientHello), the same in every language.
  return said_in(message, language, {"wire.request", "wire.health_check", "wire.health_check_answer", "wire.upstream_syn", "wire.upstream_syn_ack"});
}

std::string read_field(std::string_view field, Language language) {
  return said_in(field, language, {"read.tls_handshake", "read.http_request", "read.tcp_flags"});
}

}  // namespace lbsim::text
