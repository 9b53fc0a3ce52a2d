// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The testbed's one clock: CLOCK_MONOTONIC in seconds, shared by every process of a run
// (namespaces do not isolate it), so "the run's time zero" means the same instant to all.
#include <time.h>

namespace lbsim::testbed {

inline double monotonic_seconds() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

}  // namespace lbsim::testbed
