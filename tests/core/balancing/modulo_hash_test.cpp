// SPDX-License-Identifier: GPL-3.0-or-later
// Flow hashing (xxh3 over the 5-tuple) and the modulo-hash picker.
#include <gtest/gtest.h>

#include "balancing/registry.hpp"
#include "support/pickers.hpp"

namespace lbsim::balancing {
namespace {

using namespace lbsim::l4;  // flows and their hashes
using test::flow;
using test::targets;

TEST(Hash, IsXxh3WithItsPublishedKnownAnswer) {
  // XXH3_64bits("") with seed 0, from the xxHash reference test vectors.
  EXPECT_EQ(hash_name(""), 0x2D06800538D394C2ULL);
  // The flow hash is over the wire-order bytes: equal tuples hash equal, and any field changes it.
  FlowKey a = flow(1), b = flow(1);
  EXPECT_EQ(hash_flow(a), hash_flow(b));
  b.dst_port = 80;
  EXPECT_NE(hash_flow(a), hash_flow(b));
}

TEST(ModuloHash, IsTheHashModuloTheTargetCount) {
  auto by_source = make_picker("source_ip_hash", targets(7));
  auto by_flow = make_picker("flow_hash", targets(7));
  for (std::uint32_t i = 0; i < 100; ++i) {
    const FlowKey f = flow(i);
    const PickInput in{hash_flow(f), hash_source_ip(f.src_ip), {}, nullptr};
    EXPECT_EQ(by_source->pick(in), hash_source_ip(f.src_ip) % 7);
    EXPECT_EQ(by_flow->pick(in), hash_flow(f) % 7);
  }
}

}  // namespace
}  // namespace lbsim::balancing
