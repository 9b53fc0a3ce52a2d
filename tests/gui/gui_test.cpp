// SPDX-License-Identifier: GPL-3.0-or-later
// lbsim-gui under Qt Test, on the offscreen platform: shipped scenarios draw as many
// nodes and links as their topology has; a run streams ticks into the charts and
// utilization onto the nodes; a fault injected from the window reaches the child and
// comes back as an event; a child that cannot run is reported in the window, which lives
// on; the teaching view shows DNAT and DSR rewriting different layers; parameter edits
// redraw the layout and save as a file that loads; the side-by-side window runs L4-only
// against L4+L7 and tabulates them; every lesson has its explanation in both languages;
// the Korean translation is complete and switches the window's language.
#include <QApplication>
#include <QDirIterator>
#include <QDomDocument>
#include <QMenuBar>
#include <QStandardPaths>
#include <QComboBox>
#include <QPushButton>
#include <QScopeGuard>
#include <QTranslator>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSplitter>
#include <QGraphicsView>
#include <QImage>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <set>

#include "cli/scenario_file.hpp"
#include "gui/live_charts.hpp"
#include "gui/main_window.hpp"
#include "gui/parameter_panel.hpp"
#include "gui/quiz_dialog.hpp"
#include "gui/side_by_side.hpp"
#include "gui/trace_view.hpp"
#include "topology/topology.hpp"

using lbsim::gui::MainWindow;
using lbsim::gui::RunPanel;

class GuiTest : public QObject {
  Q_OBJECT
private slots:
  void everyShippedScenarioDrawsItsWholeTopology();
  void aRunStreamsTicksIntoTheCharts();
  void aFaultFromTheWindowReachesTheChildAndComesBack();
  void stopEndsTheRunWithoutCallingItACrash();
  void aChildThatCannotRunIsReportedNotFatal();
  void aRightClickOffersTheFaultsThatFitWhatWasClicked();
  void theScenariosMenuListsEveryShippedScenario();
  void nodesShowTheirUtilizationAsTheRunGoes();
  void theErrorsChartPlotsEachKindPerSecond();
  void theTeachingViewShowsDnatAndDsrRewritingDifferentLayers();
  void theTeachingViewShowsTheCookieARuleRead();
  void theKoreanWindowsTraceNotesAreKorean();
  void theViewInFrontExportsAsPngAndSvgForSlides();
  void presenterModeIsLargeHighContrastAndGivesTheLayoutRoom();
  void playingATraceMovesThePacketAlongEachHopAndDsrRepliesSkipTheL4Tier();
  void aLessonsQuizIsAnsweredByTicksAndByClickingTheNode();
  void aQuizAsksForHeaderFieldsClickedOnADrawnPacket();
  void theSlowModeDrawsSampledRequestsTravellingTheLayout();
  void aLessonExportsAsASlideDeckAndAHandout();
  void theTeachingViewStepsThroughTheRealFramesOfACapture();
  void parameterEditsRedrawTheLayoutAndSaveAsAFileThatLoads();
  void sideBySideRunsL4OnlyAgainstL4PlusL7();
  void everyLessonExplainsItselfInEnglishAndKorean();
  void recentFilesRememberTheLastOpenedFirst();
  void theKoreanTranslationIsCompleteAndSwitchesTheWindow();
  void aZoneOutageFadesWhatItsScopeTakes();
  void aFaultInForceCanBeEndedFromTheWindow();
  void aChildThatCrashesMidRunIsReportedWithItsLastWords();
  void theL7TierExportsAsHaproxyAndNginxConfiguration();

private:
  QString write_scenario(const QString& yaml) {
    const QString file = dir_.filePath("s.yaml");
    QFile out(file);
    out.open(QIODevice::WriteOnly);
    out.write(yaml.toUtf8());
    return file;
  }
  QTemporaryDir dir_;
};

namespace {
const char* kTiny = R"(name: tiny
duration: 3s
topology: { zones: [a, b] }
clients: [ { name: web, arrival: { rate: 200/s }, mix: [ { path: / } ] } ]
l4: {}
l7: { nodes_per_zone: 1, rules: [ { default: true, forward: app } ] }
target_groups: { app: { per_zone: 2 } }
)";
}  // namespace

void GuiTest::everyShippedScenarioDrawsItsWholeTopology() {
  int checked = 0;
  QDirIterator it(LBSIM_SOURCE_DIR "/scenarios", {"*.yaml"}, QDir::Files, QDirIterator::Subdirectories);
  while (it.hasNext()) {
    const QString file = it.next();
    MainWindow window(LBSIM_BINARY);
    QVERIFY2(window.open(file), qPrintable(file + ": " + window.status()));
    const auto spec = lbsim::cli::load_scenario_file(file.toStdString());
    const lbsim::topology::Topology topology(spec);
    QCOMPARE(window.topology()->node_count(), static_cast<int>(boost::num_vertices(topology.graph())));
    QCOMPARE(window.topology()->link_count(), static_cast<int>(boost::num_edges(topology.graph())));
    QCOMPARE(window.topology()->zone_count(), static_cast<int>(spec.topology.zones.size()));
    ++checked;
  }
  QVERIFY(checked >= 10);
}

void GuiTest::aRunStreamsTicksIntoTheCharts() {
  MainWindow window(LBSIM_BINARY);
  QVERIFY(window.open(write_scenario(kTiny)));
  QSignalSpy finished(&window.client(), &lbsim::gui::RunClient::finished);
  window.run();
  QVERIFY(finished.wait(30000));
  const auto* charts = window.run_panel()->charts();
  QVERIFY(charts->latency_points() >= 3);    // a tick every 500 ms of 3 s
  QVERIFY(charts->throughput_points() >= 6);  // and one per zone
  QVERIFY(window.status().startsWith("finished"));
}

void GuiTest::aFaultFromTheWindowReachesTheChildAndComesBack() {
  MainWindow window(LBSIM_BINARY);
  QVERIFY(window.open(write_scenario(kTiny)));
  RunPanel* panel = window.run_panel();
  QSignalSpy events(&panel->client(), &lbsim::gui::RunClient::event);
  QSignalSpy started(&panel->client(), &lbsim::gui::RunClient::started);
  QSignalSpy finished(&panel->client(), &lbsim::gui::RunClient::finished);
  lbsim::gui::RunSettings real_time;  // 3 s of wall time: the run is still going when the fault arrives
  real_time.speed = "realtime";
  panel->run(window.file(), real_time);
  QVERIFY(started.wait(10000));
  // (A crash, not an outage: swallowed requests would hold a real-time run to its drain timeout.)
  panel->client().inject(QJsonObject{{"kind", "backend_crash"}, {"targets", "app-b-0"}, {"for", "1s"}});
  QVERIFY(finished.wait(30000));
  bool seen = false;
  for (const auto& args : events)
    seen = seen || (args.at(0).toJsonObject().value("type") == "fault" && args.at(0).toJsonObject().value("label") == "backend_crash app-b-0");
  QVERIFY(seen);
  QVERIFY(window.run_panel()->charts()->fault_markers() >= 1);
}

void GuiTest::stopEndsTheRunWithoutCallingItACrash() {
  MainWindow window(LBSIM_BINARY);
  QVERIFY(window.open(write_scenario(kTiny)));
  RunPanel* panel = window.run_panel();
  QSignalSpy started(&panel->client(), &lbsim::gui::RunClient::started);
  QSignalSpy failed(&panel->client(), &lbsim::gui::RunClient::failed);
  QSignalSpy stopped(&panel->client(), &lbsim::gui::RunClient::stopped);
  lbsim::gui::RunSettings real_time;
  real_time.speed = "realtime";
  panel->run(window.file(), real_time);
  QVERIFY(started.wait(10000));
  window.stop();
  QCOMPARE(stopped.count(), 1);
  QTest::qWait(100);
  QCOMPARE(failed.count(), 0);
  QCOMPARE(window.status(), QString("stopped"));
  QVERIFY(!panel->client().running());
}

