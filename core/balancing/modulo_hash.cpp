// SPDX-License-Identifier: GPL-3.0-or-later
// Modulo hashing: simple and even, but a change of target count moves most flows —
// the contrast with Maglev that lbsim lets users measure.
#include "balancing/algorithm.hpp"

namespace lbsim::balancing {
namespace {

enum class HashedField { source_ip, five_tuple };

class ModuloHash final : public Picker {
public:
  ModuloHash(std::size_t count, HashedField field) : count_(count), field_(field) {}
  std::size_t pick(const PickInput& input) override {
    const std::uint64_t h = field_ == HashedField::source_ip ? input.source_hash : input.flow_hash;
    return static_cast<std::size_t>(h % count_);
  }

private:
  std::size_t count_;
  HashedField field_;
};

}  // namespace

static std::unique_ptr<Picker> make_source_ip_hash(std::span<const Target> targets, const PickerOptions&) {
  return std::make_unique<ModuloHash>(targets.size(), HashedField::source_ip);
}

static std::unique_ptr<Picker> make_flow_hash(std::span<const Target> targets, const PickerOptions&) {
  return std::make_unique<ModuloHash>(targets.size(), HashedField::five_tuple);
}

namespace registered {

extern const Algorithm source_ip_hash{"source_ip_hash", "hash of the client address modulo the target count",
                                      make_source_ip_hash, /*load_aware=*/false, /*steerable=*/false, Hashing::modulo};
extern const Algorithm flow_hash{"flow_hash", "hash of the 5-tuple modulo the target count", make_flow_hash,
                                 /*load_aware=*/false, /*steerable=*/false, Hashing::modulo};

}  // namespace registered

}  // namespace lbsim::balancing
