// SPDX-License-Identifier: GPL-3.0-or-later
// lbsim-gui under Qt Test, on the offscreen platform: shipped scenarios draw as many
// nodes and links as their topology has; a run streams ticks into the charts; a fault
// injected from the window reaches the child and comes back as an event; a child that
// cannot run is reported in the window, which lives on.
#include <QApplication>
#include <QDirIterator>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "cli/scenario_file.hpp"
#include "gui/main_window.hpp"
#include "topology/topology.hpp"

using lbsim::gui::MainWindow;

class GuiTest : public QObject {
  Q_OBJECT
private slots:
  void everyShippedScenarioDrawsItsWholeTopology();
  void aRunStreamsTicksIntoTheCharts();
  void aFaultFromTheWindowReachesTheChildAndComesBack();
  void aChildThatCannotRunIsReportedNotFatal();
  void aRightClickOffersTheFaultsThatFitWhatWasClicked();
  void theScenariosMenuListsEveryShippedScenario();

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
  QTest::qWait(300);  // one redraw
  QVERIFY(window.latency_points() >= 3);    // a tick every 500 ms of 3 s
  QVERIFY(window.throughput_points() >= 6);  // and one per zone
  QVERIFY(window.status().startsWith("finished"));
}

void GuiTest::aFaultFromTheWindowReachesTheChildAndComesBack() {
  MainWindow window(LBSIM_BINARY);
  QVERIFY(window.open(write_scenario(kTiny)));
  QSignalSpy events(&window.client(), &lbsim::gui::RunClient::event);
  QSignalSpy started(&window.client(), &lbsim::gui::RunClient::started);
  window.run();
  QVERIFY(started.wait(10000));
  window.client().inject(QJsonObject{{"kind", "zone_outage"}, {"zone", "b"}, {"for", "1s"}});
  QSignalSpy finished(&window.client(), &lbsim::gui::RunClient::finished);
  QVERIFY(finished.wait(30000));
  bool seen = false;
  for (const auto& args : events)
    seen = seen || (args.at(0).toJsonObject().value("type") == "fault" && args.at(0).toJsonObject().value("label") == "zone_outage b");
  QVERIFY(seen);
  QVERIFY(window.fault_markers() >= 1);
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
  const auto backend = MainWindow::faults_for({"app-b-1", "backend", "b"});
  QCOMPARE(names(backend), QStringList({"backend_crash", "slow_backend", "zone_outage", "zonal_shift"}));
  QCOMPARE(backend.front().second.value("targets").toString(), QString("app-b-1"));
  QCOMPARE(names(MainWindow::faults_for({"l7-a-0", "l7", "a"})), QStringList({"node_loss", "zone_outage", "zonal_shift"}));
  QCOMPARE(names(MainWindow::faults_for({"client-web", "client", ""})), QStringList());
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

int main(int argc, char** argv) {
  qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  GuiTest test;
  return QTest::qExec(&test, argc, argv);
}

#include "gui_test.moc"