void GuiTest::aChildThatCannotRunIsReportedNotFatal() {
  MainWindow window(dir_.filePath("no-such-lbsim"));
  QVERIFY(window.open(write_scenario(kTiny)));
  QSignalSpy failed(&window.client(), &lbsim::gui::RunClient::failed);
  window.run();
  QVERIFY(failed.wait(10000));
  QVERIFY2(window.status().startsWith("error"), qPrintable(window.status()));
  QVERIFY(window.open(write_scenario(kTiny)));  // the window still works
}

void GuiTest::aRightClickOffersTheFaultsThatFitWhatWasClicked() {
  MainWindow window(LBSIM_BINARY);
  QVERIFY(window.open(write_scenario(kTiny)));
  const auto names = [](const auto& faults) {
    QStringList kinds;
    for (const auto& [label, fault] : faults) kinds << fault.value("kind").toString();
    return kinds;
  };
  // A backend: crash or slow it; its zone: an outage or a zonal shift.
  const auto backend = RunPanel::faults_for({"app-b-1", "backend", "b"});
  QCOMPARE(names(backend), QStringList({"backend_crash", "slow_backend", "zone_outage", "zonal_shift"}));
  QCOMPARE(backend.front().second.value("targets").toString(), QString("app-b-1"));
  QCOMPARE(names(RunPanel::faults_for({"l7-a-0", "l7", "a"})), QStringList({"node_loss", "zone_outage", "zonal_shift"}));
  QCOMPARE(names(RunPanel::faults_for({"client-web", "client", ""})), QStringList());
  // 30 s unless the menu's "Faults last" says otherwise; "until the end" sends no `for`.
  QCOMPARE(backend.front().second.value("for").toString(), QString("30s"));
  const auto minute = RunPanel::faults_for({"app-b-1", "backend", "b"}, 60.0);
  QCOMPARE(minute.front().second.value("for").toString(), QString("60s"));
  QCOMPARE(minute.front().first, QString("Crash app-b-1 for 1 min"));
  const auto to_the_end = RunPanel::faults_for({"app-b-1", "backend", "b"}, std::nullopt);
  QVERIFY(!to_the_end.front().second.contains("for"));
  QCOMPARE(to_the_end.front().first, QString("Crash app-b-1 until the end"));
  // The scene finds what is under a point: a node's box, or else its zone's band.
  const auto* scene = window.topology();
  const QRectF box = scene->node_rect("app-b-1");
  QVERIFY(!box.isEmpty());
  QCOMPARE(scene->hit(box.center()).node, QString("app-b-1"));
  QCOMPARE(scene->hit(box.center()).kind, QString("backend"));
  const auto beside = scene->hit(scene->node_rect("l4-b-0").topLeft() - QPointF(10, 0));  // in the band, on no node
  QVERIFY(beside.node.isEmpty());
  QCOMPARE(beside.zone, QString("b"));
  QVERIFY(scene->hit(scene->itemsBoundingRect().topLeft() - QPointF(50, 50)).zone.isEmpty());
}

void GuiTest::theScenariosMenuListsEveryShippedScenario() {
  MainWindow window(LBSIM_BINARY);
  window.set_scenario_folder(LBSIM_SOURCE_DIR "/scenarios");
  const QStringList& files = window.menu_scenarios();
  QVERIFY(files.contains("two-tier-3az.yaml"));
  QVERIFY(files.contains("failures/zone-outage-two-tier.yaml"));
  QVERIFY(files.contains("compare/dnat-vs-dsr.yaml"));
  int on_disk = 0;
  QDirIterator it(LBSIM_SOURCE_DIR "/scenarios", {"*.yaml"}, QDir::Files, QDirIterator::Subdirectories);
  while (it.hasNext()) {
    it.next();
    ++on_disk;
  }
  QCOMPARE(files.size(), on_disk);
}

