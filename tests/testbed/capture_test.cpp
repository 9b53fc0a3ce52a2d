// SPDX-License-Identifier: GPL-3.0-or-later
// A capture read back for the teaching view (reports/capture.hpp): hand-made frames
// with known bytes — a DNAT'd SYN, an HTTP request in clear, a TLS 1.3 ClientHello
// written out field by field — decoded into their layers; rewrites paired; every cut of
// every frame decoded without reading past it; bad files refused with their name.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "reports/capture.hpp"
#include "testbed/pcap_file.hpp"
#include "testbed/trace_pcap.hpp"

namespace lbsim::reports {
namespace {

constexpr std::uint8_t kSyn = 0x02, kAck = 0x10, kPsh = 0x08;
constexpr std::uint32_t kClient = 0xC6120005;   // 198.18.0.5
constexpr std::uint32_t kVip = 0xCB007132;      // 203.0.113.50
constexpr std::uint32_t kBackend = 0x0A011402;  // 10.1.20.2

l4::PacketHeader client_to_vip() {
  l4::PacketHeader h;
  h.src_mac = {2, 0, 0, 0, 0, 1};
  h.dst_mac = {2, 0, 0, 0, 0, 0x10};
  h.src_ip = kClient;
  h.dst_ip = kVip;
  h.src_port = 40000;
  h.dst_port = 443;
  return h;
}

// What an L4 node's DNAT sends on: the backend's address, and the next hop's MACs.
l4::PacketHeader dnat_of(l4::PacketHeader h) {
  h.src_mac = {2, 0, 0, 0, 0, 0x10};
  h.dst_mac = {2, 0, 0, 0, 0, 0x20};
  h.dst_ip = kBackend;
  return h;
}

CapturedFrame decoded(const std::vector<std::uint8_t>& bytes, std::size_t number) {
  CapturedFrame f = decode_frame(bytes);
  f.number = number;
  return f;
}

const CapturedField* field(const CapturedFrame& f, std::string_view name) {
  for (const CapturedField& one : f.fields)
    if (one.name == name) return &one;
  return nullptr;
}

// A TLS 1.3 ClientHello as RFC 8446 lays it out, naming `server`, offering a PSK.
std::string client_hello(const std::string& server, bool offers_psk) {
  auto u16 = [](std::size_t v) { return std::string{static_cast<char>(v >> 8), static_cast<char>(v & 0xff)}; };
  std::string extensions;
  const std::string name_entry = std::string(1, '\0') + u16(server.size()) + server;  // host_name(0), length, name
  extensions += u16(0) + u16(name_entry.size() + 2) + u16(name_entry.size()) + name_entry;
  extensions += u16(43) + u16(3) + std::string{2, 0x03, 0x04};  // supported_versions: TLS 1.3
  if (offers_psk) extensions += u16(41) + u16(4) + std::string(4, '\0');
  std::string body = std::string{0x03, 0x03} + std::string(32, 'r');  // legacy version, random
  body += std::string(1, '\0');                                        // no session id
  body += u16(2) + std::string{0x13, 0x01};                            // one suite
  body += std::string{1, 0};                                           // null compression
  body += u16(extensions.size()) + extensions;
  const std::string message = std::string{1, 0} + u16(body.size()) + body;  // ClientHello, 24-bit length
  return std::string{0x16, 0x03, 0x01} + u16(message.size()) + message;
}

TEST(Capture, ASynDecodesIntoItsLayersAndItsDnatIsPairedWithTheFieldsItChanged) {
  std::vector<CapturedFrame> frames{decoded(testbed::build_frame(client_to_vip(), kSyn, 1000), 1),
                                    decoded(testbed::build_frame(dnat_of(client_to_vip()), kSyn, 1000), 2)};
  follow_connections(frames);
  const CapturedFrame& in = frames[0];
  EXPECT_EQ(in.message, "SYN");
  EXPECT_EQ(in.top_layer, 4);
  EXPECT_EQ(in.summary, "198.18.0.5:40000 → 203.0.113.50:443  SYN");
  ASSERT_NE(field(in, "dst_ip"), nullptr);
  EXPECT_EQ(field(in, "dst_ip")->layer, 3);
  EXPECT_EQ(field(in, "dst_ip")->value, "203.0.113.50");
  EXPECT_EQ(field(in, "src_mac")->layer, 2);
  EXPECT_EQ(field(in, "TCP flags")->value, "SYN");
  EXPECT_EQ(field(in, "TCP seq")->value, "1000");
  EXPECT_FALSE(in.rewrite_of.has_value());

  const CapturedFrame& out = frames[1];
  ASSERT_TRUE(out.rewrite_of.has_value());
  EXPECT_EQ(*out.rewrite_of, 1u);
  EXPECT_EQ(out.rewrote, (l4::FieldChanges{l4::Field::src_mac, l4::Field::dst_mac, l4::Field::dst_ip}));
  EXPECT_EQ(field(out, "dst_ip")->before, "203.0.113.50");
  EXPECT_EQ(field(out, "dst_ip")->value, "10.1.20.2");
  EXPECT_EQ(field(out, "src_port")->before, "40000");
  ASSERT_FALSE(out.notes.empty());
  EXPECT_NE(out.notes.front().find("DNAT"), std::string::npos) << out.notes.front();
}

TEST(Capture, ADsrForwardIsPairedAsALayerTwoRewriteAndARetransmissionIsNotARewrite) {
  l4::PacketHeader dsr = client_to_vip();
  dsr.src_mac = {2, 0, 0, 0, 0, 0x10};
  dsr.dst_mac = {2, 0, 0, 0, 0, 0x20};
  std::vector<CapturedFrame> frames{decoded(testbed::build_frame(client_to_vip(), kSyn, 7), 1),
                                    decoded(testbed::build_frame(client_to_vip(), kSyn, 7), 2),
                                    decoded(testbed::build_frame(dsr, kSyn, 7), 3)};
  follow_connections(frames);
  EXPECT_FALSE(frames[1].rewrite_of.has_value()) << "the same headers again are a retransmission";
  ASSERT_TRUE(frames[2].rewrite_of.has_value());
  EXPECT_EQ(frames[2].rewrote, (l4::FieldChanges{l4::Field::src_mac, l4::Field::dst_mac}));
  EXPECT_NE(frames[2].notes.front().find("layer-2"), std::string::npos) << frames[2].notes.front();
  // Another packet of the connection (a later sequence number) is not the SYN rewritten.
  std::vector<CapturedFrame> other{decoded(testbed::build_frame(client_to_vip(), kAck, 8, 1), 1),
                                   decoded(testbed::build_frame(dnat_of(client_to_vip()), kAck, 9, 1), 2)};
  follow_connections(other);
  EXPECT_FALSE(other[1].rewrite_of.has_value());
}

TEST(Capture, AnHttpRequestInClearShowsEveryHeaderAtLayerSeven) {
  l4::PacketHeader h = dnat_of(client_to_vip());
  h.dst_port = 8080;
  const std::string request = "GET /api/users?id=7 HTTP/1.1\r\nHost: shop.example\r\nCookie: user_tier=premium\r\nX-Forwarded-For: 198.18.0.5\r\n\r\n";
  const CapturedFrame f = decoded(testbed::build_frame(h, kPsh | kAck, 1, 1, request), 1);
  EXPECT_EQ(f.top_layer, 7);
  EXPECT_EQ(f.message, "GET /api/users?id=7");
  EXPECT_EQ(field(f, "method")->value, "GET");
  EXPECT_EQ(field(f, "path")->value, "/api/users?id=7");
  EXPECT_EQ(field(f, "Host")->value, "shop.example");
  EXPECT_EQ(field(f, "Cookie")->value, "user_tier=premium");
  EXPECT_EQ(field(f, "Cookie")->layer, 7);
  EXPECT_EQ(field(f, "TCP payload")->value, std::to_string(request.size()) + " bytes");
  EXPECT_TRUE(std::any_of(f.notes.begin(), f.notes.end(), [](const std::string& n) { return n.starts_with("X-Forwarded-For"); }));

  const std::string response = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n";
  const CapturedFrame answer = decoded(testbed::build_frame(h, kPsh | kAck, 1, 1, response), 2);
  EXPECT_EQ(answer.message, "HTTP 503");
  EXPECT_EQ(field(answer, "status")->value, "503 Service Unavailable");
}

TEST(Capture, ATls13ClientHelloShowsItsServerNameAndTheSessionItOffersAndTheRestIsEncrypted) {
  const std::string hello = client_hello("lbsim.test", true);
  const CapturedFrame f = decoded(testbed::build_frame(client_to_vip(), kPsh | kAck, 1, 1, hello), 1);
  EXPECT_EQ(f.top_layer, 6);
  EXPECT_EQ(f.message, "TLS ClientHello");
  EXPECT_EQ(field(f, "SNI")->value, "lbsim.test");
  EXPECT_EQ(field(f, "SNI")->layer, 6);
  EXPECT_EQ(field(f, "TLS versions")->value, "TLS 1.3 offered");
  EXPECT_EQ(field(f, "TLS records")->value, "Handshake (ClientHello)");
  EXPECT_TRUE(std::any_of(f.notes.begin(), f.notes.end(), [](const std::string& n) { return n.find("pre-shared key") != std::string::npos; }));
  EXPECT_FALSE(field(f, "method")) << "no HTTP is readable before the handshake";
  const CapturedFrame fresh = decoded(testbed::build_frame(client_to_vip(), kPsh | kAck, 1, 1, client_hello("lbsim.test", false)), 1);
  EXPECT_FALSE(std::any_of(fresh.notes.begin(), fresh.notes.end(), [](const std::string& n) { return n.find("resume") != std::string::npos; }));

  // Two application-data records in one segment, then a segment that ends the second.
  const std::string records = std::string{0x17, 0x03, 0x03, 0x00, 0x03} + "abc" + std::string{0x17, 0x03, 0x03, 0x00, 0x40} + "de";
  std::vector<CapturedFrame> frames{decoded(testbed::build_frame(client_to_vip(), kPsh | kAck, 600, 1, records), 1),
                                    decoded(testbed::build_frame(client_to_vip(), kPsh | kAck, 610, 1, std::string(62, 'x')), 2)};
  follow_connections(frames);
  EXPECT_EQ(field(frames[0], "TLS records")->value, "ApplicationData, ApplicationData (continues)");
  EXPECT_EQ(frames[1].message, "TLS (a record continued)");
  EXPECT_EQ(frames[1].top_layer, 6);
}

// Every prefix of every frame above, and seeded random corruptions of them, decode to
// something (ASan builds check no byte outside is read).
TEST(Capture, EveryCutAndCorruptionOfAFrameDecodesWithoutReadingPastIt) {
  l4::PacketHeader h = client_to_vip();
  const std::vector<std::vector<std::uint8_t>> frames{
      testbed::build_frame(h, kSyn, 1), testbed::build_frame(h, kPsh | kAck, 1, 1, client_hello("lbsim.test", true)),
      testbed::build_frame(h, kPsh | kAck, 1, 1, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")};
  std::mt19937 random(7);
  std::size_t decoded_frames = 0;
  for (const auto& frame : frames) {
    for (std::size_t cut = 0; cut <= frame.size(); ++cut) {
      std::vector<std::uint8_t> prefix(frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(cut));  // exactly `cut` bytes
      const CapturedFrame f = decode_frame(prefix);
      EXPECT_EQ(f.bytes, cut);
      EXPECT_FALSE(f.message.empty()) << "a frame of " << cut << " bytes says nothing";
      ++decoded_frames;
    }
    for (int trial = 0; trial < 2000; ++trial) {
      std::vector<std::uint8_t> bent = frame;
      for (int flips = 0; flips < 4; ++flips) bent[random() % bent.size()] = static_cast<std::uint8_t>(random());
      std::vector<CapturedFrame> one{decode_frame(bent)};
      follow_connections(one);
      ++decoded_frames;
    }
  }
  EXPECT_GT(decoded_frames, 6000u);
}

class CaptureFile : public ::testing::Test {
protected:
  std::string path(const std::string& name) { return (dir_ / name).string(); }
  void SetUp() override { std::filesystem::create_directories(dir_); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_ = std::filesystem::temp_directory_path() / ("lbsim-capture-test-" + std::to_string(::getpid()));
};

TEST_F(CaptureFile, ANodesCaptureIsReadBackNamedAndTimedAndStopsAtTheLimit) {
  const std::string file = path("l4-a-0.pcap");
  {
    testbed::PcapFile pcap(file);
    pcap.write(testbed::build_frame(client_to_vip(), kSyn, 5).data(), testbed::build_frame(client_to_vip(), kSyn, 5).size(), 100.0);
    const auto out = testbed::build_frame(dnat_of(client_to_vip()), kSyn, 5);
    pcap.write(out.data(), out.size(), 100.0005);
    const auto ack = testbed::build_frame(client_to_vip(), kAck, 6, 1);
    pcap.write(ack.data(), ack.size(), 100.02);
  }
  const Capture all = read_capture(file, 100);
  EXPECT_EQ(all.node, "l4-a-0");
  EXPECT_EQ(all.tier, "l4");
  ASSERT_EQ(all.frames.size(), 3u);
  EXPECT_FALSE(all.truncated);
  EXPECT_EQ(all.frames[1].number, 2u);
  EXPECT_NEAR(all.frames[1].time_s, 0.0005, 2e-6);
  EXPECT_EQ(all.frames[1].rewrite_of, std::optional<std::size_t>(1));
  const auto json = capture_json(all);
  EXPECT_EQ(json["frames"][1]["rewrote"], (nlohmann::ordered_json{"src_mac", "dst_mac", "dst_ip"}));
  EXPECT_EQ(json["frames"][1]["rewrite_of"], 1);

  const Capture first = read_capture(file, 2);
  EXPECT_EQ(first.frames.size(), 2u);
  EXPECT_TRUE(first.truncated);
}

TEST_F(CaptureFile, AFileThatIsNotACaptureOrIsCutShortIsRefusedWithItsNameAndTheFrame) {
  const std::string text = path("notes.pcap");
  std::ofstream(text) << "this is not a capture\n";
  try {
    read_capture(text, 100);
    FAIL() << "a text file was read as a capture";
  } catch (const CaptureError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(text + ": not a readable packet capture", 0), 0u) << e.what();
  }
  const std::string cut = path("cut.pcap");
  {
    testbed::PcapFile pcap(cut);
    for (std::uint32_t seq = 0; seq < 3; ++seq) {
      const auto frame = testbed::build_frame(client_to_vip(), kAck, seq);
      pcap.write(frame.data(), frame.size(), 1.0 + seq);
    }
  }
  std::filesystem::resize_file(cut, std::filesystem::file_size(cut) - 10);  // the third record loses its end
  try {
    read_capture(cut, 100);
    FAIL() << "a capture cut short was read whole";
  } catch (const CaptureError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(cut + ": frame 3: ", 0), 0u) << e.what();
  }
  EXPECT_THROW(read_capture(path("absent.pcap"), 100), CaptureError);
}

}  // namespace
}  // namespace lbsim::reports
