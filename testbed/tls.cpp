// SPDX-License-Identifier: GPL-3.0-or-later
#include "testbed/tls.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <stdexcept>

namespace lbsim::testbed {
namespace {

namespace ssl = boost::asio::ssl;

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("TLS set-up failed: ") + what);
}

KeyPtr make_key(tls::KeyType type) {
  KeyPtr key(type == tls::KeyType::rsa2048 ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256"));
  check(key != nullptr, "key generation");
  return key;
}

// A certificate for lbsim.test, valid for `days`, signed by its own key.
CertPtr make_certificate(EVP_PKEY* key, int days = 1) {
  CertPtr cert(X509_new());
  check(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24L * 3600 * days);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("lbsim.test"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  check(X509_sign(cert.get(), key, EVP_sha256()) > 0, "certificate signature");
  return cert;
}

void common_settings(SSL_CTX* ctx) {
  // X25519 first: the key exchange the simulator's handshake cost prices, and the one
  // both sides pick. P-256 is listed too because TLS 1.2 lets a server present an ECDSA
  // P-256 certificate only to a client that names the curve among its groups.
  check(SSL_CTX_set1_groups_list(ctx, "X25519:P-256") == 1, "groups");
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION);
}

}  // namespace

std::string self_signed_pem(tls::KeyType key_type, int valid_days) {
  const KeyPtr key = make_key(key_type);
  const CertPtr cert = make_certificate(key.get(), valid_days);
  std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>> out(BIO_new(BIO_s_mem()));
  check(out != nullptr, "BIO_new");
  check(PEM_write_bio_X509(out.get(), cert.get()) == 1, "writing the certificate");
  check(PEM_write_bio_PrivateKey(out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1, "writing the key");
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string ticket_key_material(const std::string& secret) {
  unsigned char first[SHA512_DIGEST_LENGTH], second[SHA256_DIGEST_LENGTH];
  SHA512(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), first);
  const std::string salted = secret + "/aes";
  SHA256(reinterpret_cast<const unsigned char*>(salted.data()), salted.size(), second);
  std::string material(reinterpret_cast<const char*>(first), sizeof first);
  material.append(reinterpret_cast<const char*>(second), 16);
  return material;  // 64 + 16 = 80 bytes: OpenSSL's name (16), HMAC (32) and AES (32) keys
}

ssl::context make_server_tls(tls::KeyType key_type, const std::string& ticket_secret) {
  ssl::context context(ssl::context::tls_server);
  SSL_CTX* ctx = context.native_handle();
  common_settings(ctx);
  const KeyPtr key = make_key(key_type);
  const CertPtr cert = make_certificate(key.get());
  check(SSL_CTX_use_certificate(ctx, cert.get()) == 1, "certificate");
  check(SSL_CTX_use_PrivateKey(ctx, key.get()) == 1, "private key");
  // Resumption by tickets only (no per-process session cache, which a backend the L4
  // tier did not pick could not consult), one ticket per handshake, a key shared by
  // the group.
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(ctx, 1);
  std::string keys = ticket_key_material(ticket_secret);
  check(SSL_CTX_set_tlsext_ticket_keys(ctx, keys.data(), static_cast<long>(keys.size())) == 1, "ticket keys");
  return context;
}

ssl::context make_client_tls(tls::Version version) {
  ssl::context context(ssl::context::tls_client);
  SSL_CTX* ctx = context.native_handle();
  common_settings(ctx);
  const int exact = version == tls::Version::tls13 ? TLS1_3_VERSION : TLS1_2_VERSION;
  SSL_CTX_set_min_proto_version(ctx, exact);
  SSL_CTX_set_max_proto_version(ctx, exact);
  context.set_verify_mode(ssl::verify_none);
  // Sessions are kept by the load generator itself (resumable_session), not a cache.
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
  return context;
}

TlsSession resumable_session(SSL* ssl) {
  const SSL_SESSION* current = SSL_get0_session(ssl);
  if (current == nullptr || SSL_SESSION_is_resumable(current) != 1) return {};
  // A copy, not a reference: when a connection is freed without a close_notify (a
  // browser dropping a `Connection: close` socket does), OpenSSL marks its session not
  // resumable, and a client would then quietly offer nothing.
  SSL_SESSION* copy = SSL_SESSION_dup(current);
  if (copy == nullptr) return {};
  return TlsSession(copy, SSL_SESSION_free);
}

bool offer_session(SSL* ssl, const TlsSession& session) {
  if (session == nullptr) return false;
  // The connection gets its own copy, for the reason above: the kept one must stay
  // resumable for the next connection, however this one ends.
  SSL_SESSION* copy = SSL_SESSION_dup(session.get());
  if (copy == nullptr) return false;
  const bool offered = SSL_set_session(ssl, copy) == 1;
  SSL_SESSION_free(copy);  // the connection holds its own reference
  return offered;
}

}  // namespace lbsim::testbed
