// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What setting up a connection costs before the first request byte: round trips, the
// terminating server's CPU and the client's.
//
// Round trips: TCP's handshake is one (the request rides with the final ACK). TLS 1.2
// adds two for a full handshake and one for an abbreviated (resumed) one; TLS 1.3 adds
// one either way (0-RTT early data is not modelled).
//
// CPU, measured rather than summed from primitives. `openssl speed` prices the
// primitives on this project's machines (OpenSSL 3.0, one core of a 2.6 GHz x86-64):
// RSA-2048 sign 211 us, ECDSA P-256 sign 14.3 us, X25519 23.8 us. Their sum (72 us for
// a full TLS 1.3 ECDSA handshake) is what this model charged until the testbed measured
// real handshakes at several times that: OpenSSL 3.0's handshake path (provider
// look-ups, certificate encoding, allocation, the key schedule) costs more than its
// arithmetic, and a server also does socket work around each handshake.
//
// So a handshake costs:
// - OpenSSL's own work on each side (`library_cost`): a whole handshake in memory, with
//   no socket, timed on each side's thread CPU clock by bench/tls_handshake_bench (the
//   testbed's own contexts: X25519 first, session tickets), medians of three runs;
// - on the server, `kServerSocketWork` on top: accepting, reading the ClientHello and
//   writing the flight through the kernel. Measured as the testbed backends' handshake
//   thread CPU less the library's share (400-435 us for full and resumed, TLS 1.2
//   and 1.3: 420 us), and the same size as Debian 12's HAProxy 2.6 spends around its handshakes
//   on loopback (docs/ARCHITECTURE.md: 330-490 us beyond the library's).
// The client's CPU is time on the request's path, before its ClientHello and after the
// server's flight; the server's holds whatever terminates TLS (a backend worker, an L7
// core) as a request's service does.
#include <cstdint>
#include <string_view>

namespace lbsim::tls {

enum class Version { tls12, tls13 };
enum class KeyType { rsa2048, ecdsa_p256 };

std::string_view to_string(Version version);
std::string_view to_string(KeyType key);

inline constexpr std::uint8_t kTcpRoundTrips = 1;

// OpenSSL's CPU per handshake on each side (seconds).
struct LibraryCost {
  double server_s = 0;
  double client_hello_s = 0;   // building the ClientHello (its key share)
  double client_finish_s = 0;  // reading the server's flight(s), verifying, its Finished
};
LibraryCost library_cost(Version version, KeyType key, bool resumed);

// A server's socket work around each handshake, beyond OpenSSL's (see above).
inline constexpr double kServerSocketWork = 420e-6;

struct HandshakePlan {
  std::uint8_t tls_round_trips = 0;  // on top of TCP's one
  double server_cpu_s = 0;           // spent by the terminating tier, once per handshake
  double client_hello_cpu_s = 0;     // the client's, before its ClientHello leaves
  double client_finish_cpu_s = 0;    // the client's, after the server's (first) flight
  double client_flight_bytes = 0;    // ClientHello (+ key share)
  double server_flight_bytes = 0;    // ServerHello ... Finished (+ certificate chain when full)
};

HandshakePlan plan(Version version, KeyType key, bool resumed);

}  // namespace lbsim::tls