void GuiTest::nodesShowTheirUtilizationAsTheRunGoes() {
  // 200 evenly spaced requests a second, each holding one of the backend's 2 workers for
  // 5 ms: the backend is busy 200 × 0.005 / 2 = 50 % of the time (plain HTTP: no TLS
  // handshake holds a worker besides).
  MainWindow window(LBSIM_BINARY);
  QVERIFY(window.open(write_scenario(R"(name: half-busy
duration: 4s
topology: { zones: [a] }
clients: [ { name: web, arrival: { kind: constant, rate: 200/s }, tls: none, mix: [ { path: / } ] } ]
l4: { target_group: app }
target_groups: { app: { per_zone: 1, workers: 2, service_time: { dist: constant, value: 5ms } } }
)")));
  QCOMPARE(window.topology()->utilization("app-a-0"), 0.0);
  QSignalSpy finished(&window.client(), &lbsim::gui::RunClient::finished);
  window.run();
  QVERIFY(finished.wait(30000));
  QVERIFY2(std::abs(window.topology()->utilization("app-a-0") - 0.5) < 0.03,
           qPrintable(QString::number(window.topology()->utilization("app-a-0"))));
  QVERIFY(window.topology()->utilization("l4-a-0") < 0.01);  // an L4 node's NIC, barely used
}

void GuiTest::theErrorsChartPlotsEachKindPerSecond() {
  // Ticks half a second apart: 5 answers 503 in the first, 2 requests lost in the second.
  lbsim::gui::LiveCharts charts;
  charts.reset({"a"});
  // A tick that closed no timeline interval (span_s 0) counted nothing: it adds no point.
  charts.add_tick(QJsonObject{{"t", 0.5}, {"errors", QJsonObject{{"503", 5}}}, {"lost", 0}, {"span_s", 0.5}, {"zones", QJsonArray()}});
  charts.add_tick(QJsonObject{{"t", 0.75}, {"errors", QJsonObject{}}, {"lost", 0}, {"span_s", 0}, {"zones", QJsonArray()}});
  charts.add_tick(QJsonObject{{"t", 1.0}, {"errors", QJsonObject{}}, {"lost", 2}, {"span_s", 0.5}, {"zones", QJsonArray()}});
  charts.redraw();
  QCOMPARE(charts.error_kinds(), QStringList({"503", "lost"}));
  QCOMPARE(charts.error_points("503"), QList<QPointF>({{0.5, 10.0}, {1.0, 0.0}}));  // per second, back to 0
  QCOMPARE(charts.error_points("lost"), QList<QPointF>({{1.0, 4.0}}));
  QCOMPARE(lbsim::gui::LiveCharts::error_label("504"), QString("HTTP 504"));
}

namespace {
// The first hop at an L4 node in a finished trace, selected.
int select_first_l4_hop(lbsim::gui::TraceView& view, const QJsonObject& trace) {
  const QJsonArray hops = trace.value("hops").toArray();
  for (int i = 0; i < hops.size(); ++i)
    if (hops[i].toObject().value("tier") == "l4") {
      view.select_hop(i);
      return i;
    }
  return -1;
}
}  // namespace

void GuiTest::theTeachingViewShowsDnatAndDsrRewritingDifferentLayers() {
  MainWindow window(LBSIM_BINARY);
  const QString file = LBSIM_SOURCE_DIR "/scenarios/compare/dnat-vs-dsr.yaml";
  QVERIFY(window.open(file));
  auto* view = window.trace_view();
  QSignalSpy traced(view, &lbsim::gui::TraceView::traced);
  lbsim::gui::RunSettings dnat;
  dnat.variant = "dnat";
  view->trace(file, dnat, 2);
  QVERIFY(traced.wait(30000));
  QVERIFY(view->hop_count() >= 6);
  QVERIFY(select_first_l4_hop(*view, traced.last().at(0).toJsonObject()) > 0);
  // DNAT: the L4 node reads up to layer 4, routes the packet (a new frame: layer 2) and
  // rewrites its destination IP (layer 3).
  QCOMPARE(view->stack()->reads_up_to(), 4);
  QCOMPARE(view->changed_fields(), QStringList({"src_mac", "dst_mac", "dst_ip"}));
  QList<int> layers = view->stack()->rewritten_layers();
  std::sort(layers.begin(), layers.end());
  QCOMPARE(layers, QList<int>({2, 3}));
  // The request's path is outlined on the layout: in at an L4 node, out at a backend.
  int outlined_l4 = 0, outlined_backends = 0;
  for (const char* node : {"l4-a-0", "l4-b-0"}) outlined_l4 += window.topology()->highlighted(node);
  for (const char* zone : {"a", "b"})
    for (int i = 0; i < 4; ++i) outlined_backends += window.topology()->highlighted(QString("app-%1-%2").arg(zone).arg(i));
  QCOMPARE(outlined_l4, 1);
  QCOMPARE(outlined_backends, 1);

  lbsim::gui::RunSettings dsr;
  dsr.variant = "dsr";
  view->trace(file, dsr, 2);
  QVERIFY(traced.wait(30000));
  QVERIFY(select_first_l4_hop(*view, traced.last().at(0).toJsonObject()) > 0);
  // DSR: the backend's answers go straight back to the client, bypassing the L4 tier.
  const QJsonArray dsr_hops = traced.last().at(0).toJsonObject().value("hops").toArray();
  int answers = 0;
  for (int i = 1; i < dsr_hops.size(); ++i)
    if (dsr_hops[i - 1].toObject().value("tier") == "backend") {
      QCOMPARE(dsr_hops[i].toObject().value("tier").toString(), QString("client"));
      view->select_hop(i);
      QVERIFY(window.topology()->hop_shown());  // the arrow: backend -> client
      ++answers;
    }
  QVERIFY(answers >= 3);  // SYN-ACK, the TLS server flight, the response
  QVERIFY(select_first_l4_hop(*view, traced.last().at(0).toJsonObject()) > 0);
  // DSR: only the MAC addresses (layer 2); the IPs stay the client's and the VIP.
  const QStringList changed = view->changed_fields();
  QCOMPARE(QSet<QString>(changed.begin(), changed.end()), QSet<QString>({"src_mac", "dst_mac"}));
  QCOMPARE(view->stack()->rewritten_layers(), QList<int>({2}));
  QCOMPARE(lbsim::gui::osi_layer_of_field("src_port"), 4);
  QCOMPARE(lbsim::gui::osi_layer_of_field("path"), 7);
}

// File > Export the view as a picture: the tab in front, PNG at twice its size (sharp on
// a projector) or SVG whose text stays text (the node names can be found and scaled).
void GuiTest::theViewInFrontExportsAsPngAndSvgForSlides() {
  MainWindow window(LBSIM_BINARY);
  QVERIFY(window.open(write_scenario(kTiny)));
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  const QString png = dir_.filePath("view.png"), svg = dir_.filePath("view.svg");
  QVERIFY2(window.export_view(png), qPrintable(window.status()));
  const QImage image(png);
  QVERIFY(!image.isNull());
  QVERIFY2(image.width() >= 2 * 800 && image.height() >= 2 * 400, qPrintable(QString("%1x%2").arg(image.width()).arg(image.height())));
  // Not a blank picture: the layout's tier colours are in it.
  std::set<QRgb> colours;
  for (int y = 0; y < image.height(); y += 7)
    for (int x = 0; x < image.width(); x += 7) colours.insert(image.pixel(x, y));
  QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
  QVERIFY2(window.export_view(svg), qPrintable(window.status()));
  QFile file(svg);
  QVERIFY(file.open(QIODevice::ReadOnly));
  const QByteArray drawing = file.readAll();
  QVERIFY(drawing.contains("<svg"));
  QVERIFY2(drawing.contains("app-a-0"), "the node names are text in the drawing");
  // Anything else is refused with the reason, and nothing is written.
  QVERIFY(!window.export_view(dir_.filePath("view.jpg")));
  QVERIFY2(window.status().contains("expected a file name ending in .png or .svg"), qPrintable(window.status()));
  QVERIFY(!QFile::exists(dir_.filePath("view.jpg")));
}

// Opens `file` in `window` and traces its request `request` (of `variant`, if given).
bool trace_request(MainWindow& window, const QString& file, int request, QJsonArray& hops, const QString& variant = {}) {
  if (!window.open(file)) return false;
  QSignalSpy traced(window.trace_view(), &lbsim::gui::TraceView::traced);
  lbsim::gui::RunSettings settings;
  settings.variant = variant;
  window.trace_view()->trace(file, settings, request);
  if (!traced.wait(30000)) return false;
  hops = traced.last().at(0).toJsonObject().value("hops").toArray();
  return true;
}

// Lesson 6's request 3 (the premium client's POST).
bool trace_lesson_6_request_3(MainWindow& window, QJsonArray& hops) {
  return trace_request(window, LBSIM_SOURCE_DIR "/scenarios/lessons/06-l4-vs-l7-same-request.yaml", 3, hops);
}

// Play: the hops follow one another by themselves and a packet travels each link. The
// path it takes is the trace's: under DNAT every answer goes back through the L4 node,
// under DSR the backend's answers go straight to the client.
void GuiTest::playingATraceMovesThePacketAlongEachHopAndDsrRepliesSkipTheL4Tier() {
  for (const QString variant : {"dnat", "dsr"}) {
    MainWindow window(LBSIM_BINARY);
    QJsonArray traced;
    QVERIFY(trace_request(window, LBSIM_SOURCE_DIR "/scenarios/lessons/03-dnat-vs-dsr.yaml", 3, traced, variant));
    auto* view = window.trace_view();
    window.topology()->set_packet_travel_ms(5);
    QSignalSpy hops(view, &lbsim::gui::TraceView::hop_selected);
    view->set_play_interval_ms(15);
    view->play();
    QVERIFY(view->playing());
    QTRY_VERIFY_WITH_TIMEOUT(!view->playing(), 10000);  // it stops by itself at the last hop
    QCOMPARE(view->selected_hop(), view->hop_count() - 1);
    QCOMPARE(hops.count(), view->hop_count() - 1);  // every hop after the first, in order
    // The packet ends on the last hop's receiver.
    QTRY_VERIFY(!window.topology()->packet_travelling());
    const auto at = window.topology()->packet_position();
    QVERIFY(at.has_value());
    const QString last_to = hops.last().at(1).toString();
    QVERIFY2(window.topology()->node_rect(last_to).contains(*at), qPrintable(last_to));
    int backend_to_client = 0, via_l4 = 0;
    for (const auto& hop : hops) {
      const QString from = hop.at(0).toString(), to = hop.at(1).toString();
      if (from.startsWith("app-") && to.startsWith("client-")) ++backend_to_client;
      if (from.startsWith("app-") && to.startsWith("l4-")) ++via_l4;
    }
    if (variant == "dnat") {
      QCOMPARE(backend_to_client, 0);
      QVERIFY(via_l4 > 0);
    } else {
      QVERIFY(backend_to_client > 0);
      QCOMPARE(via_l4, 0);
    }
    // Held half way (for a picture of it on its way): off both ends, between them.
    window.topology()->hold_packet_at(0.0);
    const QPointF start = *window.topology()->packet_position();
    window.topology()->hold_packet_at(1.0);
    const QPointF end = *window.topology()->packet_position();
    window.topology()->hold_packet_at(0.5);
    const QPointF half = *window.topology()->packet_position();
    QVERIFY(!window.topology()->packet_travelling());
    QVERIFY2(QLineF(start, half).length() > 10 && QLineF(half, end).length() > 10, qPrintable(variant));
    QVERIFY(std::abs(QLineF(start, half).length() - QLineF(half, end).length()) < 2);
  }
}

// Lesson 3's quiz: ticks for choices, a click on the layout for "which node"; the answers
// and their reasons are what the lesson's runs showed.
void GuiTest::aLessonsQuizIsAnsweredByTicksAndByClickingTheNode() {
  MainWindow window(LBSIM_BINARY);
  QVERIFY(window.open(LBSIM_SOURCE_DIR "/scenarios/lessons/03-dnat-vs-dsr.yaml"));
  window.resize(1600, 900);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  auto* quiz = window.start_quiz();
  QVERIFY2(quiz != nullptr, qPrintable(window.status()));
  QCOMPARE(quiz->count(), 4);
  // 1: under DNAT the L4 node rewrites the destination address.
  QVERIFY(quiz->answer_choices({"dst_ip"}));
  QVERIFY2(quiz->feedback().contains("rewrote src_mac, dst_mac, dst_ip"), qPrintable(quiz->feedback()));
  quiz->next();
  // 2: under DSR both MACs; half an answer is not the answer, and a second try scores nothing.
  QVERIFY(!quiz->answer_choices({"dst_mac"}));
  QVERIFY2(quiz->feedback().contains("the answer is src_mac, dst_mac"), qPrintable(quiz->feedback()));
  QVERIFY(quiz->answer_choices({"src_mac", "dst_mac"}));
  quiz->next();
  // 3: click the node that answers the client under DSR: an L4 node is wrong, the backend right.
  QVERIFY(quiz->asks_for_a_node());
  auto* layout = qobject_cast<QGraphicsView*>(qobject_cast<QSplitter*>(window.trace_view()->parentWidget())->widget(0));
  QVERIFY(layout != nullptr);
  QApplication::processEvents();
  const auto click = [&](const QString& node) {
    const QPoint at = layout->mapFromScene(window.topology()->node_rect(node).center());
    QTest::mouseClick(layout->viewport(), Qt::LeftButton, {}, at);
  };
  click("l4-a-0");
  QVERIFY2(quiz->feedback().startsWith("Not quite"), qPrintable(quiz->feedback()));
  QString backend;
  for (const QString& node : {"app-a-0", "app-a-1", "app-a-2", "app-b-0", "app-b-1", "app-b-2"})
    if (quiz->feedback().contains("the answer is " + node)) backend = node;
  QVERIFY2(!backend.isEmpty(), qPrintable(quiz->feedback()));
  click(backend);
  QVERIFY2(quiz->feedback().startsWith("Right"), qPrintable(quiz->feedback()));
  quiz->next();
  QVERIFY(quiz->answer_choices({"4"}));
  quiz->next();
  QCOMPARE(quiz->score(), 2);  // questions 1 and 4 right on the first try
  // A scenario without a quiz says so.
  QVERIFY(window.open(write_scenario(kTiny)));
  QVERIFY(window.start_quiz() == nullptr);
  QVERIFY2(window.status().contains("no quiz"), qPrintable(window.status()));
}

// The live run's slow mode: the speed menu's slow entry asks the child for a sample of
// requests, and each is drawn travelling the layout, node to node, then gone.
void GuiTest::theSlowModeDrawsSampledRequestsTravellingTheLayout() {
  MainWindow window(LBSIM_BINARY);
  QVERIFY(window.open(write_scenario(kTiny)));
  QComboBox* speed = nullptr;
  for (auto* combo : window.findChildren<QComboBox*>())
    if (combo->findText("slow", Qt::MatchContains) >= 0) speed = combo;
  QVERIFY(speed != nullptr);
  speed->setCurrentIndex(speed->findText("slow", Qt::MatchContains));
  lbsim::gui::RunSettings settings = window.settings();
  QVERIFY2(settings.arguments().join(" ").contains("--speed 0.02x --sample-every 50ms"), qPrintable(settings.arguments().join(" ")));
  // Faster here than in class (a dot takes 20 × its request's time, not 50 ×).
  settings.speed = "0.05x";
  settings.sample_speed = 0.05;
  auto* scene = window.run_panel()->topology();
  window.run_panel()->run(window.file(), settings);
  QTRY_VERIFY_WITH_TIMEOUT(scene->samples_travelling() > 0, 20000);
  const QList<QPointF> before = scene->sample_positions();
  QTest::qWait(150);
  QVERIFY2(scene->sample_positions() != before, "the dot moves");
  // Every dot is on the layout: within the scene's drawn nodes' bounds.
  QRectF nodes;
  for (const QString& name : {"client-web", "l4-a-0", "l7-a-0", "app-a-0", "app-b-1"}) nodes |= scene->node_rect(name);
  for (const QPointF& at : scene->sample_positions()) QVERIFY(nodes.adjusted(-1, -1, 1, 1).contains(at));
  window.run_panel()->stop();
  QTRY_VERIFY_WITH_TIMEOUT(scene->samples_travelling() == 0, 20000);  // each ends at its last stop
}

// Lesson 2: the fields the L4 node reads and rewrites, clicked on a drawn packet
// (Ethernet, IP, TCP) with the mouse, as a student would; the run answers.
void GuiTest::aQuizAsksForHeaderFieldsClickedOnADrawnPacket() {
  MainWindow window(LBSIM_BINARY);
  QVERIFY(window.open(LBSIM_SOURCE_DIR "/scenarios/lessons/02-l4-algorithms.yaml"));
  auto* quiz = window.start_quiz();
  QVERIFY2(quiz != nullptr, qPrintable(window.status()));
  quiz->show();
  QVERIFY(QTest::qWaitForWindowExposed(quiz));
  QVERIFY(quiz->asks_for_fields() && !quiz->asks_for_a_node());
  // The packet offers every header field; none is marked before a click.
  for (const QString& field : {"src_mac", "dst_mac", "src_ip", "dst_ip", "protocol", "src_port", "dst_port"}) {
    QVERIFY2(quiz->field_button(field) != nullptr, qPrintable(field));
    QVERIFY(!quiz->field_button(field)->isChecked());
  }
  const auto click = [quiz](const QString& field) { QTest::mouseClick(quiz->field_button(field), Qt::LeftButton); };
  // 1: a new flow's pick reads the 5-tuple. Clicking a field twice takes it back.
  for (const QString& field : {"src_ip", "dst_ip", "protocol", "src_port", "dst_port", "dst_mac"}) click(field);
  click("dst_mac");
  QVERIFY(!quiz->field_button("dst_mac")->isChecked());
  QTest::mouseClick(quiz->check_button(), Qt::LeftButton);
  QVERIFY2(quiz->feedback().startsWith("Right"), qPrintable(quiz->feedback()));
  quiz->next();
  // 2: a later packet of the flow is rewritten as the first was (DNAT): the destination
  // address alone is half the answer.
  QVERIFY(quiz->asks_for_fields());
  click("dst_ip");
  QTest::mouseClick(quiz->check_button(), Qt::LeftButton);
  QVERIFY2(quiz->feedback().contains("the answer is src_mac, dst_mac, dst_ip"), qPrintable(quiz->feedback()));
  quiz->next();
  QCOMPARE(quiz->score(), 1);
}

// File > Export the lesson as slides / a handout: one self-contained HTML file each, the
// deck with the lesson, the layout as SVG and a slide per hop; the handout a row per hop.
void GuiTest::aLessonExportsAsASlideDeckAndAHandout() {
  QTranslator korean;  // the window's own words, as lbsim-gui --language ko loads them
  QVERIFY(korean.load(LBSIM_QM_FILE_KO));
  QCoreApplication::installTranslator(&korean);
  const auto english_again = qScopeGuard([&korean] { QCoreApplication::removeTranslator(&korean); });
  MainWindow window(LBSIM_BINARY, "ko");
  QVERIFY(window.open(LBSIM_SOURCE_DIR "/scenarios/lessons/03-dnat-vs-dsr.yaml"));
  window.resize(1600, 900);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  const QString deck = dir_.filePath("deck.html"), handout = dir_.filePath("handout.html");
  QVERIFY2(window.export_slides(deck), qPrintable(window.status()));  // traces request 3 itself
  const int hops = window.trace_view()->hop_count();
  QVERIFY(hops > 10);
  QFile d(deck);
  QVERIFY(d.open(QIODevice::ReadOnly));
  const QString html = QString::fromUtf8(d.readAll());
  QCOMPARE(html.count("<section>"), 2 + hops);  // the lesson, the layout, each hop
  QVERIFY(html.contains(QString::fromUtf8("레슨 3")));  // the lesson's text, in the window's language
  QVERIFY(html.contains("<svg") && html.contains("l4-a-0"));
  QCOMPARE(html.count("data:image/png;base64,"), hops);
  QVERIFY(!html.contains("src=\"http") && !html.contains("href=\"http"));  // self-contained
  QVERIFY2(window.export_handout(handout), qPrintable(window.status()));
  QFile h(handout);
  QVERIFY(h.open(QIODevice::ReadOnly));
  const QString page = QString::fromUtf8(h.readAll());
  QCOMPARE(page.count("<tr><td>"), hops);
  QVERIFY(page.contains(QString::fromUtf8("TCP 헤더까지만 읽는다")));
  QVERIFY(page.contains("src_mac, dst_mac, dst_ip"));  // the L4 node's DNAT rewrite, in its row
  QVERIFY2(page.contains(QString::fromUtf8("<th>노드</th><th>계층</th><th>메시지</th>")), qPrintable(page.left(2000)));
  QVERIFY(page.contains(QString::fromUtf8("<td>요청</td>")) && page.contains("<td>SYN</td>"));  // words Korean, protocol names as they are
}

// WCAG's contrast ratio of two colours (1 to 21).
double contrast(const QColor& a, const QColor& b) {
  const auto luminance = [](const QColor& c) {
    const auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
  };
  const double x = luminance(a), y = luminance(b);
  return (std::max(x, y) + 0.05) / (std::min(x, y) + 0.05);
}

// View > Presenter mode (F5): readable from the back of a room, and Esc or F5 again gives
// the window back as it was.
void GuiTest::presenterModeIsLargeHighContrastAndGivesTheLayoutRoom() {
  MainWindow window(LBSIM_BINARY);
  QVERIFY(window.open(write_scenario(kTiny)));
  window.resize(1600, 900);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  const double size = window.font().pointSizeF();
  auto* teaching = window.trace_view()->parentWidget();
  auto* layout = qobject_cast<QSplitter*>(teaching)->widget(0);
  window.findChild<QTabWidget*>()->setCurrentIndex(1);
  QApplication::processEvents();
  const int narrow = layout->width();
  window.findChild<QTabWidget*>()->setCurrentIndex(0);  // presenter mode may start from any tab
  window.set_presenter_mode(true);
  QApplication::processEvents();
  QVERIFY(window.presenter_mode());
  QVERIFY(window.windowState() & Qt::WindowFullScreen);
  QVERIFY(window.font().pointSizeF() >= std::max(18.0, 1.75 * size) - 0.01);
  QVERIFY(window.trace_view()->font().pointSizeF() >= 18.0);  // children follow
  const QPalette p = window.palette();
  QVERIFY(contrast(p.color(QPalette::WindowText), p.color(QPalette::Window)) >= 7.0);
  QVERIFY(contrast(p.color(QPalette::Text), p.color(QPalette::Base)) >= 7.0);
  QVERIFY(contrast(p.color(QPalette::HighlightedText), p.color(QPalette::Highlight)) >= 7.0);
  QVERIFY(!window.parameters()->isVisible());
  window.findChild<QTabWidget*>()->setCurrentIndex(1);  // the teaching tab
  QApplication::processEvents();
  // The layout spans the tab's width, above the details, and has a good share of its height.
  const int wide = layout->width();
  QVERIFY2(wide >= teaching->width() * 95 / 100 && wide > narrow, qPrintable(QString("%1 of %2 (was %3)").arg(wide).arg(teaching->width()).arg(narrow)));
  QVERIFY2(layout->height() >= teaching->height() * 35 / 100, qPrintable(QString("%1 of %2").arg(layout->height()).arg(teaching->height())));
  // Esc: back as it was.
  QTest::keyClick(&window, Qt::Key_Escape);
  QApplication::processEvents();
  QVERIFY(!window.presenter_mode());
  QVERIFY(!(window.windowState() & Qt::WindowFullScreen));
  QCOMPARE(window.font().pointSizeF(), size);
  QVERIFY(window.parameters()->isVisible());
  QCOMPARE(qobject_cast<QSplitter*>(teaching)->orientation(), Qt::Horizontal);  // the layout beside the details again
}

// The notes arrive as message ids: a Korean window renders them in Korean, and the rule's
// own fields (a path, a cookie) stay as the request carried them.
void GuiTest::theKoreanWindowsTraceNotesAreKorean() {
  MainWindow window(LBSIM_BINARY, "ko");
  QJsonArray hops;
  QVERIFY(trace_lesson_6_request_3(window, hops));
  auto* view = window.trace_view();
  int l4 = -1, routed = -1;
  for (int i = 0; i < hops.size(); ++i) {
    for (const auto& id : hops[i].toObject().value("note_ids").toArray()) {
      const QString name = id.toObject().value("id").toString();
      if (l4 < 0 && name == "l4.reads_tcp_only") l4 = i;
      if (routed < 0 && name == "l7.rule_matched_on") routed = i;
    }
  }
  QVERIFY(l4 >= 0 && routed >= 0);
  view->select_hop(l4);
  QVERIFY2(view->shown_notes().contains(QString::fromUtf8("TCP 헤더까지만 읽는다")), qPrintable(view->shown_notes()));
  QVERIFY2(!view->shown_notes().contains("reads no further"), qPrintable(view->shown_notes()));
  view->select_hop(routed);
  QVERIFY2(view->shown_notes().contains(QString::fromUtf8("우선순위 1 규칙: 일치, 읽은 조건: path /api/v2/orders")), qPrintable(view->shown_notes()));
  // The hop list names each message in Korean where it has words; protocol names stay.
  const QString titles = view->hop_titles().join(" | ");
  QVERIFY2(titles.contains(QString::fromUtf8("— 요청 (L7)")) && titles.contains(QString::fromUtf8("— 응답 200")), qPrintable(titles));
  QVERIFY2(titles.contains(QString::fromUtf8("SYN-ACK (L7 노드로)")) && titles.contains("ClientHello"), qPrintable(titles));
  QVERIFY2(!titles.contains("request") && !titles.contains("to the L7 node"), qPrintable(titles));
}

// Lesson 6: the premium rule reads the path and the user_tier cookie; the L7 node's hop
// shows every header and cookie the request carried, and marks those two as read.
void GuiTest::theTeachingViewShowsTheCookieARuleRead() {
  MainWindow window(LBSIM_BINARY);
  QJsonArray hops;
  QVERIFY(trace_lesson_6_request_3(window, hops));
  auto* view = window.trace_view();
  int routed = -1;
  for (int i = 0; i < hops.size() && routed < 0; ++i)
    for (const auto& note : hops[i].toObject().value("notes").toArray())
      if (note.toString().startsWith("rule priority 1: matched")) routed = i;
  QVERIFY(routed >= 0);
  view->select_hop(routed);
  const QStringList rows = view->shown_rows();
  QVERIFY2(rows.contains("L7 cookie user_tier (read) = premium"), qPrintable(rows.join(" | ")));
  QVERIFY2(rows.contains("L7 path (read) = /api/v2/orders"), qPrintable(rows.join(" | ")));
  // Carried but read by no rule: shown, not marked.
  bool header_unread = false;
  for (const QString& row : rows) header_unread |= row.startsWith("L7 header ") && !row.contains("(read)");
  QVERIFY2(header_unread, qPrintable(rows.join(" | ")));
}

void GuiTest::theTeachingViewStepsThroughTheRealFramesOfACapture() {
  // A traced DNAT request as a capture: the L4 node's rewrite is two frames in a row.
  QTemporaryDir dir;
  const QString pcap = dir.filePath("request-2.pcap");
  QProcess trace;
  trace.start(LBSIM_BINARY, {"trace", LBSIM_SOURCE_DIR "/scenarios/compare/dnat-vs-dsr.yaml", "--variant", "dnat", "--request", "2",
                             "--pcap", pcap});
  QVERIFY(trace.waitForFinished(60000));
  QCOMPARE(trace.exitCode(), 0);

  MainWindow window(LBSIM_BINARY);
  auto* view = window.trace_view();
  QSignalSpy captured(view, &lbsim::gui::TraceView::captured);
  view->open_capture(pcap);
  QVERIFY(captured.wait(30000));
  QVERIFY(view->showing_capture());
  const QJsonArray frames = captured.last().at(0).toJsonObject().value("frames").toArray();
  QVERIFY(frames.size() >= 6);
  QCOMPARE(view->hop_count(), static_cast<int>(frames.size()));
  QCOMPARE(view->selected_hop(), 0);
  int rewritten = -1;
  for (int i = 0; i < frames.size() && rewritten < 0; ++i)
    if (frames[i].toObject().contains("rewrite_of")) rewritten = i;
  QVERIFY(rewritten > 0);
  view->select_hop(rewritten);
  // The SYN as the L4 node sent it on: the stack shows layers 1-4 carried, 2 and 3
  // rewritten; the table the destination IP before and after.
  QCOMPARE(view->stack()->reads_up_to(), 4);
  QCOMPARE(view->changed_fields(), QStringList({"src_mac", "dst_mac", "dst_ip"}));
  QList<int> layers = view->stack()->rewritten_layers();
  std::sort(layers.begin(), layers.end());
  QCOMPARE(layers, QList<int>({2, 3}));
  view->step(+1);
  QCOMPARE(view->selected_hop(), rewritten + 1);
  view->step(-1);
  view->step(-1);
  QCOMPARE(view->selected_hop(), rewritten - 1);

  // The testbed's capture the TLS lesson ships: a TLS handshake from the client, then
  // the L7 node's own request to a backend, in clear.
  view->open_capture(LBSIM_SOURCE_DIR "/scenarios/lessons/captures/05-l7-a-0.pcap");
  QVERIFY(captured.wait(30000));
  const QJsonObject shipped = captured.last().at(0).toJsonObject();
  QCOMPARE(shipped.value("tier").toString(), QString("l7"));
  int hello = -1, clear = -1;
  const QJsonArray shipped_frames = shipped.value("frames").toArray();
  for (int i = 0; i < shipped_frames.size(); ++i) {
    const QJsonObject f = shipped_frames[i].toObject();
    if (hello < 0 && f.value("message") == "TLS ClientHello") hello = i;
    if (clear < 0 && f.value("message").toString().startsWith("GET /api/users")) clear = i;
  }
  QVERIFY(hello >= 0);
  QVERIFY(clear > hello);
  view->select_hop(hello);
  QCOMPARE(view->stack()->reads_up_to(), 6);
  view->select_hop(clear);
  QCOMPARE(view->stack()->reads_up_to(), 7);

  // Not a capture: said, and the window stays.
  QSignalSpy failed(view, &lbsim::gui::TraceView::failed);
  view->open_capture(LBSIM_SOURCE_DIR "/README.md");
  QVERIFY(failed.wait(30000));
  QVERIFY(failed.last().at(0).toString().contains("README.md"));
}

void GuiTest::parameterEditsRedrawTheLayoutAndSaveAsAFileThatLoads() {
  MainWindow window(LBSIM_BINARY);
  QVERIFY(window.open(write_scenario(kTiny)));
  const int nodes = window.topology()->node_count();
  auto* panel = window.parameters();
  QVERIFY(panel->overrides().isEmpty());
  panel->set_forwarding("dsr");
  panel->set_l7_nodes_per_zone(3);  // 2 more in each of 2 zones
  panel->set_rate(350);
  panel->set_seed(99);
  QCOMPARE(panel->overrides(), QStringList({"clients[0].arrival.rate=350/s", "l4.forwarding=dsr", "l7.nodes_per_zone=3"}));
  QCOMPARE(window.topology()->node_count(), nodes + 4);
  QVERIFY(window.settings().sets == panel->overrides());  // what a run or a trace gets
  const QString saved = dir_.filePath("saved.yaml");
  QVERIFY2(window.save_as(saved), qPrintable(window.status()));
  QCOMPARE(window.file(), saved);  // the saved file is now the open one, edits in it
  QVERIFY(panel->overrides().isEmpty());
  const auto spec = lbsim::cli::load_scenario_file(saved.toStdString());
  QCOMPARE(spec.l4.forwarding, lbsim::config::Forwarding::dsr);
  QCOMPARE(spec.l7->nodes_per_zone, 3u);
  QCOMPARE(spec.clients[0].arrival.profile.rate_at(0), 350.0);
  QCOMPARE(spec.seed, 99u);
  QCOMPARE(window.topology()->node_count(), nodes + 4);
  // Leaving a box without changing it is no edit: nothing to redraw, no run stopped.
  QSignalSpy changed(panel, &lbsim::gui::ParameterPanel::changed);
  panel->set_rate(350);
  QCOMPARE(changed.count(), 0);
  QVERIFY(panel->overrides().isEmpty());
  panel->set_l4_nodes_per_zone(2);
  QCOMPARE(changed.count(), 1);
  QCOMPARE(window.topology()->node_count(), nodes + 4 + 2);
  // Edits carry over to another panel (the window rebuilt in another language).
  panel->set_l7_algorithm("least_outstanding_requests");
  MainWindow rebuilt(LBSIM_BINARY, "ko");
  QVERIFY(rebuilt.open(window.file()));
  rebuilt.parameters()->restore(panel->overrides(), 1234);
  QCOMPARE(rebuilt.parameters()->overrides(), panel->overrides());
  QCOMPARE(rebuilt.parameters()->seed(), std::optional<quint64>(1234));
  QCOMPARE(rebuilt.topology()->node_count(), window.topology()->node_count());
}

void GuiTest::sideBySideRunsL4OnlyAgainstL4PlusL7() {
  MainWindow window(LBSIM_BINARY);
  QVERIFY(window.open(write_scenario(kTiny)));  // two-tier, no variants
  auto* both = window.side_by_side();
  QVERIFY(both != nullptr);
  QSignalSpy done(both, &lbsim::gui::SideBySideWindow::both_finished);
  QVERIFY(done.wait(60000));
  // The left half has no L7 nodes; the right half has one per zone.
  const auto count_l7 = [](const lbsim::gui::TopologyScene* scene) {
    int n = 0;
    for (const char* node : {"l7-a-0", "l7-b-0"}) n += !scene->node_rect(node).isEmpty();
    return n;
  };
  QCOMPARE(count_l7(both->panel(0)->topology()), 0);
  QCOMPARE(count_l7(both->panel(1)->topology()), 2);
  QCOMPARE(both->table_cell(0, 1), QObject::tr("L4 only"));
  QVERIFY(both->table_cell(0, 3).startsWith("Δ"));
  QStringList metrics;
  for (int r = 1; r < both->table_rows(); ++r) metrics << both->table_cell(r, 0);
  QVERIFY2(metrics.contains("latency p99") && metrics.contains("utilization l7"), qPrintable(metrics.join(", ")));
  QCOMPARE(both->table_cell(0, 0), QString("metric"));
  // What differs comes first: the L7 tier's utilization is there on one side only.
  QVERIFY(metrics.indexOf("utilization l7") < metrics.indexOf("requests sent"));
  // Same traffic and seed on both sides: the same requests sent.
  QCOMPARE(both->table_cell(static_cast<int>(metrics.indexOf("requests sent")) + 1, 1),
           both->table_cell(static_cast<int>(metrics.indexOf("requests sent")) + 1, 2));
  // An L4-only file without variants has nothing to set beside itself.
  QVERIFY(window.open(LBSIM_SOURCE_DIR "/scenarios/l4-only-3az.yaml"));
  QVERIFY(window.side_by_side() == nullptr);
  QVERIFY(window.status().contains("side by side"));
}

void GuiTest::everyLessonExplainsItselfInEnglishAndKorean() {
  // One lesson per section of the article: OSI position, L4 algorithms, DNAT vs DSR,
  // content routing, TLS termination, L4 vs L7 on one request, two tiers, the guide.
  const QDir lessons(LBSIM_SOURCE_DIR "/scenarios/lessons");
  const QStringList files = lessons.entryList({"*.yaml"}, QDir::Files, QDir::Name);
  QCOMPARE(files.size(), 8);
  const auto read = [](const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
  };
  for (const QString& file : files) {
    const QString path = lessons.filePath(file), stem = path.chopped(5);
    const auto spec = lbsim::cli::load_scenario_file(path.toStdString());
    const QString english = read(stem + ".md"), korean = read(stem + ".ko.md");
    QVERIFY2(english.size() > 300 && korean.size() > 300, qPrintable(file));
    QCOMPARE(MainWindow::explanation_for(path, spec, "en"), english);
    QCOMPARE(MainWindow::explanation_for(path, spec, "ko"), korean);
    QVERIFY2(korean.contains(QChar(0xD55C)) || korean.contains(QRegularExpression("[\\x{AC00}-\\x{D7A3}]")), qPrintable(file));
  }
  // A scenario without a lesson is explained by its description.
  const QString plain = LBSIM_SOURCE_DIR "/scenarios/compare/dnat-vs-dsr.yaml";
  const auto spec = lbsim::cli::load_scenario_file(plain.toStdString());
  QCOMPARE(MainWindow::explanation_for(plain, spec, "ko"), QString::fromStdString(spec.description));
  MainWindow window(LBSIM_BINARY, "ko");
  QVERIFY(window.open(lessons.filePath(files.front())));
  QVERIFY(!window.explanation().isEmpty());
}

void GuiTest::recentFilesRememberTheLastOpenedFirst() {
  MainWindow window(LBSIM_BINARY);
  const QString a = LBSIM_SOURCE_DIR "/scenarios/two-tier-3az.yaml", b = LBSIM_SOURCE_DIR "/scenarios/l4-only-3az.yaml";
  QVERIFY(window.open(a));
  QVERIFY(window.open(b));
  QVERIFY(window.open(a));
  const QStringList recent = window.recent_files();
  QVERIFY(recent.size() >= 2);
  QCOMPARE(recent[0], QFileInfo(a).absoluteFilePath());
  QCOMPARE(recent[1], QFileInfo(b).absoluteFilePath());
  QCOMPARE(recent.count(QFileInfo(a).absoluteFilePath()), 1);
  MainWindow another(LBSIM_BINARY);  // remembered across windows (and sessions)
  QCOMPARE(another.recent_files().front(), QFileInfo(a).absoluteFilePath());
}

void GuiTest::theKoreanTranslationIsCompleteAndSwitchesTheWindow() {
  // Every message of the .ts is translated, with the same placeholders as its source.
  QFile ts(LBSIM_SOURCE_DIR "/gui/translations/lbsim_ko.ts");
  QVERIFY(ts.open(QIODevice::ReadOnly));
  QDomDocument doc;
  QVERIFY(doc.setContent(&ts));
  const QDomNodeList messages = doc.elementsByTagName("message");
  QVERIFY(messages.size() > 80);
  const QRegularExpression placeholder("%\\d");
  for (int i = 0; i < messages.size(); ++i) {
    const QDomElement m = messages.at(i).toElement();
    const QString source = m.firstChildElement("source").text();
    const QDomElement translation = m.firstChildElement("translation");
    QVERIFY2(translation.attribute("type") != "unfinished" && !translation.text().isEmpty(), qPrintable("untranslated: " + source));
    QStringList in_source, in_translation;
    for (auto it = placeholder.globalMatch(source); it.hasNext();) in_source << it.next().captured();
    for (auto it = placeholder.globalMatch(translation.text()); it.hasNext();) in_translation << it.next().captured();
    in_source.sort();
    in_translation.sort();
    QVERIFY2(in_source == in_translation, qPrintable("placeholders differ: " + source));
  }
  // The compiled translation turns the window Korean.
  QTranslator korean;
  QVERIFY(korean.load(LBSIM_QM_FILE_KO));
  QCoreApplication::installTranslator(&korean);
  // The side-by-side table's metric names, by their keys (names inside keys kept).
  using lbsim::gui::SideBySideWindow;
  QCOMPARE(SideBySideWindow::metric_name("latency_ms.p99", "latency p99"), QString::fromUtf8("지연 시간 p99"));
  QCOMPARE(SideBySideWindow::metric_name("utilization.l7", "utilization l7"), QString::fromUtf8("L7 티어 사용률"));
  QCOMPARE(SideBySideWindow::metric_name("failures.reset", "failures reset"), QString::fromUtf8("실패 reset"));
  QCOMPARE(SideBySideWindow::metric_name("faults.zone_outage b.time_to_detect_s", "zone_outage b: detect"),
           QString::fromUtf8("zone_outage b: 감지"));
  QCOMPARE(SideBySideWindow::metric_name("a.key.this.build.does.not.know", "its label"), QString("its label"));
  {
    MainWindow window(LBSIM_BINARY, "ko");
    QStringList menus;
    for (QAction* a : window.menuBar()->actions()) menus << a->text();
    QVERIFY2(menus.join(" ").contains(QRegularExpression("[\\x{AC00}-\\x{D7A3}]")), qPrintable(menus.join(" ")));
  }
  QCoreApplication::removeTranslator(&korean);
}

void GuiTest::aZoneOutageFadesWhatItsScopeTakes() {
  const auto spec = lbsim::cli::load_scenario_file(write_scenario(kTiny).toStdString());
  lbsim::gui::TopologyScene scene(spec);
  using Fault = lbsim::gui::TopologyScene::Fault;
  using Scope = lbsim::gui::TopologyScene::ZoneScope;
  const auto down = [&](const QStringList& nodes) {
    QStringList out;
    for (const QString& n : nodes)
      if (scene.fault(n) == Fault::down) out << n;
    return out;
  };
  const QStringList zone_b{"l4-b-0", "l7-b-0", "app-b-0", "app-b-1"};
  scene.set_zone_fault("b", Fault::down, Scope::backends);
  QCOMPARE(down(zone_b), QStringList({"app-b-0", "app-b-1"}));
  scene.set_zone_fault("b", Fault::down, Scope::targets);  // the default: L7 nodes and backends
  QCOMPARE(down(zone_b), QStringList({"l7-b-0", "app-b-0", "app-b-1"}));
  scene.set_zone_fault("b", Fault::down, Scope::whole_zone);
  QCOMPARE(down(zone_b), zone_b);
  QCOMPARE(down({"l4-a-0", "l7-a-0", "app-a-0"}), QStringList());
  // A check's verdict and a fault are drawn apart: a dead node found unhealthy stays down.
  scene.set_healthy("app-b-0", false);
  QCOMPARE(scene.fault("app-b-0"), Fault::down);
  QVERIFY(!scene.healthy("app-b-0"));
  scene.set_matching_fault("app-b-*", Fault::none);
  QCOMPARE(down({"app-b-0", "app-b-1"}), QStringList());
  scene.reset_states();
  QVERIFY(scene.healthy("app-b-0"));
  QCOMPARE(down(zone_b), QStringList());
}

void GuiTest::aFaultInForceCanBeEndedFromTheWindow() {
  MainWindow window(LBSIM_BINARY);
  QVERIFY(window.open(write_scenario(QString(kTiny).replace("duration: 3s", "duration: 60s"))));
  RunPanel* panel = window.run_panel();
  lbsim::gui::RunSettings real_time;
  real_time.speed = "realtime";  // a minute of wall time at most: the fault is in force while we look
  QSignalSpy started(&panel->client(), &lbsim::gui::RunClient::started);
  QSignalSpy events(&panel->client(), &lbsim::gui::RunClient::event);
  panel->run(window.file(), real_time);
  QVERIFY(started.wait(10000));
  panel->client().inject(QJsonObject{{"kind", "zone_outage"}, {"zone", "b"}, {"for", "30s"}});
  QTRY_COMPARE_WITH_TIMEOUT(static_cast<int>(panel->faults_in_force().size()), 1, 5000);
  // Offered on what it names (the zone, and so its nodes), not elsewhere.
  QVERIFY(panel->recoveries_for({"", "", "a"}).empty());
  const auto offered = panel->recoveries_for({"app-b-0", "backend", "b"});
  QCOMPARE(static_cast<int>(offered.size()), 1);
  QCOMPARE(offered.front().second.value("cmd").toString(), QString("recover"));
  panel->client().command(offered.front().second);
  QTRY_VERIFY_WITH_TIMEOUT(panel->faults_in_force().empty(), 5000);
  double began = -1, ended = -1;
  for (const auto& args : events) {
    const QJsonObject e = args.at(0).toJsonObject();
    if (e.value("type") == "fault") (e.value("starts").toBool() ? began : ended) = e.value("t").toDouble();
  }
  QVERIFY(began >= 0 && ended >= began);
  QVERIFY2(ended - began < 10, qPrintable(QString("ended %1 s after it began").arg(ended - began)));  // not its 30 s
  QCOMPARE(window.topology()->fault("app-b-0"), lbsim::gui::TopologyScene::Fault::none);
  window.stop();
}

void GuiTest::aChildThatCrashesMidRunIsReportedWithItsLastWords() {
  // A stand-in simulator that starts, ticks once, says why on stderr and dies by SIGSEGV.
  const QString fake = dir_.filePath("crashing-lbsim");
  QFile script(fake);
  QVERIFY(script.open(QIODevice::WriteOnly));
  script.write("#!/bin/sh\n"
               "echo '{\"type\":\"start\",\"zones\":[\"a\",\"b\"]}'\n"
               "echo '{\"type\":\"tick\",\"t\":0.5,\"p50_ms\":10,\"p99_ms\":20,\"errors\":{},\"lost\":0,\"span_s\":0.5,\"zones\":[]}'\n"
               "echo 'lbsim: something went very wrong' >&2\n"
               "kill -SEGV $$\n");
  script.close();
  script.setPermissions(script.permissions() | QFileDevice::ExeOwner);
  MainWindow window(fake);
  QVERIFY(window.open(write_scenario(kTiny)));
  QSignalSpy failed(&window.client(), &lbsim::gui::RunClient::failed);
  window.run();
  QVERIFY(failed.wait(10000));
  const QString why = failed.front().at(0).toString();
  QVERIFY2(why.contains("crashed") && why.contains("something went very wrong"), qPrintable(why));
  QVERIFY2(window.status().contains("crashed"), qPrintable(window.status()));
  QTRY_COMPARE_WITH_TIMEOUT(window.run_panel()->charts()->latency_points(), 1, 2000);  // the tick it sent is kept
  QVERIFY(window.open(write_scenario(kTiny)));  // and the window goes on
}

void GuiTest::theL7TierExportsAsHaproxyAndNginxConfiguration() {
  MainWindow window(LBSIM_BINARY);
  QVERIFY(window.open(LBSIM_SOURCE_DIR "/scenarios/lessons/04-content-routing.yaml"));
  // The parameter panel's edits go with it: ALB's other algorithm.
  window.parameters()->set_l7_algorithm("least_outstanding_requests");
  QTemporaryDir out;
  QVERIFY(window.export_l7("haproxy", out.path()));
  QFile haproxy(out.filePath("haproxy.cfg"));
  QVERIFY(haproxy.open(QIODevice::ReadOnly));
  QVERIFY(QString::fromUtf8(haproxy.readAll()).contains("balance leastconn"));
  QVERIFY(QFileInfo::exists(out.filePath("export-report.txt")));
  QVERIFY2(window.status().contains("haproxy") && window.status().contains("approximated or dropped"), qPrintable(window.status()));
  QVERIFY(window.export_l7("nginx", out.path()));
  QVERIFY(QFileInfo::exists(out.filePath("nginx.conf")));
  // An L4-only layout has nothing to export, and says so.
  QVERIFY(window.open(LBSIM_SOURCE_DIR "/scenarios/testbed/l4-dnat.yaml"));
  QVERIFY(!window.export_l7("haproxy", out.path()));
  QVERIFY2(window.status().contains("L4-only"), qPrintable(window.status()));
}

int main(int argc, char** argv) {
  qputenv("QT_QPA_PLATFORM", "offscreen");
  // Settings (recent files) go to a throwaway place, not the user's.
  QTemporaryDir settings;
  qputenv("XDG_CONFIG_HOME", settings.path().toLocal8Bit());
  QApplication app(argc, argv);
  QCoreApplication::setOrganizationName("lbsim-tests");
  QCoreApplication::setApplicationName("lbsim-gui-tests");
  GuiTest test;
  return QTest::qExec(&test, argc, argv);
}

#include "gui_test.moc"
