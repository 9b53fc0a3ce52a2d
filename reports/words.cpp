// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/words.hpp"

namespace lbsim::reports {

namespace {

using text::Message;

// Korean: as in the trace's catalog, no particle follows a slot (a name or a figure).
const std::vector<Message> kWords = {
    // ---- the terminal summary ----
    {"sum.title", "lbsim: {0} ({1}), seed {2}", "lbsim: {0} ({1}), 시드 {2}"},
    {"sum.simulated", "simulated {0} s in {1} s of wall time", "시뮬레이션한 시간 {0}초, 실제로 걸린 시간 {1}초"},
    {"sum.testbed", "measured on real packets (testbed): {0} s of traffic and answers, {1} s of wall time in all",
     "실제 패킷으로 측정(테스트베드): 트래픽과 응답 {0}초, 실제로 걸린 시간 모두 {1}초"},
    {"sum.label.replay", "replay", "로그 재생"},
    {"sum.replay", "{0}: {1} requests sent from {2} log lines", "{0}: 로그 {2}줄에서 보낸 요청 {1}개"},
    {"sum.replay_before", ", {0} before `from`", ", `from` 이전 {0}개"},
    {"sum.replay_late", ", {0} logged out of order and sent late", ", 순서가 어긋나게 기록되어 늦게 보낸 요청 {0}개"},
    {"sum.replay_malformed", ", {0} malformed lines skipped", ", 형식이 잘못되어 건너뛴 줄 {0}개"},
    {"sum.replay_skipped", "skipped {0}", "건너뜀: {0}"},
    {"sum.label.warmup", "warm-up", "워밍업"},
    {"sum.warmup", "requests sent in the first {0} s are left out of the figures below",
     "처음 {0}초 동안 보낸 요청은 아래 수치에서 뺐다"},
    {"sum.label.requests", "requests", "요청"},
    {"sum.requests", "sent {0}  completed {1}  failed {2}  throughput {3}", "보냄 {0}  완료 {1}  실패 {2}  처리량 {3}"},
    {"sum.label.latency", "latency", "지연 시간"},
    {"sum.latency", "mean {0}  p50 {1}  p90 {2}  p99 {3}  p99.9 {4}  max {5} ms",
     "평균 {0}  p50 {1}  p90 {2}  p99 {3}  p99.9 {4}  최대 {5} ms"},
    {"sum.label.failures", "failures", "실패"},
    {"sum.lost_on_the_way", "  (lost on the way {0})", "  (가는 길에 유실 {0})"},
    {"sum.zone_columns", "zone|requests|completed|failed|p50 ms|p99 ms", "영역|요청|완료|실패|p50 ms|p99 ms"},
    {"sum.group_columns", "target group|backends|requests|failed|util|p50 ms|p99 ms", "대상 그룹|백엔드|요청|실패|사용률|p50 ms|p99 ms"},
    {"sum.node_columns", "node|kind|zone|requests|util", "노드|종류|영역|요청|사용률"},
    {"sum.fault_columns", "fault|start|detect|recover|by|errors|lost|p99 change", "장애|시작|감지|복구|복구 방식|오류|유실|p99 변화"},
    {"sum.fault_key", "(detect and recover: seconds since the fault began; 'failover': back while the fault lasted)",
     "(감지와 복구: 장애가 시작된 뒤 흐른 초. '페일오버': 장애가 이어지는 동안 돌아왔다)"},
    {"sum.slo", "slo", "SLO"},
    {"sum.slo_all_met", "every objective met", "모든 목표를 지켰다"},
    {"sum.slo_missed", "{0} of {1} objectives missed", "목표 {1}개 중 {0}개를 지키지 못했다"},
    {"sum.slo_figures", "overall {0} (limit {1})", "전체 {0} (한도 {1})"},
    {"sum.slo_worst", ", worst {0} s window from {1} s: {2}", ", 가장 나쁜 {0}초 구간({1}초부터): {2}"},
    {"sum.warning", "warning: {0}", "경고: {0}"},
    {"sum.wrote", "wrote report.html, summary.json, timeseries.csv, latency*.hgrm, topology.dot and traces in {0}",
     "{0} 폴더에 report.html, summary.json, timeseries.csv, latency*.hgrm, topology.dot, 요청 추적을 썼다"},
    // Shared by the terminal and the page.
    {"pass", "PASS", "충족"},
    {"fail", "FAIL", "미달"},
    {"never", "never", "없음"},
    {"recovery.failover", "failover", "페일오버"},
    {"recovery.fault_ended", "fault ended", "장애 종료"},
    {"recovery.never", "never", "없음"},

    // ---- a fault's narrative (reports/fault_report.hpp), in pieces said one after the other ----
    {"fault.began_to_end", "{0} began at {1} and lasted to the end of the run", "{0} 장애는 {1}에 시작해 실행이 끝날 때까지 이어졌다"},
    {"fault.began_ended", "{0} began at {1} and ended {2} later", "{0} 장애는 {1}에 시작해 {2} 뒤에 끝났다"},
    {"fault.affecting", ", affecting {0} nodes.", ". 영향을 받은 노드는 {0}개다."},
    {"fault.affecting_one", ", affecting 1 node.", ". 영향을 받은 노드는 1개다."},
    {"fault.stop", ".", "."},
    {"fault.undetected", " No health check or outlier detection marked an affected node down while it lasted.",
     " 장애가 이어지는 동안 어떤 헬스 체크나 이상치 탐지도 영향을 받은 노드를 다운으로 표시하지 않았다."},
    {"fault.who.l4", " The L4 tier's health checks", " L4 티어의 헬스 체크가"},
    {"fault.who.l4_passive", " The L4 tier's passive checks (connections failing on live traffic)",
     " L4 티어의 패시브 체크가(실제 트래픽에서 실패한 연결을 보고)"},
    {"fault.who.l7", " The L7 tier's health checks", " L7 티어의 헬스 체크가"},
    {"fault.who.outlier", " Outlier detection", " 이상치 탐지가"},
    {"fault.marked", " marked {0} targets down", " 대상 {0}개를 다운으로 표시했다"},
    {"fault.marked_one", " marked 1 target down", " 대상 1개를 다운으로 표시했다"},
    {"fault.ejected", " ejected {0} targets", " 대상 {0}개를 제외했다"},
    {"fault.ejected_one", " ejected 1 target", " 대상 1개를 제외했다"},
    {"fault.when_at", " {0} after the start.", "(시작 뒤 {0})."},
    {"fault.when_range", " {0} to {1} after the start.", "(시작 뒤 {0}~{1})."},
    {"fault.dns", " DNS stopped announcing {0} {1} after the start ({2}); answers cached before then expired by {3}",
     " DNS는 시작 뒤 {1}에 {0} 노드를 더 알리지 않았고(이유: {2}), 그 전에 캐시된 답은 {3}까지 만료되었다"},
    {"fault.dns_again", "; it was announced again {0} after the start", ". 시작 뒤 {0}에 다시 알렸다"},
    {"fault.failover", " Latency and errors were back to their pre-fault level {0} after the start, while the fault lasted: the layout routed around it.",
     " 지연 시간과 오류는 시작 뒤 {0}에, 장애가 이어지는 동안 장애 전 수준으로 돌아왔다. 구성이 장애를 우회했다."},
    {"fault.recovered_after_end", " Latency and errors came back to their pre-fault level only {0} after the start, once the fault had ended: the layout did not route around it.",
     " 지연 시간과 오류는 장애가 끝난 뒤, 시작 뒤 {0}에야 장애 전 수준으로 돌아왔다. 구성이 장애를 우회하지 못했다."},
    {"fault.not_recovered", " Latency and errors did not come back to their pre-fault level before the run ended.",
     " 지연 시간과 오류는 실행이 끝날 때까지 장애 전 수준으로 돌아오지 않았다."},
    {"fault.no_baseline", " There was no fault-free time before it to compare with, so no recovery is judged.",
     " 그 전에 비교할 장애 없는 시간이 없어 복구 여부를 판정하지 않는다."},
    {"fault.window", " Over that window, {0} requests failed or were lost.", " 그 구간에서 요청 {0}개가 실패하거나 유실되었다."},
    {"fault.window_one", " Over that window, 1 request failed or was lost.", " 그 구간에서 요청 1개가 실패하거나 유실되었다."},

    // ---- traces.md ----
    {"traces.title", "Sample request traces", "표본 요청 추적"},
    {"traces.intro", "Each request hop by hop: time, OSI layer, headers read and rewritten, decisions.",
     "요청마다 홉별로: 시각, OSI 계층, 읽고 바꾼 헤더, 결정."},
    {"traces.request", "Request {0}", "요청 {0}"},

    // ---- replications (lbsim run --replications N) ----
    {"rep.title", "lbsim: {0} ({1}), {2} replications, seeds {3}..", "lbsim: {0} ({1}), 반복 실행 {2}회, 시드 {3}.."},
    {"rep.each", "each figure: the mean over the replications and its 95 % confidence interval (Student t)",
     "각 수치: 반복 실행의 평균과 95% 신뢰 구간(스튜던트 t 분포)"},
    {"rep.warmup", "warm-up: requests sent in the first {0} s are left out of every figure", "워밍업: 처음 {0}초 동안 보낸 요청은 모든 수치에서 뺐다"},
    {"rep.transient", " (replication 1's transient, by {0}: {1} s)", " (반복 실행 1의 과도 구간, {0} 방법: {1}초)"},
    {"rep.first", "replication 1 (seed {0}):", "반복 실행 1(시드 {0}):"},
    {"rep.saturated", "saturation was flagged in {0} of {1} replications", "반복 실행 {1}회 중 {0}회에서 포화가 표시되었다"},
    {"rep.columns", "figure|mean|95 % interval|± share of the mean", "수치|평균|95% 구간|평균 대비 ±"},
    {"rep.resolution", "< 0.1 % (resolution)", "< 0.1 % (측정 해상도)"},
    {"rep.heading", "Over {0} replications", "반복 실행 {0}회"},
    {"rep.note", "Each figure: the mean over independent replications (seeds {0} and those derived from it) and its 95 % confidence "
                 "interval (Student t). The tables and charts below are replication 1's (seed {0}).",
     "각 수치: 독립된 반복 실행(시드 {0}과 그로부터 만든 시드)의 평균과 95% 신뢰 구간(스튜던트 t 분포). 아래 표와 차트는 반복 실행 "
     "1(시드 {0})의 것이다."},

    // ---- report.html ----
    {"page.lang", "en", "ko"},
    {"page.context", "{0}, seed {1}, {2} of traffic, {3} simulated", "{0}, 시드 {1}, 트래픽 {2}, 시뮬레이션 {3}"},
    {"page.context_warmup", ", the first {0} left out as warm-up", ", 처음 {0}은 워밍업이라 뺐다"},
    {"page.summary", "Summary", "요약"},
    {"page.summary_columns", "measure|value", "항목|값"},
    {"page.sent", "requests sent", "보낸 요청"},
    {"page.completed", "completed", "완료"},
    {"page.failed", "failed", "실패"},
    {"page.throughput", "throughput", "처리량"},
    {"page.latency_mean", "latency mean", "평균 지연 시간"},
    {"page.max", "max", "최대"},
    {"page.lost", "lost on the way", "가는 길에 유실"},
    {"page.unanswered", "unanswered at the end", "끝날 때 응답받지 못한 요청"},
    {"page.failed_kind", "failed: {0}", "실패: {0}"},
    {"page.warnings", "Warnings", "경고"},
    {"page.zones", "Zones", "영역"},
    {"page.zone_columns", "zone|requests|completed|failed|p50|p99|L4 util|L7 util|backend util",
     "영역|요청|완료|실패|p50|p99|L4 사용률|L7 사용률|백엔드 사용률"},
    {"page.groups", "Target groups", "대상 그룹"},
    {"page.group_columns", "group|backends|requests|failed|utilization|while in service|busiest|p50|p99",
     "그룹|백엔드|요청|실패|사용률|서비스 중 사용률|가장 바쁜 백엔드|p50|p99"},
    {"page.groups_note",
     "<b>utilization</b>: the group's busy time over its capacity for the whole run; <b>while in service</b>: over the time each "
     "backend could take work (crashed, dark or deregistered time left out); <b>busiest</b>: the backend a mean can hide.",
     "<b>사용률</b>: 실행 전체에서 그룹의 용량 대비 바쁜 시간. <b>서비스 중 사용률</b>: 각 백엔드가 일을 받을 수 있던 시간만 "
     "따진 값(멈추거나, 연결이 끊기거나, 등록 해제된 시간은 뺐다). <b>가장 바쁜 백엔드</b>: 평균이 가릴 수 있는 백엔드."},
    {"page.nodes", "Nodes", "노드"},
    {"page.node_columns", "node|kind|zone|requests|utilization|received|sent", "노드|종류|영역|요청|사용률|받은 양|보낸 양"},
    {"page.faults", "Faults", "장애"},
    {"page.fault_columns", "fault|starts at|detect|detected by tier|recover|recovered by|errors|lost|p99 change|cross-zone bytes change",
     "장애|시작 시각|감지|티어별 감지|복구|복구 방식|오류|유실|p99 변화|영역 간 바이트 변화"},
    {"page.targets", "{0} target", "대상 {0}개"},
    {"page.targets_plural", "{0} targets", "대상 {0}개"},
    {"page.faults_note",
     "Times after the start column are seconds since the fault began. <b>detect</b>: the first unhealthy verdict or outlier "
     "ejection on a node the fault affects; <b>detected by tier</b>: each tier's first and last such verdict while the fault "
     "lasted (l4: the L4 nodes' checks; l7: the L7 nodes' checks of backends; outlier: ejections on live errors). "
     "<b>recover</b>: the first second from which three seconds in a row have a p99 within 1.1× and an error share within 0.1 "
     "point of the 30 s before the fault; <b>recovered by</b> <i>failover</i> when that came while the fault lasted, <i>fault "
     "ended</i> when only once it was over. <b>changes</b> are the impact window's figure minus the pre-fault level, signed.",
     "시작 시각 다음 열의 시간은 장애가 시작된 뒤 흐른 초다. <b>감지</b>: 장애가 닿은 노드에 처음 내려진 비정상 판정이나 "
     "이상치 제외. <b>티어별 감지</b>: 장애가 이어지는 동안 각 티어가 내린 그런 판정의 처음과 마지막(l4: L4 노드의 헬스 체크, "
     "l7: L7 노드가 백엔드에 하는 헬스 체크, outlier: 실제 오류에 따른 제외). <b>복구</b>: 그때부터 3초 연속으로 p99가 장애 전 "
     "30초의 1.1배 안에, 오류 비율이 0.1%p 안에 드는 첫 초. <b>복구 방식</b>: 장애가 이어지는 동안 돌아왔으면 <i>페일오버</i>, "
     "장애가 끝난 뒤에야 돌아왔으면 <i>장애 종료</i>. <b>변화</b>는 영향 구간의 수치에서 장애 전 수준을 뺀 값(부호 있음)이다."},
    {"page.slo", "Service-level objectives", "서비스 수준 목표(SLO)"},
    {"page.slo_columns", "objective|result|overall|limit|worst window", "목표|결과|전체|한도|가장 나쁜 구간"},
    {"page.health", "Health over time", "시간에 따른 헬스 상태"},
    {"page.health_quiet", "No check or ejection held any target out, and DNS kept announcing every L4 node.",
     "어떤 헬스 체크나 제외도 대상을 빼지 않았고, DNS는 모든 L4 노드를 계속 알렸다."},
    {"page.health_note",
     "Each line counts the targets at least one node's checks of that kind held out at that moment: the L4 nodes' active "
     "checks and passive checks (connections failing on live traffic), the L7 nodes' checks of their backends, and outlier "
     "ejections; the last counts the L4 nodes DNS stopped announcing (clients that resolved before keep using them until "
     "their cached answer expires). Shaded: faults in force.",
     "각 선은 그 순간 그 종류의 헬스 체크가 적어도 한 노드에서 뺀 대상의 수다. L4 노드의 액티브 체크와 패시브 체크(실제 "
     "트래픽에서 실패한 연결), L7 노드가 백엔드에 하는 헬스 체크, 이상치 제외. 마지막 선은 DNS가 더 알리지 않은 L4 노드의 "
     "수다(그 전에 이름을 조회한 클라이언트는 캐시된 답이 만료될 때까지 그 노드를 계속 쓴다). 음영: 장애가 이어지는 구간."},
    {"page.over_time", "Over time", "시간에 따른 변화"},
    {"page.guide", "L4 or L7? The decision guide, applied", "L4인가 L7인가? 이 시나리오에 적용한 판단 기준"},
    {"page.footer", "Made by lbsim; every figure in the tables is summary.json's, written for reading.",
     "lbsim이 만들었다. 표의 모든 수치는 summary.json의 값을 읽기 쉽게 쓴 것이다."},
    // Charts.
    {"chart.time", "time (s)", "시간(초)"},
    {"chart.cdf", "Latency distribution (all requests)", "지연 시간 분포(모든 요청)"},
    {"chart.cdf_x", "latency (ms, log scale)", "지연 시간(ms, 로그 눈금)"},
    {"chart.cdf_y", "share of requests at or below (%)", "그 값 이하인 요청의 비율(%)"},
    {"chart.all_requests", "all requests", "모든 요청"},
    {"chart.latency", "p50 and p99 latency over time", "시간에 따른 p50, p99 지연 시간"},
    {"chart.latency_y", "latency (ms)", "지연 시간(ms)"},
    {"chart.throughput", "Throughput per entry zone, and errors", "진입 영역별 처리량과 오류"},
    {"chart.throughput_y", "requests per second", "초당 요청 수"},
    {"chart.zone_ok", "zone {0} ok", "영역 {0} 성공"},
    {"chart.errors", "errors (all zones)", "오류(모든 영역)"},
    {"chart.utilization", "Utilization per balancer node, and backends per group", "로드밸런서 노드별, 그룹별 백엔드의 사용률"},
    {"chart.utilization_y", "utilization (%)", "사용률(%)"},
    {"chart.backends", "backends {0}", "백엔드 {0}"},
    {"chart.l4_links", "L4 nodes' NIC traffic, each direction", "L4 노드 NIC 트래픽(방향별)"},
    {"chart.mb_per_s", "MB per second", "초당 MB"},
    {"chart.in", "{0} in", "{0} 들어옴"},
    {"chart.out", "{0} out", "{0} 나감"},
    {"chart.cross_zone", "Bytes crossing zone boundaries", "영역 경계를 넘는 바이트"},
    {"chart.cross_zone_series", "cross-zone", "영역 간"},
    {"chart.fault_start", "start: {0}", "시작: {0}"},
    {"chart.fault_end", "end: {0}", "끝: {0}"},
    {"chart.health", "Health verdicts over time: targets each judge held out, L4 nodes out of DNS",
     "시간에 따른 헬스 판정: 판정 주체별로 뺀 대상, DNS에서 빠진 L4 노드"},
    {"chart.health_y", "count", "개수"},
    {"chart.health_l4_check", "L4 active checks", "L4 액티브 체크"},
    {"chart.health_l4_passive", "L4 passive checks", "L4 패시브 체크"},
    {"chart.health_l7_check", "L7 checks", "L7 헬스 체크"},
    {"chart.health_outlier", "outlier ejections", "이상치 제외"},
    {"chart.health_dns", "L4 nodes DNS did not announce", "DNS가 알리지 않은 L4 노드"},
    {"chart.health_fault", "fault: {0}", "장애: {0}"},
    // The decision guide (the article's questions).
    {"guide.traffic", "Traffic: HTTP{0} from {1} client population(s): an L7 balancer can read it, an L4 balancer carries it without looking.",
     "트래픽: 클라이언트 집단 {1}개의 HTTP{0}. L7 로드밸런서는 이를 읽을 수 있고, L4 로드밸런서는 들여다보지 않고 나른다."},
    {"guide.routing", "Content routing: {0} listener rule(s) choose by host, path, header or cookie: only an L7 tier can do that.",
     "콘텐츠 라우팅: 리스너 규칙 {0}개가 호스트, 경로, 헤더, 쿠키로 대상을 고른다. 이는 L7 티어만 할 수 있다."},
    {"guide.no_routing", "Content routing: none needed: every request goes to the same pool, which an L4 tier does.",
     "콘텐츠 라우팅: 필요 없다. 모든 요청이 같은 풀로 가며, 이는 L4 티어로 충분하다."},
    {"guide.tls_l7", "TLS: terminated at the L7 tier ({0} CPU-seconds of handshakes), which can then read and route the requests; the backends see plain HTTP.",
     "TLS: L7 티어에서 종료한다(핸드셰이크에 CPU {0}초). 그래서 L7 티어가 요청을 읽고 라우팅할 수 있고, 백엔드는 평문 HTTP를 받는다."},
    {"guide.tls_l4", "TLS: passed through the L4 tier; the backends terminate it ({0} CPU-seconds of handshakes) and nothing in front can read the requests.",
     "TLS: L4 티어는 그대로 통과시키고 백엔드가 종료한다(핸드셰이크에 CPU {0}초). 앞단의 어떤 노드도 요청을 읽을 수 없다."},
    {"guide.performance", "Performance: {0} requests/s; the busiest zone's L4 nodes run at {1} %{2}. An L4 tier forwards packets without parsing them; an L7 tier spends CPU per request and per handshake.",
     "성능: 초당 요청 {0}개. 가장 바쁜 영역의 L4 노드 사용률 {1}%{2}. L4 티어는 패킷을 해석하지 않고 전달하고, L7 티어는 요청과 핸드셰이크마다 CPU를 쓴다."},
    {"guide.performance_l7", ", its L7 nodes at {0} %", ", L7 노드 사용률 {0}%"},
    {"guide.features", "L7-only features in use: {0}.", "쓰고 있는 L7 전용 기능: {0}."},
    {"guide.sticky", "cookie stickiness ({0})", "쿠키 스티키 세션({0})"},
    {"guide.waf", "a WAF", "WAF"},
    {"guide.rate_limits", "rate limits", "요청 수 제한"},
    {"guide.l4_l7", "Verdict: L4 + L7, as laid out: the L7 tier is needed for what it reads; the L4 tier in front gives stable addresses and spreads connections over the L7 nodes.",
     "결론: 지금 구성대로 L4 + L7. L7 티어는 그것이 읽는 내용 때문에 필요하고, 앞의 L4 티어는 고정된 주소를 주고 연결을 L7 노드에 나눈다."},
    {"guide.add_l7", "Verdict: this layout has no L7 tier, but the scenario asks for what only L7 can do: add one.",
     "결론: 이 구성에는 L7 티어가 없는데, 시나리오는 L7만 할 수 있는 일을 요구한다. L7 티어를 더하라."},
    {"guide.drop_l7", "Verdict: nothing here needs L7: an L4-only layout would serve the same traffic with less CPU and latency (compare with lbsim compare).",
     "결론: 여기에는 L7이 필요한 것이 없다. L4만 둔 구성이 같은 트래픽을 더 적은 CPU와 지연 시간으로 처리할 것이다(lbsim compare로 비교해 보라)."},
    {"guide.l4_only", "Verdict: L4 only: nothing here needs the request's contents.", "결론: L4만. 여기에는 요청 내용이 필요한 것이 없다."},
};

}  // namespace

const text::Catalog& report_words() {
  static const text::Catalog catalog(kWords);
  return catalog;
}

std::string say(std::string_view id, text::Language language, std::vector<std::string> args) {
  return report_words().render({std::string(id), std::move(args)}, language);
}

std::vector<std::string> say_list(std::string_view id, text::Language language) {
  const std::string all = say(id, language);
  std::vector<std::string> out;
  for (std::size_t from = 0;;) {
    const std::size_t bar = all.find('|', from);
    out.push_back(all.substr(from, bar - from));
    if (bar == std::string::npos) return out;
    from = bar + 1;
  }
}

}  // namespace lbsim::reports
