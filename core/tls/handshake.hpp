// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What setting up a connection costs before the first request byte: round trips and
// the terminating server's CPU.
//
// Round trips: TCP's handshake is one (the request rides with the final ACK). TLS 1.2
// adds two for a full handshake and one for an abbreviated (resumed) one; TLS 1.3 adds
// one either way (0-RTT early data is not modelled).
//
// Server CPU, from `openssl speed -seconds 2 rsa2048 ecdsap256 ecdhx25519` on this
// project's machines (OpenSSL 3.0.19, one core of a 2.6 GHz x86-64; see
// docs/ARCHITECTURE.md): RSA-2048 sign 211 us, ECDSA P-256 sign 14.3 us, X25519
// 23.8 us per scalar multiplication. A full handshake with ECDHE costs the server two
// X25519 multiplications (its key share and the shared secret), one signature with the
// certificate's key, and ~10 us of hashing, key schedule and record work. A resumed
// TLS 1.3 handshake (PSK with (EC)DHE, what browsers use) skips the signature; a
// resumed TLS 1.2 one (session ticket) skips the key exchange too.
#include <cstdint>
#include <string_view>

namespace lbsim::tls {

enum class Version { tls12, tls13 };
enum class KeyType { rsa2048, ecdsa_p256 };

std::string_view to_string(Version version);
std::string_view to_string(KeyType key);

inline constexpr std::uint8_t kTcpRoundTrips = 1;

// Measured per-operation costs (seconds), see above.
inline constexpr double kRsa2048Sign = 211e-6;
inline constexpr double kEcdsaP256Sign = 14.3e-6;
inline constexpr double kX25519Multiplication = 23.8e-6;
inline constexpr double kHandshakeOverhead = 10e-6;

struct HandshakePlan {
  std::uint8_t tls_round_trips = 0;  // on top of TCP's one
  double server_cpu_s = 0;           // spent by the terminating tier, once per handshake
  double client_flight_bytes = 0;    // ClientHello (+ key share)
  double server_flight_bytes = 0;    // ServerHello ... Finished (+ certificate chain when full)
};

HandshakePlan plan(Version version, KeyType key, bool resumed);

}  // namespace lbsim::tls
