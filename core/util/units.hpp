// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Unit-bearing quantities as scenario files write them. Every parser returns nothing
// for text it does not understand; the caller owns the error message.
#include <optional>
#include <string>
#include <string_view>

namespace lbsim::units {

// Durations: ns, us, ms, s, m (minutes), h. Returns seconds. "0" alone is allowed.
std::optional<double> parse_duration(std::string_view text);
// Bandwidths: bps, Kbps, Mbps, Gbps, Tbps (bits, SI) and Bps, KBps, MBps, GBps (bytes, SI).
// Returns bytes per second.
std::optional<double> parse_bandwidth(std::string_view text);
// Sizes: B, KB, MB, GB, TB (SI, powers of 1000) and KiB, MiB, GiB, TiB (powers of 1024). Returns bytes.
std::optional<double> parse_size(std::string_view text);
// Rates: N/s, N/ms, N/us, N/min, N/h. Returns events per second.
std::optional<double> parse_rate(std::string_view text);

// The other way, for docs and defaults: the largest unit that keeps the number short,
// in a form the parser reads back to the same value (0.1 -> "100ms", 1.25e9 -> "10Gbps").
std::string format_duration(double seconds);
std::string format_bandwidth(double bytes_per_second);
std::string format_size(double bytes);
std::string format_rate(double per_second);

}  // namespace lbsim::units
