#!/usr/bin/env python3
"""Runs inside a network namespace of its own (source_semantics_test.sh): the real
HAProxy or nginx serves the very configuration lbsim imported, in front of stand-in
backends at the configuration's own addresses that say which group they belong to; the
sample requests lbsim route --samples writes for the imported scenario's rules go
through it. Each answer must be what lbsim's rule table decided: the same target group,
path, redirect and status. Exit 1 with every difference listed.

Usage: route_through_source.py LBSIM IMPORTED_SCENARIO haproxy|nginx CONFIG"""
import http.client, http.server, json, os, re, signal, socket, ssl, subprocess, sys, threading, time

lbsim, scenario, proxy, config = sys.argv[1:5]
failures = []


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True)


def lbsim_group(name):
    """The group name lbsim's importer gives a backend or upstream (import/values.cpp)."""
    out = "".join(c.lower() if c.isalnum() or c == "_" else "-" for c in name)
    if not out or not out[0].isalpha():
        out = "g-" + out
    return out + "-group" if out in ("l4", "l7", "client") else out


def backends_of(text):
    """(address, port, group) for every server of every backend or upstream block."""
    found, group = [], None
    for line in text.splitlines():
        words = line.split("#")[0].split()
        if not words:
            continue
        if words[0] in ("backend", "upstream") and len(words) > 1:
            group = lbsim_group(words[1])
        elif words[0] in ("frontend", "listen", "defaults", "global"):
            group = None
        elif words[0] == "server" and group and len(words) > (2 if proxy == "haproxy" else 1):
            m = re.match(r"(\d+\.\d+\.\d+\.\d+):(\d+)", words[2] if proxy == "haproxy" else words[1])
            if m:
                found.append((m.group(1), int(m.group(2)), group))
        elif words[0] == "}":
            group = None if proxy == "nginx" else group
    return found


class Backend(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self):
        body = json.dumps({"group": self.server.group, "path": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_DELETE = do_PUT = do_HEAD = answer

    def log_message(self, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


run("ip", "link", "set", "lo", "up")
servers = []
# The configuration and every file beside it (nginx's includes).
texts = []
for folder, _, names in os.walk(os.path.dirname(os.path.abspath(config))):
    texts += [open(os.path.join(folder, n)).read() for n in sorted(names) if n.endswith((".cfg", ".conf"))]
for ip, port, group in backends_of("\n".join(texts)):
    subprocess.run(["ip", "addr", "add", ip + "/32", "dev", "lo"], capture_output=True)
    s = QuietServer((ip, port), Backend)
    s.group = group
    threading.Thread(target=s.serve_forever, daemon=True).start()
    servers.append(s)
samples = json.loads(run(lbsim, "route", scenario, "--samples", "--format", "json").stdout)
for sample in samples:
    src = sample["request"]["source_ip"]
    if not src.startswith("127."):
        subprocess.run(["ip", "addr", "add", src + "/32", "dev", "lo"], capture_output=True)

cmd = ["haproxy", "-db", "-f", config] if proxy == "haproxy" else ["nginx", "-c", config, "-e", "stderr", "-g", "daemon off;"]
proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)


def send(sample):
    r = sample["request"]
    conn = http.client.HTTPSConnection("127.0.0.1", 443, context=ssl._create_unverified_context(), timeout=5, source_address=(r["source_ip"], 0))
    headers = {"Host": r["host"], **r["headers"]}
    if r["cookies"]:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in r["cookies"].items())
    conn.request(r["method"], r["path"] + ("?" + r["query"] if r["query"] else ""), headers=headers)
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, dict((k.lower(), v) for k, v in resp.getheaders()), body


checked = 0
try:
    for _ in range(100):
        if proc.poll() is not None:
            sys.exit(f"{proxy} exited at start: {proc.stderr.read()}")
        try:
            socket.create_connection(("127.0.0.1", 443), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    for sample in samples:
        if sample["rule"] is None:
            continue
        r = sample["request"]
        what = f"{proxy}: {r['method']} {r['host']}{r['path']}{'?' + r['query'] if r['query'] else ''} from {r['source_ip']} (lbsim: {sample['rule']}, {sample['action']})"
        status, headers, body = send(sample)
        checked += 1
        if sample["action"] == "forward":
            groups = sorted(g["group"] for g in sample["groups"])
            if status != 200:
                failures.append(f"{what}: answered {status}, lbsim forwards to {groups}")
                continue
            echo = json.loads(body)
            if echo["group"] not in groups:
                failures.append(f"{what}: went to {echo['group']}, lbsim to {groups}")
            expected = sample["path"] + ("?" + r["query"] if r["query"] else "")
            if echo["path"] != expected:
                failures.append(f"{what}: the backend got {echo['path']}, lbsim sends {expected}")
        elif sample["action"] == "redirect":
            if status != sample["status"] or headers.get("location") != sample["location"]:
                failures.append(f"{what}: answered {status} to {headers.get('location')}, lbsim {sample['status']} to {sample['location']}")
        elif status != sample["status"]:
            failures.append(f"{what}: answered {status}, lbsim {sample['status']}")
finally:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    for s in servers:
        s.shutdown()
if failures:
    print("\n".join(failures))
    print(f"{proxy}'s log:\n" + "\n".join(proc.stderr.read().splitlines()[-10:]))
    sys.exit(1)
if checked < 5:
    sys.exit(f"only {checked} sample requests checked")
print(f"ok: {checked} sample requests, each answered by {proxy} running the source configuration as lbsim's imported rules decide")
