#!/usr/bin/env bash
# What a teacher opens in Wireshark: the L7 node's capture of a two-tier run shows the
# two TCP connections of a proxied request — the client's to the L7 node on 443, whose
# first bytes are a TLS handshake record (the request inside is encrypted), and the L7
# node's own to a backend on 8080, carrying the same request in clear HTTP. The shipped
# capture the TLS lesson points at shows the same. Root, as every testbed test.
set -uo pipefail
lbsim="$1"
scenario="$2"
shipped="$3"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$lbsim" testbed "$scenario" --duration 1s --set 'clients.0.arrival.rate=10/s' --pcap "$out/pcap" -q || { echo "the testbed run failed"; exit 1; }
python3 - "$out/pcap/l7-a-0.pcap" "$shipped" <<'PY'
import struct, sys

def connections(path):
    """TCP payloads by connection (client side first), from a libpcap file of Ethernet frames."""
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    assert magic in (0xA1B2C3D4, 0xA1B23C4D), f"{path}: not a libpcap file"
    at, flows = 24, {}
    while at + 16 <= len(data):
        _, _, caplen, _ = struct.unpack("<IIII", data[at:at + 16])
        frame = data[at + 16:at + 16 + caplen]
        at += 16 + caplen
        if len(frame) < 54 or frame[12:14] != b"\x08\x00" or frame[23] != 6:
            continue
        ihl = (frame[14] & 0x0F) * 4
        src, dst = frame[26:30], frame[30:34]
        tcp = frame[14 + ihl:]
        sport, dport = struct.unpack("!HH", tcp[:4])
        payload = tcp[(tcp[12] >> 4) * 4:]
        total = struct.unpack("!H", frame[16:18])[0]
        payload = payload[:max(0, total - ihl - (tcp[12] >> 4) * 4)]
        key = (src, sport, dst, dport)
        if payload:
            flows.setdefault(key, b"")
            flows[key] += payload
    return flows

for path in sys.argv[1:]:
    flows = connections(path)
    to_proxy = [p for (s, sp, d, dp), p in flows.items() if dp == 443 and s[0] == 198]
    to_backend = [p for (s, sp, d, dp), p in flows.items() if dp == 8080 and d[:3] == bytes([10, 1, 20])]
    assert to_proxy, f"{path}: no client connection to the L7 node's port 443"
    assert all(p[:1] == b"\x16" and p[1:2] == b"\x03" for p in to_proxy), f"{path}: a client connection does not start with a TLS handshake record"
    assert not any(b"GET /api/users" in p for p in to_proxy), f"{path}: the client's request is readable on the wire"
    assert to_backend, f"{path}: no connection from the L7 node to a backend's port 8080"
    assert any(p.startswith(b"GET /api/users HTTP/1.1") for p in to_backend), f"{path}: no request in clear on the backend connection"
    print(f"ok: {path}: {len(to_proxy)} TLS connection(s) from clients, {len(to_backend)} plain HTTP connection(s) to backends")
PY
