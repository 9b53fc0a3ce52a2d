// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/main_window.hpp"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QFileDialog>
#include <QGraphicsView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QDir>
#include <QDirIterator>
#include <QLegendMarker>
#include <QMenuBar>
#include <QLineSeries>
#include <QMenu>
#include <QSplitter>
#include <QStatusBar>
#include <QToolBar>
#include <QValueAxis>
#include <QVBoxLayout>

#include "cli/scenario_file.hpp"
#include "config/loader.hpp"

namespace lbsim::gui {
namespace {

QChart* make_chart(const QString& title, const QString& y_title) {
  auto* chart = new QChart;
  chart->setTitle(title);
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->legend()->setAlignment(Qt::AlignBottom);
  auto* x = new QValueAxis;
  x->setTitleText(QObject::tr("simulated time (s)"));
  x->setLabelFormat("%g");
  auto* y = new QValueAxis;
  y->setTitleText(y_title);
  y->setLabelFormat("%g");
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  return chart;
}

QLineSeries* add_series(QChart* chart, const QString& name) {
  auto* series = new QLineSeries;
  series->setName(name);
  chart->addSeries(series);
  for (QAbstractAxis* axis : chart->axes()) series->attachAxis(axis);
  return series;
}

// Fits both axes to what the series hold now.
void fit(QChart* chart) {
  double x_max = 1, y_max = 1;
  for (QAbstractSeries* s : chart->series()) {
    if (s->objectName() == "marker") continue;  // fault markers follow the axes, not the reverse
    for (const QPointF& p : static_cast<QLineSeries*>(s)->points()) {
      x_max = std::max(x_max, p.x());
      y_max = std::max(y_max, p.y());
    }
  }
  chart->axes(Qt::Horizontal).front()->setRange(0, x_max);
  auto* y = static_cast<QValueAxis*>(chart->axes(Qt::Vertical).front());
  y->setRange(0, y_max * 1.1);
  y->applyNiceNumbers();
}

}  // namespace

MainWindow::MainWindow(QString lbsim_program, QWidget* parent)
    : QMainWindow(parent), program_(std::move(lbsim_program)), client_(program_) {
  build_ui();
  connect(&client_, &RunClient::tick, this, [this](const QJsonObject& t) { on_tick(t); });
  connect(&client_, &RunClient::event, this, [this](const QJsonObject& e) { on_event(e); });
  connect(&client_, &RunClient::finished, this, [this](const QJsonObject& summary) {
    status_->setText(tr("finished: %1 requests, p99 %2 ms")
                         .arg(summary.value("requests").toObject().value("sent").toInteger())
                         .arg(summary.value("latency_ms").toObject().value("p99").toDouble()));
    dirty_ = true;
  });
  connect(&client_, &RunClient::failed, this, [this](const QString& why) { status_->setText(tr("error: %1").arg(why)); });
  // Redraw at a fixed rate, not per tick: the window stays responsive at any speed.
  connect(&redraw_timer_, &QTimer::timeout, this, [this] { redraw(); });
  redraw_timer_.start(200);
}

MainWindow::~MainWindow() { client_.stop(); }

QStringList MainWindow::shipped_scenarios(const QString& folder) {
  QStringList files;
  QDirIterator it(folder, {"*.yaml"}, QDir::Files, QDirIterator::Subdirectories);
  while (it.hasNext()) files << QDir(folder).relativeFilePath(it.next());
  files.sort();
  return files;
}

void MainWindow::set_scenario_folder(const QString& folder) {
  scenario_folder_ = folder;
  menu_scenarios_ = shipped_scenarios(folder);
  scenarios_menu_->clear();
  for (const QString& file : menu_scenarios_)
    scenarios_menu_->addAction(file, this, [this, file] { open(QDir(scenario_folder_).filePath(file)); });
  scenarios_menu_->setEnabled(!menu_scenarios_.isEmpty());
}

void MainWindow::build_ui() {
  setWindowTitle(tr("lbsim"));
  // The shipped scenarios, one click away (set_scenario_folder fills the menu).
  scenarios_menu_ = menuBar()->addMenu(tr("Scenarios"));
  scenarios_menu_->setEnabled(false);
  auto* toolbar = addToolBar(tr("Run"));
  toolbar->addAction(tr("Open…"), this, [this] {
    const QString file = QFileDialog::getOpenFileName(this, tr("Open a scenario"), QString(), tr("Scenarios (*.yaml)"));
    if (!file.isEmpty()) open(file);
  });
  toolbar->addAction(tr("Run"), this, [this] { run(); });
  toolbar->addAction(tr("Stop"), this, [this] { stop(); });
  toolbar->addAction(tr("Pause"), this, [this] { client_.command({{"cmd", "pause"}}); });
  toolbar->addAction(tr("Resume"), this, [this] { client_.command({{"cmd", "resume"}}); });
  speed_ = new QComboBox;
  speed_->addItem(tr("as fast as possible"), "max");
  speed_->addItem(tr("real time"), "realtime");
  speed_->addItem(tr("10 × real time"), "10x");
  toolbar->addWidget(speed_);

  view_ = new QGraphicsView;
  view_->setRenderHint(QPainter::Antialiasing);
  // Right click on a node or a zone: break it, live.
  view_->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(view_, &QGraphicsView::customContextMenuRequested, this, [this](const QPoint& at) { show_fault_menu(at); });
  latency_chart_ = make_chart(tr("Latency"), tr("ms"));
  p50_series_ = add_series(latency_chart_, tr("p50"));
  p99_series_ = add_series(latency_chart_, tr("p99"));
  throughput_chart_ = make_chart(tr("Throughput per entry zone"), tr("requests per second"));
  auto* charts = new QWidget;
  auto* column = new QVBoxLayout(charts);
  for (QChart* chart : {latency_chart_, throughput_chart_}) {
    auto* chart_view = new QChartView(chart);
    chart_view->setRenderHint(QPainter::Antialiasing);
    column->addWidget(chart_view);
  }
  auto* split = new QSplitter;
  split->addWidget(view_);
  split->addWidget(charts);
  split->setSizes({600, 600});
  setCentralWidget(split);
  status_ = new QLabel(tr("open a scenario"));
  statusBar()->addWidget(status_, 1);
  resize(1400, 800);
}

bool MainWindow::open(const QString& file) {
  try {
    auto spec = std::make_unique<config::ScenarioSpec>(cli::load_scenario_file(file.toStdString()));
    stop();
    spec_ = std::move(spec);
    file_ = file;
    scene_ = std::make_unique<TopologyScene>(*spec_);
    view_->setScene(scene_.get());
    view_->fitInView(scene_->itemsBoundingRect(), Qt::KeepAspectRatio);
    reset_charts();
    setWindowTitle(tr("lbsim — %1").arg(QString::fromStdString(spec_->name)));
    status_->setText(tr("%1: %2 nodes in %3 zones").arg(QString::fromStdString(spec_->name)).arg(scene_->node_count()).arg(scene_->zone_count()));
    return true;
  } catch (const std::exception& e) {
    status_->setText(tr("cannot open: %1").arg(QString::fromLocal8Bit(e.what()).section('\n', 0, 0)));
    return false;
  }
}

void MainWindow::reset_charts() {
  p50_.clear();
  p99_.clear();
  zone_rps_.clear();
  markers_.clear();
  for (auto& [zone, series] : zone_series_) {
    throughput_chart_->removeSeries(series);
    delete series;
  }
  zone_series_.clear();
  if (spec_)
    for (const auto& zone : spec_->topology.zones)
      zone_series_[QString::fromStdString(zone)] = add_series(throughput_chart_, tr("zone %1").arg(QString::fromStdString(zone)));
  dirty_ = true;
}

void MainWindow::run() {
  if (file_.isEmpty()) return;
  reset_charts();
  client_.start(file_, speed_->currentData().toString());
  status_->setText(tr("running %1…").arg(QString::fromStdString(spec_->name)));
}

void MainWindow::stop() { client_.stop(); }

void MainWindow::on_tick(const QJsonObject& tick) {
  const double t = tick.value("t").toDouble();
  const auto push = [](std::deque<QPointF>& buffer, QPointF p) {
    buffer.push_back(p);
    if (buffer.size() > kMaxPoints) buffer.pop_front();
  };
  if (!tick.value("p50_ms").isNull()) push(p50_, {t, tick.value("p50_ms").toDouble()});
  if (!tick.value("p99_ms").isNull()) push(p99_, {t, tick.value("p99_ms").toDouble()});
  const double tick_s = std::max(1e-9, t - (zone_rps_.empty() || zone_rps_.begin()->second.empty() ? 0.0 : zone_rps_.begin()->second.back().x()));
  for (const auto& z : tick.value("zones").toArray()) {
    const QJsonObject zone = z.toObject();
    const double ok = zone.value("answered").toDouble() - zone.value("failed").toDouble();
    push(zone_rps_[zone.value("zone").toString()], {t, ok / tick_s});
  }
  status_->setText(tr("t = %1 s").arg(t));
  dirty_ = true;
}

void MainWindow::on_event(const QJsonObject& event) {
  const QString type = event.value("type").toString();
  if (type == "fault") {
    markers_.push_back(event.value("t").toDouble());
    const QString label = event.value("label").toString();
    const bool starts = event.value("starts").toBool();
    if (scene_ && label.startsWith("zone_outage ")) {
      scene_->set_zone_state(label.section(' ', 1, 1), starts ? TopologyScene::State::down : TopologyScene::State::healthy,
                             label.contains("whole zone"));
    }
  } else if (type == "health" && scene_) {
    scene_->set_state(event.value("target").toString(),
                      event.value("healthy").toBool() ? TopologyScene::State::healthy : TopologyScene::State::unhealthy);
  }
}

void MainWindow::redraw() {
  if (!dirty_) return;
  dirty_ = false;
  const auto list = [](const std::deque<QPointF>& d) { return QList<QPointF>(d.begin(), d.end()); };
  p50_series_->replace(list(p50_));
  p99_series_->replace(list(p99_));
  for (auto& [zone, series] : zone_series_) series->replace(list(zone_rps_[zone]));
  fit(latency_chart_);
  fit(throughput_chart_);
  draw_markers(latency_chart_);
  draw_markers(throughput_chart_);
}

std::vector<std::pair<QString, QJsonObject>> MainWindow::faults_for(const TopologyScene::Hit& hit) {
  std::vector<std::pair<QString, QJsonObject>> faults;
  const auto fault = [](std::initializer_list<std::pair<QString, QJsonValue>> fields) {
    QJsonObject f{{"for", "30s"}};
    for (const auto& [k, v] : fields) f.insert(k, v);
    return f;
  };
  if (hit.kind == "backend") {
    faults.push_back({tr("Crash %1 for 30 s").arg(hit.node), fault({{"kind", "backend_crash"}, {"targets", hit.node}})});
    faults.push_back({tr("Slow %1 down ×10 for 30 s").arg(hit.node),
                      fault({{"kind", "slow_backend"}, {"targets", hit.node}, {"factor", 10}})});
  } else if (hit.kind == "l4" || hit.kind == "l7") {
    faults.push_back({tr("Lose %1 for 30 s").arg(hit.node), fault({{"kind", "node_loss"}, {"targets", hit.node}})});
  }
  if (!hit.zone.isEmpty()) {
    faults.push_back({tr("Zone %1 outage for 30 s").arg(hit.zone), fault({{"kind", "zone_outage"}, {"zone", hit.zone}})});
    faults.push_back({tr("Zonal shift away from %1 for 30 s").arg(hit.zone), fault({{"kind", "zonal_shift"}, {"zone", hit.zone}})});
  }
  return faults;
}

void MainWindow::show_fault_menu(const QPoint& at) {
  if (!scene_) return;
  const auto faults = faults_for(scene_->hit(view_->mapToScene(at)));
  if (faults.empty()) return;
  QMenu menu(this);
  for (const auto& [label, fault] : faults) {
    const QJsonObject f = fault;
    menu.addAction(label, this, [this, f] { client_.inject(f); });
  }
  if (!client_.running()) menu.setEnabled(false);  // faults go to a running simulation
  menu.exec(view_->viewport()->mapToGlobal(at));
}

// A dashed vertical line at each fault's start or end, the height of the chart.
void MainWindow::draw_markers(QChart* chart) {
  for (QAbstractSeries* s : chart->series())
    if (s->objectName() == "marker") {
      chart->removeSeries(s);
      delete s;
    }
  const double top = static_cast<QValueAxis*>(chart->axes(Qt::Vertical).front())->max();
  for (double x : markers_) {
    auto* line = add_series(chart, QString());
    line->setObjectName("marker");
    line->append(x, 0);
    line->append(x, top);
    QPen pen(QColor(200, 40, 40));
    pen.setStyle(Qt::DashLine);
    line->setPen(pen);
    chart->legend()->markers(line).front()->setVisible(false);
  }
}

int MainWindow::latency_points() const { return static_cast<int>(p99_series_->count()); }

int MainWindow::throughput_points() const {
  int n = 0;
  for (const auto& [zone, series] : zone_series_) n += series->count();
  return n;
}

QString MainWindow::status() const { return status_->text(); }

}  // namespace lbsim::gui
