// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/run_panel.hpp"

#include <QGraphicsView>
#include <QJsonArray>
#include <QActionGroup>
#include <QMenu>
#include <QRegularExpression>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

#include "cli/scenario_file.hpp"

namespace lbsim::gui {

QStringList RunSettings::arguments() const {
  QStringList args{"--speed", speed};
  if (!sample_every.isEmpty()) args << "--sample-every" << sample_every;
  return args + scenario_arguments();
}

QStringList RunSettings::scenario_arguments() const {
  QStringList args;
  if (seed) args << "--seed" << QString::number(*seed);
  if (!variant.isEmpty()) args << "--variant" << variant;
  for (const QString& set : sets) args << "--set" << set;
  return args;
}

config::ScenarioSpec RunSettings::load(const QString& file) const {
  std::vector<std::string> options;
  for (const QString& set : sets) options.push_back(set.toStdString());
  const auto chosen = variant.isEmpty() ? std::nullopt : std::optional(variant.toStdString());
  config::ScenarioSpec spec = cli::load_scenario_file(file.toStdString(), chosen, cli::parse_set_options(options));
  if (seed) spec.seed = *seed;
  return spec;
}

QString first_line(const std::exception& e) { return QString::fromLocal8Bit(e.what()).section('\n', 0, 0); }

RunPanel::RunPanel(const QString& lbsim_program, Qt::Orientation orientation, QWidget* parent)
    : QWidget(parent), client_(lbsim_program) {
  view_ = new FittingView;
  view_->setRenderHint(QPainter::Antialiasing);
  // Right click on a node or a zone: break it, live.
  view_->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(view_, &QGraphicsView::customContextMenuRequested, this, [this](const QPoint& at) { show_fault_menu(at); });
  charts_ = new LiveCharts(orientation == Qt::Vertical ? LiveCharts::Arrangement::tabbed : LiveCharts::Arrangement::stacked);
  auto* split = new QSplitter(orientation);
  split->addWidget(view_);
  split->addWidget(charts_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  split->setSizes({900, 600});
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(split);

  connect(&client_, &RunClient::tick, this, [this](const QJsonObject& t) { on_tick(t); });
  connect(&client_, &RunClient::event, this, [this](const QJsonObject& e) { on_event(e); });
  connect(&client_, &RunClient::finished, this, [this](const QJsonObject& summary) {
    const QJsonObject latency = summary.value("latency_ms").toObject();
    emit status(tr("finished: %1 requests, p50 %2 ms, p99 %3 ms")
                    .arg(summary.value("requests").toObject().value("sent").toInteger())
                    .arg(latency.value("p50").toDouble())
                    .arg(latency.value("p99").toDouble()));
    charts_->redraw();
    emit finished(summary);
  });
  connect(&client_, &RunClient::failed, this, [this](const QString& why) { emit status(tr("error: %1").arg(why)); });
  connect(&client_, &RunClient::stopped, this, [this] { emit status(tr("stopped")); });
  // Redraw at a fixed rate, not per tick: the window stays responsive at any speed.
  auto* redraw = new QTimer(this);
  connect(redraw, &QTimer::timeout, charts_, &LiveCharts::redraw);
  redraw->start(200);
}

RunPanel::~RunPanel() { client_.stop(); }

void RunPanel::show_layout(const config::ScenarioSpec& spec) {
  stop();
  scene_ = std::make_unique<TopologyScene>(spec);
  view_->setScene(scene_.get());
  fit_view();
  zones_.clear();
  for (const auto& zone : spec.topology.zones) zones_ << QString::fromStdString(zone);
  charts_->reset(zones_);
}

void RunPanel::fit_view() { view_->fit(); }

void RunPanel::run(const QString& file, const RunSettings& settings) {
  if (!scene_) return;
  stop();
  // A fresh picture: every node healthy and idle, the charts empty.
  scene_->reset_states();
  charts_->reset(zones_);
  in_force_.clear();
  verdicts_.clear();
  ejected_until_.clear();
  sample_speed_ = settings.sample_every.isEmpty() ? 0 : settings.sample_speed;
  client_.start(file, settings.arguments());
}

void RunPanel::stop() { client_.stop(); }

void RunPanel::on_tick(const QJsonObject& tick) {
  charts_->add_tick(tick);
  expire_ejections(tick.value("t").toDouble());
  if (scene_) {
    const QJsonObject nodes = tick.value("nodes").toObject();
    for (auto it = nodes.begin(); it != nodes.end(); ++it) scene_->set_utilization(it.key(), it.value().toDouble());
  }
  emit status(tr("t = %1 s").arg(tick.value("t").toDouble()));
}

void RunPanel::on_event(const QJsonObject& event) {
  const QString type = event.value("type").toString();
  if (type == "fault") on_fault(event);
  else if (type == "health") on_health(event);
  else if (type == "rejected") emit status(tr("fault rejected: %1").arg(event.value("error").toString()));
  else if (type == "sample" && sample_speed_ > 0) on_sample(event);
}

// A sampled request travels the layout node to node, each leg as long as it took in the
// simulation, slowed to the run's speed.
void RunPanel::on_sample(const QJsonObject& event) {
  QList<TopologyScene::Stop> stops;
  for (const auto& hop : event.value("hops").toArray()) {
    const QJsonObject h = hop.toObject();
    stops.push_back({h.value("node").toString(), h.value("at_ms").toDouble() / sample_speed_});
  }
  scene_->send_sample(stops);
}

// Faults recolour what they name, read from the event's structured fields (kind, zone,
// scope, targets: reports::fault_fields), never from its label.
void RunPanel::on_fault(const QJsonObject& event) {
  charts_->add_fault_marker(event.value("t").toDouble());
  if (event.value("starts").toBool()) in_force_[event.value("fault").toInt()] = event;
  else in_force_.erase(event.value("fault").toInt());
  draw_faults();
}

void RunPanel::draw_faults() {
  if (!scene_) return;
  scene_->clear_faults();
  using Fault = TopologyScene::Fault;
  for (const Fault strength : {Fault::draining, Fault::slow, Fault::down})
    for (const auto& [index, fault] : in_force_) draw_fault(fault, strength);
}

void RunPanel::on_health(const QJsonObject& event) {
  const QString target = event.value("target").toString(), checker = event.value("checker").toString();
  const bool healthy = event.value("healthy").toBool();
  if (event.contains("until")) ejected_until_[target][checker] = event.value("until").toDouble();
  else verdicts_[target][checker] = !healthy;
  draw_health(target);
}

void RunPanel::draw_health(const QString& target) {
  if (!scene_) return;
  bool unhealthy = !ejected_until_[target].empty();
  for (const auto& [checker, says_unhealthy] : verdicts_[target]) unhealthy = unhealthy || says_unhealthy;
  scene_->set_healthy(target, !unhealthy);
}

// An outlier ejection ends at its time without an event of its own.
void RunPanel::expire_ejections(double now) {
  for (auto& [target, detectors] : ejected_until_) {
    const auto before = detectors.size();
    std::erase_if(detectors, [now](const auto& entry) { return entry.second <= now; });
    if (detectors.size() != before) draw_health(target);
  }
}

// Draws one fault's effect if it is of strength `only`.
void RunPanel::draw_fault(const QJsonObject& fault, TopologyScene::Fault only) {
  const QString kind = fault.value("kind").toString(), zone = fault.value("zone").toString(),
                targets = fault.value("targets").toString();
  using Fault = TopologyScene::Fault;
  using Scope = TopologyScene::ZoneScope;
  if (kind == "zone_outage" && only == Fault::down) {
    const QString scope = fault.value("scope").toString();
    scene_->set_zone_fault(zone, Fault::down, scope == "zone" ? Scope::whole_zone : scope == "backends" ? Scope::backends : Scope::targets);
  } else if ((kind == "backend_crash" || kind == "node_loss") && only == Fault::down) {
    scene_->set_matching_fault(targets, Fault::down);
  } else if (kind == "slow_backend" && only == Fault::slow) {
    scene_->set_matching_fault(targets, Fault::slow);
  } else if (kind == "deregistration" && only == Fault::draining) {
    scene_->set_matching_fault(targets, Fault::draining);
  } else if (kind == "zonal_shift" && only == Fault::draining) {
    scene_->set_zone_fault(zone, Fault::draining, Scope::targets);
  }
}

std::vector<std::pair<QString, std::optional<double>>> RunPanel::fault_durations() {
  std::vector<std::pair<QString, std::optional<double>>> out;
  for (const std::optional<double> s : {std::optional(10.0), std::optional(30.0), std::optional(60.0), std::optional(120.0),
                                        std::optional(300.0), std::optional<double>()})
    out.push_back({duration_label(s), s});
  return out;
}

QString RunPanel::duration_label(std::optional<double> for_s) {
  if (!for_s) return tr("until the end");
  const int s = static_cast<int>(*for_s);
  return s % 60 == 0 ? tr("%1 min").arg(s / 60) : tr("%1 s").arg(s);
}

std::vector<std::pair<QString, QJsonObject>> RunPanel::faults_for(const TopologyScene::Hit& hit, std::optional<double> for_s) {
  std::vector<std::pair<QString, QJsonObject>> faults;
  const auto fault = [for_s](std::initializer_list<std::pair<QString, QJsonValue>> fields) {
    QJsonObject f;
    if (for_s) f.insert("for", QString::number(*for_s) + "s");  // none: until the end of the run
    for (const auto& [k, v] : fields) f.insert(k, v);
    return f;
  };
  // "for 1 min" or "until the end", after the fault's name.
  const QString lasting = for_s ? tr("for %1").arg(duration_label(for_s)) : duration_label(for_s);
  if (hit.kind == "backend") {
    faults.push_back({tr("Crash %1 %2").arg(hit.node, lasting), fault({{"kind", "backend_crash"}, {"targets", hit.node}})});
    faults.push_back({tr("Slow %1 down ×10 %2").arg(hit.node, lasting),
                      fault({{"kind", "slow_backend"}, {"targets", hit.node}, {"factor", 10}})});
  } else if (hit.kind == "l4" || hit.kind == "l7") {
    faults.push_back({tr("Lose %1 %2").arg(hit.node, lasting), fault({{"kind", "node_loss"}, {"targets", hit.node}})});
  }
  if (!hit.zone.isEmpty()) {
    faults.push_back({tr("Zone %1 outage %2").arg(hit.zone, lasting), fault({{"kind", "zone_outage"}, {"zone", hit.zone}})});
    faults.push_back({tr("Zonal shift away from %1 %2").arg(hit.zone, lasting), fault({{"kind", "zonal_shift"}, {"zone", hit.zone}})});
  }
  return faults;
}

std::vector<std::pair<QString, QJsonObject>> RunPanel::recoveries_for(const TopologyScene::Hit& hit) const {
  std::vector<std::pair<QString, QJsonObject>> recoveries;
  for (const auto& [index, fault] : in_force_) {
    const QString targets = fault.value("targets").toString(), zone = fault.value("zone").toString();
    const bool names_node = !hit.node.isEmpty() && !targets.isEmpty() &&
                            QRegularExpression(QRegularExpression::wildcardToRegularExpression(targets)).match(hit.node).hasMatch();
    const bool names_zone = !hit.zone.isEmpty() && zone == hit.zone;
    if (names_node || names_zone)
      recoveries.push_back({tr("Recover now from %1").arg(fault.value("label").toString()), QJsonObject{{"cmd", "recover"}, {"fault", index}}});
  }
  return recoveries;
}

void RunPanel::show_fault_menu(const QPoint& at) {
  if (!scene_) return;
  const TopologyScene::Hit hit = scene_->hit(view_->mapToScene(at));
  const auto faults = faults_for(hit, fault_duration_s_);
  const auto recoveries = recoveries_for(hit);
  if (faults.empty() && recoveries.empty()) return;
  QMenu menu(this);
  for (const auto& [label, command] : recoveries) {
    const QJsonObject c = command;
    menu.addAction(label, this, [this, c] { client_.command(c); });
  }
  if (!recoveries.empty()) menu.addSeparator();
  for (const auto& [label, fault] : faults) {
    const QJsonObject f = fault;
    menu.addAction(label, this, [this, f] { client_.inject(f); });
  }
  if (!faults.empty()) {
    // How long the faults above last: the choice stays for the next right click.
    QMenu* lasting = menu.addMenu(tr("Faults last: %1").arg(duration_label(fault_duration_s_)));
    auto* group = new QActionGroup(lasting);
    for (const auto& [label, seconds] : fault_durations()) {
      QAction* choice = lasting->addAction(label, this, [this, s = seconds] { fault_duration_s_ = s; });
      choice->setCheckable(true);
      choice->setChecked(seconds == fault_duration_s_);
      group->addAction(choice);
    }
  }
  if (!client_.running()) {
    menu.addSeparator();
    menu.addAction(tr("(run the scenario first: faults go to a running simulation)"))->setEnabled(false);
    // Faults need a run; how long they last may be chosen beforehand.
    for (QAction* a : menu.actions())
      if (a->menu() == nullptr) a->setEnabled(false);
  }
  menu.exec(view_->viewport()->mapToGlobal(at));
}

}  // namespace lbsim::gui
