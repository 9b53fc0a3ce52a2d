// SPDX-License-Identifier: GPL-3.0-or-later
#include "tls/handshake.hpp"

namespace lbsim::tls {

std::string_view to_string(Version version) { return version == Version::tls12 ? "1.2" : "1.3"; }
std::string_view to_string(KeyType key) { return key == KeyType::rsa2048 ? "rsa-2048" : "ecdsa-p256"; }

HandshakePlan plan(Version version, KeyType key, bool resumed) {
  HandshakePlan p;
  const double sign = key == KeyType::rsa2048 ? kRsa2048Sign : kEcdsaP256Sign;
  const double key_exchange = 2 * kX25519Multiplication;
  p.client_flight_bytes = 350;
  if (!resumed) {
    p.tls_round_trips = version == Version::tls12 ? 2 : 1;
    p.server_cpu_s = key_exchange + sign + kHandshakeOverhead;
    // A certificate chain (leaf + intermediate): ~3 KB with RSA keys, ~2 KB with ECDSA.
    p.server_flight_bytes = key == KeyType::rsa2048 ? 3400 : 2300;
  } else {
    p.tls_round_trips = 1;
    p.server_cpu_s = (version == Version::tls13 ? key_exchange : 0.0) + kHandshakeOverhead;
    p.server_flight_bytes = 300;
  }
  return p;
}

}  // namespace lbsim::tls
