#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every figure a lesson's text quotes is what the lesson's run shows.

Each entry below names a lesson, the run its text describes (a variant, or a fault given
with --set as the GUI's right-click gives it), the words the English text uses and the
figure as the Korean text writes it (both must be in the texts: change a text and this
test makes you change the figure, and the other way round), where the figure is in the
run's summary.json (or, for a path starting "trace N:", in request N's trace as
`lbsim trace --format json` gives it), and how close the run must be: exactly, or within
what "about" allows. A lesson's run is deterministic (same file, same seed), so a figure that moves
means the model or the lesson changed, and the text must follow.

    lesson_figures.py LBSIM SOURCE_DIR
"""
import json
import os
import re
import subprocess
import sys
import tempfile

LBSIM, SOURCE = sys.argv[1], sys.argv[2]

L4_ONLY = ("l7=~", "l4.target_group=app")  # the window's side by side of a file without an l4-only variant
SLOW_CANARY_A0 = "faults=[{ at: 5s, kind: slow_backend, targets: canary-a-0, factor: 10, for: 30s }]"
CRASH_API_A0 = "faults=[{ at: 5s, kind: backend_crash, targets: api-a-0, for: 30s }]"
CRASH_APP_A0 = "faults=[{ at: 5s, kind: backend_crash, targets: app-a-0, for: 30s }]"
SLOW_APP_A0 = "faults=[{ at: 5s, kind: slow_backend, targets: app-a-0, factor: 10, for: 30s }]"
ZONE_B_OUTAGE = "faults=[{ at: 5s, kind: zone_outage, zone: b, for: 30s }]"  # the window's right-click: L7 nodes and backends
ZONAL_SHIFT_B = "faults=[{ at: 5s, kind: zonal_shift, zone: b, for: 30s }]"

# (lesson, variant, --set, English words, Korean words, summary.json path, expected, tolerance)
# variant: a name, None for the file as written, or (a, b) for the figure of a less b's.
# expected: a number, or (low, high) for a range the text gives ("3-5 s").
# tolerance: 0 exactly; below 1 a share of the expected value (of 0: an absolute one); else an absolute difference.
FIGURES = [
    # Lesson 1: where L4 and L7 sit in the OSI model.
    ("01", None, None, "About 5,000 requests complete", "약 5,000개 요청", "requests.completed", 5000, 0.02),
    ("01", None, None, "none fail", "모두 성공한다", "requests.failed", 0, 0),
    ("01", None, None, "The p50 is about 53 ms", "53 ms", "latency_ms.p50", 53, 0.03),
    ("01", None, None, "the p99 is about 150 ms", "150 ms", "latency_ms.p99", 150, 0.03),
    ("01", None, None, "each L4 node is about 0.02 % busy", "0.02 %", "nodes[name=l4-a-0].utilization", 0.0002, 0.25),
    ("01", None, None, "each L7 node about 2.4 %", "2.4 %", "nodes[name=l7-a-0].utilization", 0.024, 0.05),
    ("01", None, L4_ONLY, "(71 ms\n   against 72 ms)", "71 ms", "latency_ms.mean", 71, 0.01),
    ("01", None, None, "(71 ms\n   against 72 ms)", "72 ms", "latency_ms.mean", 72, 0.01),
    ("01", None, None, "The same 0.73 CPU-seconds of TLS work", "0.73", "nodes[kind=l7].tls.cpu_seconds", 0.73, 0.02),
    ("01", None, L4_ONLY, "The same 0.73 CPU-seconds of TLS work", "0.73", "nodes[kind=backend].tls.cpu_seconds", 0.73, 0.02),
    ("01", None, SLOW_APP_A0, "to 300–330 ms", "300~330 ms", "latency_ms.p99", (300, 330), 0),
    ("01", None, None, "layer-6 row shows the TLS handshake (0.635 ms of CPU)", "CPU 0.635 ms", "trace 3: hops[node=l7-a-0,osi_layer=6].tls_ms", 0.635, 0.0005),
    # Lesson 2: what an L4 balancer sees, and its algorithms.
    ("02", "round-robin", None, "send the same 8,864", "8,864", "requests.sent", 8864, 0),
    ("02", "source-ip-hash", None, "send the same 8,864", "8,864", "requests.sent", 8864, 0),
    ("02", "round-robin", None, "about 59 ms p50 and 143 ms p99", "p50 약 59 ms", "latency_ms.p50", 59, 0.03),
    ("02", "source-ip-hash", None, "about 59 ms p50 and 143 ms p99", "p50 약 59 ms", "latency_ms.p50", 59, 0.03),
    ("02", "round-robin", None, "about 59 ms p50 and 143 ms p99", "p99 약 143 ms", "latency_ms.p99", 143, 0.03),
    ("02", "source-ip-hash", None, "about 59 ms p50 and 143 ms p99", "p99 약 143 ms", "latency_ms.p99", 143, 0.03),
    ("02", "round-robin", None, "about 1,460 each", "약 1,460개씩", "nodes[name=app-a-0].requests", 1460, 0.02),
    ("02", "round-robin", None, "about 1,460 each", "약 1,460개씩", "nodes[name=app-a-2].requests", 1460, 0.02),
    ("02", "source-ip-hash", None, "about 750, 2,120 and 1,510", "약 750, 2,120, 1,510개", "nodes[name=app-a-0].requests", 750, 0.02),
    ("02", "source-ip-hash", None, "about 750, 2,120 and 1,510", "약 750, 2,120, 1,510개", "nodes[name=app-a-1].requests", 2120, 0.02),
    ("02", "source-ip-hash", None, "about 750, 2,120 and 1,510", "약 750, 2,120, 1,510개", "nodes[name=app-a-2].requests", 1510, 0.02),
    ("02", "round-robin", SLOW_APP_A0, "to about 278 ms under round robin", "278 ms", "latency_ms.p99", 278, 0.03),
    ("02", "maglev", SLOW_APP_A0, "about 300 ms under Maglev", "약 300 ms", "latency_ms.p99", 300, 0.03),
    ("02", "least-connections", SLOW_APP_A0, "the p99 reaches about 260 ms", "약 260 ms", "latency_ms.p99", 260, 0.03),
    ("02", "least-connections", SLOW_APP_A0, "(about 1,300 requests instead of\n   1,460)", "1,300개", "nodes[name=app-a-0].requests", 1300, 0.03),
    ("02", "round-robin", SLOW_APP_A0, "(about 1,300 requests instead of\n   1,460)", "1,460개 대신", "nodes[name=app-a-0].requests", 1460, 0.02),
    ("02", "round-robin", CRASH_APP_A0, "about 14 requests are reset", "약 14개", "requests.failures.reset", 14, 0),
    ("02", "round-robin", CRASH_APP_A0, "take it out about 0.1 s later", "약 0.1초", "faults[0].detection[tier=l4_passive].first_s", 0.1, 0.2),
    ("02", "round-robin", CRASH_APP_A0, "only about 3.5 s later", "약 3.5초", "faults[0].detection[tier=l4].first_s", 3.5, 0.03),
    ("02", "least-connections", CRASH_APP_A0, "about 9 are reset", "약 9개", "requests.failures.reset", 9, 0),
    ("02", "least-connections", CRASH_APP_A0, "(about 0.06 s)", "약 0.06초", "faults[0].detection[tier=l4_passive].first_s", 0.06, 0.1),
    ("02", "weighted-round-robin", None, "about 2,190, 1,460 and 730 requests", "약 2,190, 1,460, 730개", "nodes[name=app-a-0].requests", 2190, 0.02),
    ("02", "weighted-round-robin", None, "about 2,190, 1,460 and 730 requests", "약 2,190, 1,460, 730개", "nodes[name=app-a-1].requests", 1460, 0.02),
    ("02", "weighted-round-robin", None, "about 2,190, 1,460 and 730 requests", "약 2,190, 1,460, 730개", "nodes[name=app-a-2].requests", 730, 0.02),
    # Lesson 3: DNAT against DSR.
    ("03", "dnat", None, "send the same 11,868 requests", "11,868", "requests.sent", 11868, 0),
    ("03", "dsr", None, "send the same 11,868 requests", "11,868", "requests.sent", 11868, 0),
    ("03", "dnat", None, "and all\n   complete", "실패 없이 끝난다", "requests.completed", 11868, 0),
    ("03", "dsr", None, "and all\n   complete", "실패 없이 끝난다", "requests.completed", 11868, 0),
    ("03", "dnat", None, "about 50 ms p50 and 144 ms p99", "p50은 약 50 ms", "latency_ms.p50", 50, 0.03),
    ("03", "dsr", None, "about 50 ms p50 and 144 ms p99", "p50은 약 50 ms", "latency_ms.p50", 50, 0.03),
    ("03", "dnat", None, "about 50 ms p50 and 144 ms p99", "p99는 약 144 ms", "latency_ms.p99", 144, 0.03),
    ("03", "dsr", None, "about 50 ms p50 and 144 ms p99", "p99는 약 144 ms", "latency_ms.p99", 144, 0.03),
    ("03", ("dnat", "dsr"), None, "DSR's\n   mean is 0.25 ms lower", "약 0.25 ms 낮다", "latency_ms.mean", 0.25, 0.1),
    ("03", "dnat", None, "its NICs carry about 8 GB", "약 8 GB", "nodes[kind=l4].rx_bytes + nodes[kind=l4].tx_bytes", 8e9, 0.05),
    ("03", "dsr", None, "they carry about 14 MB", "약 14 MB", "nodes[kind=l4].rx_bytes + nodes[kind=l4].tx_bytes", 14e6, 0.05),
    ("03", "dnat", None, "L4 utilization falls from about 4 %", "약 4 %", "nodes[name=l4-a-0].utilization", 0.04, 0.1),
    ("03", "dsr", None, "to almost 0", "거의 0", "nodes[name=l4-a-0].utilization", 0, 0.001),
    ("03", "dnat", CRASH_APP_A0, "about 300 under DNAT", "약 300건", "requests.failures.reset", 300, 0.05),
    ("03", "dsr", CRASH_APP_A0, "about 420 under DSR", "약 420건", "requests.failures.reset", 420, 0.05),
    ("03", "dnat", CRASH_APP_A0, "about 0.07 s after the crash", "약\n   0.07초", "faults[0].detection[tier=l4_passive].first_s", 0.07, 0.1),
    # Lesson 4: content routing. (Backend utilization below is the two zones' sum: twice their mean.)
    ("04", None, None, "About 14,800 requests", "약 14,800개", "requests.sent", 14800, 0.01),
    ("04", None, None, "and no failures", "모두 성공한다", "requests.failed", 0, 0),
    ("04", None, None, "api about 5,650", "api 약 5,650", "target_groups[group=api].sent", 5650, 0.01),
    ("04", None, None, "static 4,400", "static 4,400", "target_groups[group=static].sent", 4400, 0.01),
    ("04", None, None, "admin 1,450", "admin 1,450", "target_groups[group=admin].sent", 1450, 0.01),
    ("04", None, None, "beta 1,450", "beta 1,450", "target_groups[group=beta].sent", 1450, 0.01),
    ("04", None, None, "ws 1,490", "ws 1,490", "target_groups[group=ws].sent", 1490, 0.01),
    ("04", None, None, "and canary 327", "canary 327", "target_groups[group=canary].sent", 327, 0),
    ("04", None, None, "p50 about 43 ms against\n   51 ms for api", "p50 약 43 ms", "target_groups[group=static].latency_ms.p50", 43, 0.02),
    ("04", None, None, "p50 about 43 ms against\n   51 ms for api", "api는 51 ms", "target_groups[group=api].latency_ms.p50", 51, 0.02),
    ("04", None, None, "about 3,720 sticky hits", "약 3,720건", "target_groups[group=api].sticky.hits", 3720, 0.01),
    ("04", None, None, "and 1,930 misses", "miss 1,930건", "target_groups[group=api].sticky.misses", 1930, 0.01),
    ("04", "routed", None, "Both runs send the same 14,764 requests", "14,764개", "requests.sent", 14764, 0),
    ("04", "one-pool", None, "Both runs send the same 14,764 requests", "14,764개", "requests.sent", 14764, 0),
    ("04", ("one-pool", "routed"), None, "rises by about 2.3 ms", "약\n   2.3 ms 늘어난다", "latency_ms.mean", 2.3, 0.05),
    ("04", "routed", None, "from 4.0 % to 4.45 %", "4.0 %에서", "zones[zone=a].utilization.backend + zones[zone=b].utilization.backend", 0.080, 0.02),
    ("04", "one-pool", None, "from 4.0 % to 4.45 %", "4.45 %로", "zones[zone=a].utilization.backend + zones[zone=b].utilization.backend", 0.089, 0.02),
    ("04", None, SLOW_CANARY_A0, "p99 jumps to about 760 ms", "약 760 ms", "target_groups[group=canary].latency_ms.p99", 760, 0.03),
    ("04", None, SLOW_CANARY_A0, "the overall p99 stays near 150 ms", "약 150 ms", "latency_ms.p99", 150, 0.03),
    ("04", None, CRASH_API_A0, "About 900 api\n   requests get a 502", "약 900건", "requests.failures.502", 900, 0.05),
    # Lesson 5: TLS termination and its CPU.
    ("05", None, None, "the client spends 0.053 ms of its own CPU", "CPU 0.053 ms", "trace 3: hops[node=client-web,message=ClientHello].tls_ms", 0.053, 0.0005),
    ("05", None, None, "a layer-6 row shows 0.635 ms of handshake CPU", "핸드셰이크 CPU 0.635 ms", "trace 3: hops[node=l7-b-0,osi_layer=6].tls_ms", 0.635, 0.0005),
    ("05", "rsa-at-l7", None, "RSA-2048 certificate costs 0.880 ms", "0.880 ms", "trace 3: hops[node=l7-b-0,osi_layer=6].tls_ms", 0.880, 0.0005),
    ("05", None, None, "about 8,770,\nhalf of them resumed", "약 8,770번", "nodes[kind=l7].tls.full + nodes[kind=l7].tls.resumed", 8770, 0.01),
    ("05", None, None, "about 8,770,\nhalf of them resumed", "절반", "nodes[kind=l7].tls.resumed", 4385, 0.02),
    ("05", "terminate-at-l7", None, "The TLS CPU is the same, about\n   5.4 CPU-seconds", "5.4 CPU초", "nodes[kind=l7].tls.cpu_seconds", 5.4, 0.02),
    ("05", "passthrough", None, "The TLS CPU is the same, about\n   5.4 CPU-seconds", "5.4 CPU초", "nodes[kind=backend].tls.cpu_seconds", 5.4, 0.02),
    ("05", "terminate-at-l7", None, "(about 10 % busy", "사용률 약 10 %", "nodes[name=l7-a-0].utilization", 0.10, 0.05),
    ("05", "terminate-at-l7", None, "p50 about 126 ms", "약 126 ms", "latency_ms.p50", 126, 0.01),
    ("05", "passthrough", None, "p50 about 126 ms", "약 126 ms", "latency_ms.p50", 126, 0.01),
    ("05", "rsa-at-l7", None, "TLS CPU rises to about\n     6.5 s (+20 %)", "약 6.5초(+20 %)", "nodes[kind=l7].tls.cpu_seconds", 6.5, 0.02),
    ("05", "rsa-at-l7", None, "L7 utilization to about 12 %", "약\n     12 %", "nodes[name=l7-a-0].utilization", 0.12, 0.03),
    ("05", "no-resumption", None, "to 5.6 s", "5.6초", "nodes[kind=l7].tls.cpu_seconds", 5.6, 0.02),
    ("05", ("tls12-no-resumption", "no-resumption"), None, "rises by about 40 ms", "40 ms 늘어난다", "latency_ms.p50", 40, 0.03),
    ("05", "tls12-no-resumption", None, "(to about 166 ms)", "약 166 ms", "latency_ms.p50", 166, 0.01),
    # Lesson 8: the decision guide, on internal gRPC.
    ("08", "l4-plus-l7", None, "The same 19,657 requests in both", "19,657개", "requests.sent", 19657, 0),
    ("08", "l4-only", None, "The same 19,657 requests in both", "19,657개", "requests.sent", 19657, 0),
    ("08", "l4-plus-l7", None, "no\n   failures", "실패 없이", "requests.failed", 0, 0),
    ("08", "l4-only", None, "no\n   failures", "실패 없이", "requests.failed", 0, 0),
    ("08", ("l4-plus-l7", "l4-only"), None, "about 1.1 ms faster on average", "약 1.1 ms 빠르고", "latency_ms.mean", 1.1, 0.05),
    ("08", "l4-only", None, "(8.6 against 9.7 ms)", "8.6 ms 대", "latency_ms.mean", 8.6, 0.01),
    ("08", "l4-plus-l7", None, "(8.6 against 9.7 ms)", "9.7 ms", "latency_ms.mean", 9.7, 0.01),
    # (the two nodes' sum: twice their mean)
    ("08", "l4-only", None, "about 0.03 % busy", "약 0.03 %", "nodes[kind=l4].utilization", 0.0006, 0.2),
    ("08", "l4-plus-l7", None, "the L7 nodes' 2.5 %", "L7 노드(2.5 %)", "nodes[kind=l7].utilization", 0.05, 0.03),
    ("08", "l4-only", None, "from 980 to 4,930 requests", "980개에서", "nodes[name=orders-a-0].requests", 980, 0.01),
    ("08", "l4-only", None, "from 980 to 4,930 requests", "4,930개까지", "nodes[name=orders-b-1].requests", 4930, 0.01),
    ("08", "l4-only", None, "(4 % to 20 % busy)", "사용률 4 %~20 %", "nodes[name=orders-a-0].utilization", 0.04, 0.05),
    ("08", "l4-only", None, "(4 % to 20 % busy)", "사용률 4 %~20 %", "nodes[name=orders-b-1].utilization", 0.20, 0.05),
    ("08", "l7-without-rules", None, "(about 2,450 per\n   backend)", "약 2,450개", "nodes[name=orders-a-0].requests", 2450, 0.02),
    ("08", "l7-without-rules", None, "(about 2,450 per\n   backend)", "약 2,450개", "nodes[name=orders-b-0].requests", 2450, 0.02),
    # Lesson 6: the same request through L4 only and through L4 + L7.
    ("06", "l4-only", None, "exactly the same 14,969", "14,969", "requests.sent", 14969, 0),
    ("06", "two-tier", None, "exactly the same 14,969", "14,969", "requests.sent", 14969, 0),
    ("06", "l4-only", None, "none fail in either", "실패가 없다", "requests.failed", 0, 0),
    ("06", "two-tier", None, "none fail in either", "실패가 없다", "requests.failed", 0, 0),
    ("06", "two-tier", None, "about 4,440 requests", "4,440", "target_groups[group=premium].sent", 4440, 0.01),
    ("06", "two-tier", None, "(about 10,530)", "10,530", "target_groups[group=app].sent", 10530, 0.01),
    ("06", "l4-only", None, "(77.1 → 78.4 ms)", "77.1 → 78.4 ms", "latency_ms.mean", 77.1, 0.05),
    ("06", "two-tier", None, "(77.1 → 78.4 ms)", "77.1 → 78.4 ms", "latency_ms.mean", 78.4, 0.05),
    ("06", "two-tier", None, "about 11 MB of cross-zone traffic", "11 MB", "timeline.cross_zone_bytes_total", 11e6, 0.1),
    ("06", "two-tier", None, "L7\n   nodes about 5 % busy", "약 5 %", "nodes[name=l7-a-0].utilization", 0.05, 0.1),
    ("06", "two-tier", None, "L7\n   nodes about 5 % busy", "약 5 %", "nodes[name=l7-b-0].utilization", 0.05, 0.1),
    ("06", "l4-only", SLOW_APP_A0, "the p99 explodes to about 7 s", "약 7초", "latency_ms.p99", 7000, 0.15),
    ("06", "two-tier", SLOW_APP_A0, "the p99 stays near\n   220 ms", "220 ms", "latency_ms.p99", 220, 0.1),
    ("06", "two-tier", SLOW_APP_A0, "premium group's p99 (about 163 ms)", "163 ms", "target_groups[group=premium].latency_ms.p99", 163, 0.05),
    # Lesson 7: the two-tier architecture through a zone's backends failing at 8 s.
    ("07", "two-tier", None, "exactly the same 30,043 requests", "30,043", "requests.sent", 30043, 0),
    ("07", "l4-only", None, "exactly the same 30,043 requests", "30,043", "requests.sent", 30043, 0),
    ("07", "two-tier", None, "Only 2 of about 30,000 requests fail", "실패는 2개뿐", "requests.failed", 2, 0),
    ("07", "two-tier", None, "the p99 stays\n     about 149 ms", "149 ms", "latency_ms.p99", 149, 0.03),
    ("07", "two-tier", None, "(100 in all)", "모두 100개", "requests.lost", 100, 0),
    ("07", "two-tier", None, "98 of\n     them are retried", "98개", "requests.retries", 98, 0),
    ("07", "two-tier", None, "down 3–5 s after the outage", "3~5초", "faults[0].detection[tier=l7].first_s", (3, 5), 0),
    ("07", "two-tier", None, "down 3–5 s after the outage", "3~5초", "faults[0].detection[tier=l7].last_s", (3, 5), 0),
    ("07", "l4-only", None, "About 2000 requests\n     are lost", "2000개", "requests.lost", 2000, 0.1),
    ("07", "l4-only", None, "64 fail even after their retry", "64개", "requests.failed", 64, 0),
    ("07", "l4-only", None, "the p99 is about 2.2 s", "2.2초", "latency_ms.p99", 2200, 0.05),
    ("07", "two-tier", None, "about 590 MB of cross-zone traffic against 295 MB", "590 MB", "timeline.cross_zone_bytes_total", 590e6, 0.02),
    ("07", "l4-only", None, "about 590 MB of cross-zone traffic against 295 MB", "295 MB", "timeline.cross_zone_bytes_total", 295e6, 0.02),
    ("07", "two-tier", ZONE_B_OUTAGE, "about 1,900 requests are\n   lost", "약 1,900개", "requests.lost", 1900, 0.05),
    ("07", "two-tier", ZONE_B_OUTAGE, "(18 of them fail even after their retry)", "18개", "requests.failed", 18, 0),
    ("07", "two-tier", ZONE_B_OUTAGE, "the p99 is about\n   2.2 s", "p99는 약 2.2초", "latency_ms.p99", 2200, 0.05),
    ("07", "two-tier", ZONAL_SHIFT_B, "no request fails at all", "실패하는 요청이 하나도 없다", "requests.failed", 0, 0),
]


def lesson_file(number, suffix):
    folder = os.path.join(SOURCE, "scenarios", "lessons")
    for name in sorted(os.listdir(folder)):
        if name.startswith(number + "-") and name.endswith(suffix) and (suffix != ".md" or not name.endswith(".ko.md")):
            return os.path.join(folder, name)
    raise SystemExit(f"no lesson {number}{suffix}")


def words(text):
    return re.sub(r"\s+", " ", text.replace("\\", ""))


def figure_at(summary, path):
    """summary.json's value at 'a.b[key=value].c' or 'a[0].b'; where [key=value] selects
    several items (nodes[kind=l7]), the sum of their values (a missing one counts 0);
    'x + y', the sum of two such values."""
    if " + " in path:
        return sum(figure_at(summary, one) for one in path.split(" + "))
    nodes = [summary]
    # A part is a key, then [index] or [key=value,key=value] (every condition holds).
    for part in re.findall(r"[\w-]+(?:\[[^\]]*\])?", path):
        match = re.fullmatch(r"([\w-]+)(?:\[(?:(\d+)|([^\]]+))\])?", part)
        nodes = [n[match.group(1)] for n in nodes if match.group(1) in n]
        if match.group(2) is not None:
            nodes = [n[int(match.group(2))] for n in nodes]
        elif match.group(3) is not None:
            conditions = [c.split("=", 1) for c in match.group(3).split(",")]
            nodes = [item for n in nodes for item in n if all(str(item.get(k)) == v for k, v in conditions)]
    if not nodes:
        raise KeyError(path)
    return sum(nodes) if len(nodes) > 1 else nodes[0]


runs = {}


def trace_of(number, variant, request):
    """Request `request`'s trace, as `lbsim trace --format json` gives it."""
    key = (number, variant, "trace", request)
    if key not in runs:
        command = [LBSIM, "trace", lesson_file(number, ".yaml"), "--request", str(request), "--format", "json"]
        if variant:
            command += ["--variant", variant]
        runs[key] = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    return runs[key]


