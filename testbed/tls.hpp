// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// TLS for the testbed's L4-only layouts, where TLS passes through the L4 tier and the
// backends terminate it (OpenSSL through Boost.Asio's ssl::context).
//
// The server side holds a freshly made self-signed certificate of the group's key type
// (ECDSA P-256 or RSA-2048: the signature the simulator's cost model prices) and offers
// X25519 only, the key exchange the model prices. Resumption is by session tickets; every
// backend of a group encrypts its tickets with one key derived from the scenario's seed
// and the group's name, as a fleet behind a TLS-passthrough NLB must: the L4 tier may
// send a resuming client to any of them. The client side speaks exactly the population's
// TLS version and does not verify the certificate (it was made a moment ago).
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "tls/handshake.hpp"

namespace lbsim::testbed {

boost::asio::ssl::context make_server_tls(tls::KeyType key, const std::string& ticket_secret);
boost::asio::ssl::context make_client_tls(tls::Version version);

// A session a client may resume (OpenSSL's SSL_SESSION, reference counted).
using TlsSession = std::shared_ptr<struct ssl_session_st>;
TlsSession resumable_session(struct ssl_st* ssl);  // empty when the connection offered none
bool offer_session(struct ssl_st* ssl, const TlsSession& session);

// A self-signed certificate for lbsim.test and its private key, in one PEM text (as
// HAProxy's `crt` and nginx's ssl_certificate and ssl_certificate_key read it): what
// `lbsim export` writes beside a configuration, and real proxies in the testbed load.
std::string self_signed_pem(tls::KeyType key, int valid_days);

// The 80 bytes of a session-ticket key (name, HMAC key, AES key) derived from `secret`.
std::string ticket_key_material(const std::string& secret);

}  // namespace lbsim::testbed
