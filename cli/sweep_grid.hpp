// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A sweep's grid, as `--set PATH=RANGE` options write it: `a..b` (integers, step 1),
// `a..b:step`, or a list `a,b,c` of values as written; numbers may carry a unit, the
// same on each (`10000/s..50000/s:10000/s`). Bad input throws config::ConfigError (one
// diagnostic naming the option), which the command line reports with exit code 2.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace lbsim::cli {

// Beyond this a sweep is a job for a cluster, not for one machine's process pool.
inline constexpr std::size_t kMaxSweepPoints = 10'000;

struct Axis {
  std::string path;
  std::vector<std::string> values;
  std::string label;  // in point names and the knee: the path's last key ("rate")
};

// A range's values: a list, a numeric range (a number, then ".."), or one value.
// `option` names it in messages ("--set l7.cores=1..4").
std::vector<std::string> values_of(const std::string& option, std::string_view range);

// The axes of `--set PATH=RANGE` options, in the order given.
std::vector<Axis> read_axes(const std::vector<std::string>& options);

// A `--set PATH=VALUE` with one value is not an axis but a change every point shares, as
// `lbsim run --set` makes it: these are moved out of `axes`, in order. Throws
// config::ConfigError when no axis is left (a sweep needs one with two or more values).
std::vector<std::string> take_fixed_sets(std::vector<Axis>& axes);

// "3 x 4"
std::string grid_shape(const std::vector<Axis>& axes);

// The number of points, checked against kMaxSweepPoints.
std::size_t grid_size(const std::vector<Axis>& axes);

// A value as part of a folder's name: "10000/s" -> "10000_s", "{ cores: 2 }" -> "cores_2".
std::string file_safe(const std::string& text);

}  // namespace lbsim::cli
