#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes shop-peak.log.gz: two minutes of the imported AWS shop's ALB access log around
an evening peak (2026-12-06 18:00-18:02 UTC, 40 requests/s rising to about 160/s at
18:01:00), as ALB writes it: one gzip'd file, a line per request in the order answers
went, each with its request_creation_time and the target group that served it. The
requests follow the shop's listener rules (tests/import/fixtures/aws/rules.json). It is a
made-up log, seeded: running this again writes the same file."""
import gzip
import math
import os
import random

rng = random.Random(1)
START = 1796580000  # 2026-12-06T18:00:00Z
SPAN = 120.0
GROUP_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/{}/{:016x}"
GROUP_IDS = {g: rng.getrandbits(64) for g in ["api", "canary", "static", "web", "admin"]}

# Browsers: an address each, a keep-alive connection of a few requests at a time.
browsers = [f"203.0.113.{i}" for i in range(1, 201)] + [f"198.51.100.{i}" for i in range(1, 101)]
admins = [f"10.20.{i // 250}.{i % 250 + 1}" for i in range(5)]
connection = {}  # address -> [port, requests left]


def stamp(t):
    whole = int(t)
    micro = int(round((t - whole) * 1e6))
    if micro == 1000000:
        whole, micro = whole + 1, 0
    s = whole - START
    return f"2026-12-06T{18 + s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.{micro:06d}Z"


def port_of(address):
    port, left = connection.get(address, (30000 + rng.randrange(20000), 0))
    if left == 0:
        port, left = port + 1, rng.randint(1, 8)
    connection[address] = (port, left - 1)
    return port


def request():
    """method, host, path, group (None: the balancer answered), service time, status, sent bytes"""
    x = rng.random()
    if x < 0.55:
        group = "canary" if rng.random() < 0.05 else "api"
        return "GET", "www.lbsim.test", f"/api/items/{rng.randint(1, 5000)}", group, rng.lognormvariate(math.log(0.025), 0.5), 200, rng.randint(3000, 8000)
    if x < 0.80:
        return "GET", "www.lbsim.test", rng.choice(["/static/app.js", "/static/app.css", "/static/logo.png"]), "static", rng.lognormvariate(math.log(0.003), 0.3), 200, rng.randint(40000, 120000)
    if x < 0.88:
        return "GET", "www.lbsim.test", "/", "web", rng.lognormvariate(math.log(0.015), 0.4), 200, rng.randint(15000, 25000)
    if x < 0.92:
        return "POST", "www.lbsim.test", "/upload", "api", rng.lognormvariate(math.log(0.060), 0.5), 201, rng.randint(300, 600)
    if x < 0.94:
        return "GET", "www.lbsim.test", "/maintenance", None, -1, 503, 170
    if x < 0.95:
        return "GET", "admin.example.com", "/", "admin", rng.lognormvariate(math.log(0.010), 0.3), 200, rng.randint(5000, 9000)
    return "GET", "www.lbsim.test", f"/api/items/{rng.randint(1, 5000)}", "api", rng.lognormvariate(math.log(0.025), 0.5), 200, rng.randint(3000, 8000)


lines = []
t = 0.0
while True:
    rate = 40 + 120 * math.exp(-(((t - 60) / 20) ** 2))
    t += rng.expovariate(rate)
    if t >= SPAN:
        break
    created = START + t
    method, host, path, group, service, status, sent = request()
    client = rng.choice(admins) if host == "admin.example.com" else rng.choice(browsers)
    received = rng.randint(300, 900) if method == "GET" else rng.randint(20000, 200000)
    tls = "TLSv1.2" if rng.random() < 0.1 else "TLSv1.3"
    cipher = "ECDHE-ECDSA-AES128-GCM-SHA256" if tls == "TLSv1.2" else "TLS_AES_128_GCM_SHA256"
    request_time, response_time = 0.0001 + rng.random() * 0.0004, 0.00005
    if group is None:
        target, target_status, arn, processing, action = "-", "-", "-", "-1", "fixed-response"
        logged = created + request_time
    else:
        target = f"10.0.{rng.randint(1, 2)}.{rng.randint(10, 13)}:8080"
        target_status, arn, processing, action = str(status), GROUP_ARN.format(group, GROUP_IDS[group]), f"{service:.3f}", "forward"
        logged = created + request_time + service + response_time
    lines.append((logged, f'https {stamp(logged)} app/shop-alb/50dc6c495c0c9188 {client}:{port_of(client)} {target} '
                          f'{request_time:.3f} {processing} {response_time:.3f} {status} {target_status} {received} {sent} '
                          f'"{method} https://{host}:443{path} HTTP/1.1" "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0" '
                          f'{cipher} {tls} {arn} "Root=1-{int(created):08x}-{len(lines):024x}" "{host}" '
                          f'"arn:aws:acm:eu-west-1:123456789012:certificate/5d6e7f80-1234-4abc-9def-0123456789ab" 0 {stamp(created)} '
                          f'"{action}" "-" "-" "{target.split(":")[0] + ":8080" if target != "-" else "-"}" "{target_status}" "-" "-"'))

lines.sort(key=lambda line: line[0])  # written as the answers went
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "shop-peak.log.gz"), "wb") as raw:
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as out:
        out.write("".join(line + "\n" for _, line in lines).encode())
print(f"{len(lines)} requests")
