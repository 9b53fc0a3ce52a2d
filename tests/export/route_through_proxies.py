#!/usr/bin/env python3
"""Runs inside a network namespace of its own (export_semantics_test.sh): the exported
HAProxy and nginx configurations serve the sample requests lbsim route --samples writes
for each rule, in front of stand-in backends that echo who they are and what reached
them. Each answer must be lbsim's: the same target group (for a weighted forward, each
group in its share), the same rewritten path and host, the same redirect and fixed
response. Exit 1 with every difference listed."""
import http.client, http.server, json, os, re, signal, socket, ssl, subprocess, sys, threading, time

lbsim, scenario, work = sys.argv[1:4]
failures = []


def run(*cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


run("ip", "link", "set", "lo", "up")
samples = json.loads(run(lbsim, "route", scenario, "--samples", "--format", "json").stdout)


class Backend(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self):
        body = json.dumps({"backend": self.server.name, "path": self.path, "host": self.headers.get("Host", "")}).encode()
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
        pass  # a health check or a proxy closing a pooled connection: not a failure


def start_backends(config_text):
    servers = []
    for name, ip, port in re.findall(r"server (\S+) (\d+\.\d+\.\d+\.\d+):(\d+)", config_text):
        run("ip", "addr", "add", ip + "/32", "dev", "lo")
        s = QuietServer((ip, int(port)), Backend)
        s.name = name
        threading.Thread(target=s.serve_forever, daemon=True).start()
        servers.append(s)
    return servers


def wait_for_port(port, proc, what):
    for _ in range(100):
        if proc.poll() is not None:
            sys.exit(f"{what} exited at start: {proc.stderr.read() if proc.stderr else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"{what} is not listening on {port}")


def send(sample):
    r = sample["request"]
    context = ssl._create_unverified_context()
    conn = http.client.HTTPSConnection("127.0.0.1", 443, context=context, timeout=5, source_address=(r["source_ip"], 0))
    url = r["path"] + ("?" + r["query"] if r["query"] else "")
    headers = {"Host": r["host"], **r["headers"]}
    if r["cookies"]:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in r["cookies"].items())
    conn.request(r["method"], url, headers=headers)
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, dict((k.lower(), v) for k, v in resp.getheaders()), body


def group_of(backend):
    return backend.rsplit("-", 2)[0]  # api-a-1 -> api


def check(proxy, sample):
    what = f"{proxy}: {sample['request']['method']} {sample['request']['host']}{sample['request']['path']} (written for {sample['written_for']}, lbsim: {sample['rule']})"
    action = sample.get("action")
    tries = 200 if action == "forward" and len(sample["groups"]) > 1 else 1
    seen = {}
    for _ in range(tries):
        status, headers, body = send(sample)
        if action == "forward":
            if status != 200:
                return failures.append(f"{what}: answered {status}, lbsim forwards")
            echo = json.loads(body)
            seen[group_of(echo["backend"])] = seen.get(group_of(echo["backend"]), 0) + 1
            expected_path = sample["path"] + ("?" + sample["request"]["query"] if sample["request"]["query"] else "")
            if echo["path"] != expected_path:
                return failures.append(f"{what}: the backend got path {echo['path']}, lbsim sends {expected_path}")
            if echo["host"].split(":")[0] != sample["host"]:
                return failures.append(f"{what}: the backend got host {echo['host']}, lbsim sends {sample['host']}")
        elif action == "redirect":
            if status != sample["status"] or headers.get("location") != sample["location"]:
                return failures.append(f"{what}: answered {status} to {headers.get('location')}, lbsim {sample['status']} to {sample['location']}")
        elif action == "fixed_response":
            if status != sample["status"] or len(body) != int(sample["body_bytes"]):
                return failures.append(f"{what}: answered {status} with {len(body)} bytes, lbsim {sample['status']} with {sample['body_bytes']}")
    if action == "forward":
        total = sum(g["weight"] for g in sample["groups"])
        for g in sample["groups"]:
            share = g["weight"] / total
            n = seen.get(g["group"], 0)
            sd = (tries * share * (1 - share)) ** 0.5
            if abs(n - tries * share) > max(5 * sd, 0.5):
                failures.append(f"{what}: {n} of {tries} went to {g['group']}, lbsim sends {share:.0%}")
        stray = set(seen) - {g["group"] for g in sample["groups"]}
        if stray:
            failures.append(f"{what}: went to {sorted(stray)}, lbsim to {[g['group'] for g in sample['groups']]}")


def serve(proxy):
    out = os.path.join(work, proxy)
    run(lbsim, "export", scenario, "--to", proxy, "--out", out)
    config = os.path.join(out, "haproxy.cfg" if proxy == "haproxy" else "nginx.conf")
    if proxy == "haproxy":
        cmd = ["haproxy", "-db", "-f", config]
    else:
        cmd = ["nginx", "-c", config, "-e", "stderr", "-g", f"daemon off; pid {out}/nginx.pid;"]
    return config, subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)


for sample in samples:
    src = sample["request"]["source_ip"]
    if not src.startswith("127."):
        subprocess.run(["ip", "addr", "add", src + "/32", "dev", "lo"], capture_output=True)
backends = None
checked = 0
for proxy in ("haproxy", "nginx"):
    config, proc = serve(proxy)
    try:
        if backends is None:
            backends = start_backends(open(config).read())
        wait_for_port(443, proc, proxy)
        for sample in samples:
            if sample["rule"] is None:
                continue
            check(proxy, sample)
            checked += 1
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
for s in backends or []:
    s.shutdown()
if failures:
    print("\n".join(failures))
    sys.exit(1)
if checked < 2 * (len(samples) - 1):
    sys.exit(f"only {checked} sample requests checked")
print(f"ok: {checked // 2} sample requests, each answered by HAProxy and by nginx as lbsim decides")
