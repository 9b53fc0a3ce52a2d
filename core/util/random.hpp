// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Deterministic randomness for core and models. Distributions are written out here
// (not taken from <random>) because the standard leaves their algorithms to the
// library vendor: the same seed must give the same run on every build.
#include <cmath>
#include <cstdint>
#include <string_view>

namespace lbsim {

// SplitMix64 step: used to derive independent seeds from (master seed, stream name).
constexpr std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// xoshiro256** (Blackman & Vigna): small state, fast, good statistical quality.
class Random {
public:
  explicit Random(std::uint64_t seed) {
    std::uint64_t sm = seed;
    for (auto& word : state_) word = splitmix64(sm);
  }
  // A generator for a named stream of a master seed: entities get independent,
  // reproducible streams whatever order they are created in.
  static Random stream(std::uint64_t master_seed, std::string_view name) {
    std::uint64_t h = 1469598103934665603ULL;  // FNV-1a, stable across platforms
    for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    std::uint64_t mixed = master_seed ^ h;
    return Random(splitmix64(mixed));
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }
  // Uniform in [0, 1) with 53 random bits.
  double uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n) (Lemire's multiply-shift; bias < n / 2^64).
  std::uint64_t below(std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
  }
  // Exponential with the given mean, by inversion.
  double exponential(double mean) { return -mean * std::log1p(-uniform01()); }
  // Standard normal, by Box-Muller (one of the pair; simple and portable).
  double normal() {
    const double u1 = 1.0 - uniform01();  // (0, 1]: log stays finite
    const double u2 = uniform01();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4]{};
};

}  // namespace lbsim
