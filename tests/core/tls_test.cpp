// SPDX-License-Identifier: GPL-3.0-or-later
#include "tls/handshake.hpp"

#include <gtest/gtest.h>

namespace lbsim::tls {
namespace {

TEST(TlsHandshake, RoundTripsByVersionAndResumption) {
  EXPECT_EQ(plan(Version::tls12, KeyType::ecdsa_p256, false).tls_round_trips, 2);
  EXPECT_EQ(plan(Version::tls12, KeyType::ecdsa_p256, true).tls_round_trips, 1);
  EXPECT_EQ(plan(Version::tls13, KeyType::rsa2048, false).tls_round_trips, 1);
  EXPECT_EQ(plan(Version::tls13, KeyType::rsa2048, true).tls_round_trips, 1);
  EXPECT_EQ(kTcpRoundTrips, 1);
}

TEST(TlsHandshake, ServerCpuAddsUpTheMeasuredOperations) {
  // Full: 2 x 23.8 us (X25519) + the signature + 10 us.
  EXPECT_NEAR(plan(Version::tls13, KeyType::rsa2048, false).server_cpu_s, 47.6e-6 + 211e-6 + 10e-6, 1e-12);
  EXPECT_NEAR(plan(Version::tls13, KeyType::ecdsa_p256, false).server_cpu_s, 47.6e-6 + 14.3e-6 + 10e-6, 1e-12);
  // Resumed 1.3 keeps the key exchange, drops the signature; resumed 1.2 drops both.
  EXPECT_NEAR(plan(Version::tls13, KeyType::rsa2048, true).server_cpu_s, 57.6e-6, 1e-12);
  EXPECT_NEAR(plan(Version::tls12, KeyType::rsa2048, true).server_cpu_s, 10e-6, 1e-12);
  // The article's point in numbers: an RSA full handshake costs ~27x a resumed 1.2 one.
  EXPECT_GT(plan(Version::tls12, KeyType::rsa2048, false).server_cpu_s / plan(Version::tls12, KeyType::rsa2048, true).server_cpu_s, 25);
}

TEST(TlsHandshake, FullHandshakesCarryTheCertificate) {
  EXPECT_GT(plan(Version::tls13, KeyType::rsa2048, false).server_flight_bytes, plan(Version::tls13, KeyType::rsa2048, true).server_flight_bytes);
  EXPECT_EQ(to_string(KeyType::ecdsa_p256), "ecdsa-p256");
  EXPECT_EQ(to_string(Version::tls12), "1.2");
}

}  // namespace
}  // namespace lbsim::tls
