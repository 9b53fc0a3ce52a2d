// SPDX-License-Identifier: GPL-3.0-or-later
#include "tls/handshake.hpp"

namespace lbsim::tls {

std::string_view to_string(Version version) { return version == Version::tls12 ? "1.2" : "1.3"; }
std::string_view to_string(KeyType key) { return key == KeyType::rsa2048 ? "rsa-2048" : "ecdsa-p256"; }

LibraryCost library_cost(Version version, KeyType key, bool resumed) {
  // bench/tls_handshake_bench, medians of three runs on this project's machine kind
  // (microseconds: server, ClientHello, the client's rest).
  struct Row {
    Version version;
    KeyType key;
    bool resumed;
    LibraryCost us;
  };
  static constexpr Row kMeasured[] = {
      {Version::tls13, KeyType::ecdsa_p256, false, {215, 53, 319}},
      {Version::tls13, KeyType::ecdsa_p256, true, {182, 66, 94}},
      {Version::tls13, KeyType::rsa2048, false, {460, 52, 278}},
      {Version::tls13, KeyType::rsa2048, true, {180, 65, 93}},
      {Version::tls12, KeyType::ecdsa_p256, false, {170, 14, 320}},
      {Version::tls12, KeyType::ecdsa_p256, true, {41, 12, 27}},
      {Version::tls12, KeyType::rsa2048, false, {417, 14, 289}},
      {Version::tls12, KeyType::rsa2048, true, {40, 12, 26}},
  };
  for (const Row& row : kMeasured)
    if (row.version == version && row.key == key && row.resumed == resumed)
      return {row.us.server_s * 1e-6, row.us.client_hello_s * 1e-6, row.us.client_finish_s * 1e-6};
  return {};
}

HandshakePlan plan(Version version, KeyType key, bool resumed) {
  HandshakePlan p;
  const LibraryCost library = library_cost(version, key, resumed);
  p.server_cpu_s = library.server_s + kServerSocketWork;
  p.client_hello_cpu_s = library.client_hello_s;
  p.client_finish_cpu_s = library.client_finish_s;
  p.client_flight_bytes = 350;
  if (!resumed) {
    p.tls_round_trips = version == Version::tls12 ? 2 : 1;
    // A certificate chain (leaf + intermediate): ~3 KB with RSA keys, ~2 KB with ECDSA.
    p.server_flight_bytes = key == KeyType::rsa2048 ? 3400 : 2300;
  } else {
    p.tls_round_trips = 1;
    p.server_flight_bytes = 300;
  }
  return p;
}

}  // namespace lbsim::tls
