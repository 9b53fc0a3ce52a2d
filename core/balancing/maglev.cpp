// SPDX-License-Identifier: GPL-3.0-or-later
#include "balancing/maglev.hpp"

#include <algorithm>
#include <stdexcept>

#include "balancing/algorithm.hpp"
#include "l4/flow.hpp"

namespace lbsim::balancing {
namespace {

constexpr std::uint32_t kUnclaimed = UINT32_MAX;
// Distinct seeds for the two permutation hashes of the Maglev paper.
constexpr std::uint64_t kOffsetSeed = 0x6d61676c65762d6fULL;
constexpr std::uint64_t kSkipSeed = 0x6d61676c65762d73ULL;

struct Permutation {
  std::uint64_t offset;
  std::uint64_t skip;
  std::uint64_t next = 0;       // how far along its permutation the target has got
  double weight;
  double turn_threshold = 0;    // claims a slot when round * weight >= this
};

class Maglev final : public Picker {
public:
  Maglev(std::span<const Target> targets, std::uint32_t table_size) : table_(targets, table_size) {}
  std::size_t pick(const PickInput& input) override { return table_.lookup(input.flow_hash); }

private:
  MaglevTable table_;
};

}  // namespace

bool is_prime(std::uint64_t n) {
  if (n < 2) return false;
  for (std::uint64_t d = 2; d * d <= n; ++d) {
    if (n % d == 0) return false;
  }
  return true;
}

MaglevTable::MaglevTable(std::span<const Target> targets, std::uint32_t table_size) {
  if (targets.empty()) throw std::invalid_argument("maglev needs at least one target");
  if (!is_prime(table_size) || table_size < targets.size())
    throw std::invalid_argument("maglev table size must be a prime no smaller than the target count");

  double max_weight = 0;
  for (const auto& t : targets) max_weight = std::max(max_weight, t.weight);
  if (max_weight <= 0) throw std::invalid_argument("maglev needs a target with a positive weight");

  std::vector<Permutation> perms;
  perms.reserve(targets.size());
  for (const auto& t : targets) {
    perms.push_back({l4::hash_name(t.name, kOffsetSeed) % table_size, l4::hash_name(t.name, kSkipSeed) % (table_size - 1) + 1,
                     0, t.weight / max_weight});
  }

  slots_.assign(table_size, kUnclaimed);
  std::uint32_t filled = 0;
  for (std::uint64_t round = 1; filled < table_size; ++round) {
    for (std::uint32_t i = 0; i < perms.size() && filled < table_size; ++i) {
      Permutation& p = perms[i];
      if (p.weight <= 0 || static_cast<double>(round) * p.weight < p.turn_threshold) continue;
      p.turn_threshold += 1.0;
      std::uint64_t slot = (p.offset + p.next * p.skip) % table_size;
      while (slots_[slot] != kUnclaimed) {
        ++p.next;
        slot = (p.offset + p.next * p.skip) % table_size;
      }
      slots_[slot] = i;
      ++p.next;
      ++filled;
    }
  }
}

std::vector<std::uint32_t> MaglevTable::slot_counts(std::size_t target_count) const {
  std::vector<std::uint32_t> counts(target_count, 0);
  for (std::uint32_t owner : slots_) ++counts.at(owner);
  return counts;
}

MaglevTable::Disruption MaglevTable::compare(const MaglevTable& before, std::span<const Target> before_targets,
                                             const MaglevTable& after, std::span<const Target> after_targets) {
  if (before.size() != after.size()) throw std::invalid_argument("compare Maglev tables of the same size");
  Disruption d;
  for (std::uint32_t s = 0; s < before.size(); ++s) {
    if (before_targets[before.slots_[s]].name != after_targets[after.slots_[s]].name) ++d.moved_slots;
  }
  d.share = static_cast<double>(d.moved_slots) / before.size();
  return d;
}

static std::unique_ptr<Picker> make_maglev(std::span<const Target> targets, const PickerOptions& options) {
  return std::make_unique<Maglev>(targets, options.maglev_table_size);
}

namespace registered {

constexpr Tunable kMaglevTunables[] = {
    {"table_size", "lookup table slots; must be prime (Envoy's default 65537)", &PickerOptions::maglev_table_size, 3,
     65'537'000, is_prime, "a prime number (Maglev's table size must be prime)"},
};
extern const Algorithm maglev{"maglev", "Maglev consistent hash of the 5-tuple over a prime-sized table, weighted",
                              make_maglev, /*load_aware=*/false, /*steerable=*/false, Hashing::consistent, kMaglevTunables, /*weighted=*/true};

}  // namespace registered

}  // namespace lbsim::balancing
