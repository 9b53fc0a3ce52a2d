// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/request.hpp"

namespace lbsim::models {

l7::RequestView MixEntry::view(std::uint32_t source_ip) const {
  l7::RequestView v;
  v.method = spec->method;
  v.host = spec->host;
  v.path = spec->path;
  v.query = spec->query;
  v.headers = headers;
  v.cookies = cookies;
  v.source_ip = source_ip;
  return v;
}

}  // namespace lbsim::models
