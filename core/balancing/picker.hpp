// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// One interface for every balancing algorithm (Envoy's chooseHost habit): a policy only
// picks; the caller owns the target list, health filtering and retries. Everything a
// policy may look at arrives in PickInput, so a pick is a pure function of its inputs
// and the policy's own state — exact to test.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "balancing/load.hpp"
#include "util/random.hpp"

namespace lbsim::balancing {

struct Target {
  std::string name;    // stable identity: consistent hashes place targets by it
  double weight = 1.0;  // relative share; ignored by unweighted policies
};

struct PickInput {
  std::uint64_t flow_hash = 0;      // hash of the 5-tuple (hash_flow)
  std::uint64_t source_hash = 0;    // hash of the source address (hash_source_ip)
  const LoadTracker* load = nullptr;  // connections or requests per target, as this balancer counts them
  Random* random = nullptr;         // injected: the caller owns the stream
};

// Tunables of the algorithms that have any; defaults are the ones users know.
struct PickerOptions {
  std::uint32_t choices = 2;               // least_request: power of d choices (Envoy's choice_count)
  std::uint32_t ring_vnodes = 100;         // ring_hash: ring entries per unit of weight
  std::uint32_t maglev_table_size = 65537; // maglev: prime table size (Envoy's default)
};

class Picker {
public:
  virtual ~Picker() = default;
  // Index into the target list the picker was built with. Load-aware pickers never
  // return a target the LoadTracker excludes; others ignore exclusion (the caller
  // rebuilds a hash table when its set changes, as real balancers do).
  virtual std::size_t pick(const PickInput& input) = 0;
};

}  // namespace lbsim::balancing