def figure_of(number, variant, override, path):
    traced = re.fullmatch(r"trace (\d+): (.+)", path)
    if traced:
        return figure_at(trace_of(number, variant, int(traced.group(1))), traced.group(2))
    return figure_at(summary_of(number, variant, override), path)


def summary_of(number, variant, override):
    key = (number, variant, override)
    if key not in runs:
        out = tempfile.mkdtemp(prefix="lbsim-lesson-")
        command = [LBSIM, "run", lesson_file(number, ".yaml"), "-q", "--out", out]
        if variant:
            command += ["--variant", variant]
        for one in (override if isinstance(override, tuple) else (override,) if override else ()):
            command += ["--set", one]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(out, "summary.json")) as f:
            runs[key] = json.load(f)
        subprocess.run(["rm", "-rf", out], check=True)
    return runs[key]


failures = []
for number, variant, override, english, korean, path, expected, tolerance in FIGURES:
    shown = ", ".join(override) if isinstance(override, tuple) else override
    which = " less ".join(variant) if isinstance(variant, tuple) else variant or "as written"
    what = f"lesson {number} ({which}{', ' + shown if shown else ''}): {path}"
    for suffix, quote in ((".md", english), (".ko.md", korean)):
        text = words(open(lesson_file(number, suffix), encoding="utf-8").read())
        if words(quote) not in text:
            failures.append(f"{what}: the text of {os.path.basename(lesson_file(number, suffix))} no longer says '{quote}'")
    if isinstance(variant, tuple):
        actual = figure_of(number, variant[0], override, path) - figure_of(number, variant[1], override, path)
    else:
        actual = figure_of(number, variant, override, path)
    if isinstance(expected, tuple):
        if not expected[0] <= actual <= expected[1]:
            failures.append(f"{what} is {actual}; the text says '{words(english)}' (from {expected[0]} to {expected[1]})")
        continue
    allowed = tolerance * abs(expected) if 0 < tolerance < 1 and expected != 0 else tolerance
    if abs(actual - expected) > allowed + 1e-9:
        failures.append(f"{what} is {actual}; the text says '{words(english)}' ({expected}, within {allowed:g})")

for failure in failures:
    print("FAIL:", failure)
print(f"{len(FIGURES) - len(failures)} of {len(FIGURES)} quoted figures hold, over {len(runs)} runs")
sys.exit(1 if failures else 0)
