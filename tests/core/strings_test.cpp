// SPDX-License-Identifier: GPL-3.0-or-later
// UTF-8 checking and terminal-safe text, on hand-made byte strings (RFC 3629's table).
#include "util/strings.hpp"

#include <gtest/gtest.h>

namespace lbsim {
namespace {

TEST(Utf8, FindsTheFirstByteThatBeginsNoWellFormedSequence) {
  EXPECT_FALSE(first_invalid_utf8("plain ascii"));
  EXPECT_FALSE(first_invalid_utf8("\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4 \xF0\x9F\x98\x80"));  // 한국어 and U+1F600
  EXPECT_EQ(first_invalid_utf8("a\xFF" "b"), 1u);
  EXPECT_EQ(first_invalid_utf8("\xC0\xAF"), 0u);           // overlong '/'
  EXPECT_EQ(first_invalid_utf8("ok\xED\xA0\x80"), 2u);     // a UTF-16 surrogate
  EXPECT_EQ(first_invalid_utf8("\xF4\x90\x80\x80"), 0u);   // above U+10FFFF
  EXPECT_EQ(first_invalid_utf8("\xE2\x82"), 0u);           // cut short
  EXPECT_EQ(first_invalid_utf8("\xE2\x82\x41"), 0u);       // a continuation byte missing
  EXPECT_FALSE(first_invalid_utf8("\xE2\x82\xAC"));        // the euro sign itself
}

TEST(Utf8, PrintableEscapesControlsAndBadBytesAndKeepsTheRest) {
  EXPECT_EQ(printable("a\x1B[2Jb"), "a\\x1B[2Jb");               // an escape sequence, defused
  EXPECT_EQ(printable("tab\there\n"), "tab\\x09here\\x0A");
  EXPECT_EQ(printable("\x7F"), "\\x7F");
  EXPECT_EQ(printable("\xC2\x9B" "31m"), "\\xC2\\x9B31m");        // C1's CSI
  EXPECT_EQ(printable("x\xFFy"), "x\\xFFy");
  EXPECT_EQ(printable("\xED\x95\x9C\xEA\xB5\xAD"), "\xED\x95\x9C\xEA\xB5\xAD");  // 한국 kept
  EXPECT_EQ(printable("caf\xC3\xA9"), "caf\xC3\xA9");
}

}  // namespace
}  // namespace lbsim
