// SPDX-License-Identifier: GPL-3.0-or-later
// lbsim allocates through jemalloc (linked when LBSIM_JEMALLOC is on, the default). A
// simulation's rounds allocate and free small objects all the time (SimGrid's timers and
// the nodes of its timer heap, every transfer's activity and action); glibc's malloc sent
// most of those frees through its slow path. jemalloc cut a run's instructions by 6 % and
// its L1 data misses by 10 % (callgrind, l4-only-3az, docs/ARCHITECTURE.md).
//
// jemalloc reads this string at start-up. Without it, it keeps freed pages for 10 s
// before giving them back, and a run's peak memory grew by 6 MiB; returned at once, the
// peak is below glibc's, for a few hundred madvise calls in a 30 s run.
extern "C" {
// NOLINTNEXTLINE(readability-identifier-naming): the name jemalloc looks for
extern const char* const malloc_conf;
const char* const malloc_conf = "dirty_decay_ms:0,muzzy_decay_ms:0";
}
