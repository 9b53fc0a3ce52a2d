// SPDX-License-Identifier: GPL-3.0-or-later
// A TLS handshake's CPU with nothing but OpenSSL: client and server in one thread, their
// records passed through memory BIOs (no sockets, no kernel), with the testbed's own
// contexts (testbed/tls: X25519, the group's ticket keys). Prints, per handshake — full
// and resumed, TLS 1.2 and 1.3, ECDSA P-256 and RSA-2048 certificates — the server's CPU,
// the client's CPU for its ClientHello and for the rest (reading the server's flights,
// verifying, its Finished), each beside what core/tls charges for it: core/tls's
// library costs are these figures, so a rerun on another machine says how far they hold.
// Asserts nothing.
#include <benchmark/benchmark.h>
#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <time.h>

#include <stdexcept>

#include "testbed/tls.hpp"
#include "tls/handshake.hpp"

namespace {

using namespace lbsim;

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Moves whatever `from` wrote into `to`'s input.
void carry(BIO* from, BIO* to) {
  char buffer[16384];
  for (int n; (n = BIO_read(from, buffer, sizeof buffer)) > 0;) BIO_write(to, buffer, n);
}

struct Result {
  double server_cpu_s = 0;
  double client_hello_cpu_s = 0;
  double client_finish_cpu_s = 0;
  bool resumed = false;
  testbed::TlsSession session;
};

// One handshake; each side's steps are timed on the thread's CPU clock.
Result handshake(SSL_CTX* server_ctx, SSL_CTX* client_ctx, const testbed::TlsSession& offer) {
  SSL* server = SSL_new(server_ctx);
  SSL* client = SSL_new(client_ctx);
  BIO *server_in = BIO_new(BIO_s_mem()), *server_out = BIO_new(BIO_s_mem());
  BIO *client_in = BIO_new(BIO_s_mem()), *client_out = BIO_new(BIO_s_mem());
  SSL_set_bio(server, server_in, server_out);
  SSL_set_bio(client, client_in, client_out);
  SSL_set_accept_state(server);
  SSL_set_connect_state(client);
  testbed::offer_session(client, offer);
  Result result;
  for (int round = 0; round < 10 && !(SSL_is_init_finished(server) && SSL_is_init_finished(client)); ++round) {
    const double client_began = thread_cpu_seconds();
    SSL_do_handshake(client);
    (round == 0 ? result.client_hello_cpu_s : result.client_finish_cpu_s) += thread_cpu_seconds() - client_began;
    carry(client_out, server_in);
    const double server_began = thread_cpu_seconds();
    SSL_do_handshake(server);
    result.server_cpu_s += thread_cpu_seconds() - server_began;
    carry(server_out, client_in);
  }
  if (!SSL_is_init_finished(server) || !SSL_is_init_finished(client)) throw std::runtime_error("handshake did not finish");
  // TLS 1.3's ticket comes after the handshake: let the client read it.
  char byte;
  SSL_read(client, &byte, 1);
  result.resumed = SSL_session_reused(server) == 1;
  result.session = testbed::resumable_session(client);
  SSL_free(server);
  SSL_free(client);
  return result;
}

void BM_Handshake(benchmark::State& state, tls::Version version, tls::KeyType key, bool resumed) {
  auto server = testbed::make_server_tls(key, "bench/app");
  auto client = testbed::make_client_tls(version);
  const testbed::TlsSession session = handshake(server.native_handle(), client.native_handle(), {}).session;
  double server_cpu = 0, hello_cpu = 0, finish_cpu = 0;
  std::int64_t count = 0;
  for (auto _ : state) {
    const Result r = handshake(server.native_handle(), client.native_handle(), resumed ? session : testbed::TlsSession{});
    if (r.resumed != resumed) state.SkipWithError("the handshake did not resume as asked");
    server_cpu += r.server_cpu_s;
    hello_cpu += r.client_hello_cpu_s;
    finish_cpu += r.client_finish_cpu_s;
    ++count;
  }
  const auto per_handshake_us = [count](double seconds) { return seconds / static_cast<double>(count) * 1e6; };
  const tls::LibraryCost model = tls::library_cost(version, key, resumed);
  state.counters["server_us"] = per_handshake_us(server_cpu);
  state.counters["model_server_us"] = model.server_s * 1e6;
  state.counters["client_hello_us"] = per_handshake_us(hello_cpu);
  state.counters["model_hello_us"] = model.client_hello_s * 1e6;
  state.counters["client_finish_us"] = per_handshake_us(finish_cpu);
  state.counters["model_finish_us"] = model.client_finish_s * 1e6;
}


#define LBSIM_HANDSHAKES(name, version, key)                                                              \
  BENCHMARK_CAPTURE(BM_Handshake, name##_full, version, key, false)->Unit(benchmark::kMicrosecond);  \
  BENCHMARK_CAPTURE(BM_Handshake, name##_resumed, version, key, true)->Unit(benchmark::kMicrosecond)
LBSIM_HANDSHAKES(tls13_ecdsa, tls::Version::tls13, tls::KeyType::ecdsa_p256);
LBSIM_HANDSHAKES(tls13_rsa, tls::Version::tls13, tls::KeyType::rsa2048);
LBSIM_HANDSHAKES(tls12_ecdsa, tls::Version::tls12, tls::KeyType::ecdsa_p256);
LBSIM_HANDSHAKES(tls12_rsa, tls::Version::tls12, tls::KeyType::rsa2048);

}  // namespace

BENCHMARK_MAIN();
