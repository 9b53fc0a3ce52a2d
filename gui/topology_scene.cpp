// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/topology_scene.hpp"

#include <QBrush>
#include <QCoreApplication>
#include <QFont>
#include <QEasingCurve>
#include <QGraphicsItemGroup>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QPen>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <map>

#include "topology/topology.hpp"

namespace lbsim::gui {
namespace {

constexpr double kColumnX[] = {0, 220, 440, 660};  // client, L4, L7, backend
// The scene is no QObject: its strings are translated in the context lupdate gives them.
constexpr const char* kContext = "lbsim::gui::TopologyScene";
constexpr double kBoxW = 150, kBoxH = 26, kGap = 8, kBandPad = 30;

int column_of(topology::NodeKind kind) {
  switch (kind) {
    case topology::NodeKind::client: return 0;
    case topology::NodeKind::l4: return 1;
    case topology::NodeKind::l7: return 2;
    case topology::NodeKind::backend: return 3;
  }
  return 0;
}

QColor colour_of(topology::NodeKind kind) {
  const std::string_view name = topology::to_string(kind);
  return tier_colour(QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size())));
}

}  // namespace

void FittingView::fit() {
  if (scene() != nullptr) fitInView(scene()->itemsBoundingRect().adjusted(-10, -10, 10, 10), Qt::KeepAspectRatio);
}

void FittingView::resizeEvent(QResizeEvent* event) {
  QGraphicsView::resizeEvent(event);
  fit();
}

void FittingView::showEvent(QShowEvent* event) {
  QGraphicsView::showEvent(event);
  fit();
}

QColor tier_colour(const QString& tier) {
  if (tier == "l4") return QColor(61, 133, 198);
  if (tier == "l7") return QColor(106, 168, 79);
  if (tier == "client") return QColor(230, 145, 56);
  return QColor(120, 120, 120);
}

TopologyScene::TopologyScene(const config::ScenarioSpec& spec, QObject* parent) : QGraphicsScene(parent) {
  const topology::Topology topo(spec);
  const auto& graph = topo.graph();
  // Rows: per zone, per column, nodes stacked; a zone's band is as tall as its fullest column.
  std::map<std::pair<std::uint32_t, int>, int> row;  // (zone, column) -> nodes placed
  std::vector<int> zone_rows(spec.topology.zones.size(), 1);
  for (auto v : boost::make_iterator_range(boost::vertices(graph))) {
    const auto& n = graph[v];
    if (n.kind == topology::NodeKind::client) continue;
    zone_rows[n.zone_index] = std::max(zone_rows[n.zone_index], ++row[{n.zone_index, column_of(n.kind)}]);
  }
  std::vector<double> band_top(zone_rows.size(), 0);
  double y = 0;
  for (std::size_t z = 0; z < zone_rows.size(); ++z) {
    band_top[z] = y;
    const double height = zone_rows[z] * (kBoxH + kGap) + 2 * kBandPad;
    auto* band = addRect(kColumnX[1] - 20, y, kColumnX[3] + kBoxW + 40 - kColumnX[1], height, QPen(QColor(180, 180, 180), 1, Qt::DashLine),
                         QBrush(QColor(245, 245, 250)));
    band->setZValue(-2);
    bands_.insert(QString::fromStdString(spec.topology.zones[z]), band->rect());
    auto* label = addSimpleText(QCoreApplication::translate(kContext, QT_TRANSLATE_NOOP("lbsim::gui::TopologyScene", "zone %1")).arg(QString::fromStdString(spec.topology.zones[z])));
    label->setPos(kColumnX[1] - 15, y + 4);
    y += height + 20;
    ++zones_;
  }
  row.clear();
  std::map<topology::Vertex, QPointF> centre;
  int clients = 0;
  for (auto v : boost::make_iterator_range(boost::vertices(graph))) {
    const auto& n = graph[v];
    const int column = column_of(n.kind);
    double top = 0;
    if (n.kind == topology::NodeKind::client) {
      top = y / 2 - kBoxH / 2 + clients++ * (kBoxH + kGap);
    } else {
      top = band_top[n.zone_index] + kBandPad + row[{n.zone_index, column}]++ * (kBoxH + kGap);
    }
    auto* box = addRect(kColumnX[column], top, kBoxW, kBoxH, QPen(Qt::black, 0.5), QBrush(colour_of(n.kind)));
    box->setToolTip(QString::fromStdString(n.name + " (" + std::string(topology::to_string(n.kind)) + ")"));
    auto* text = addSimpleText(QString::fromStdString(n.name));
    text->setBrush(Qt::white);
    text->setPos(kColumnX[column] + 6, top + 5);
    const QString name = QString::fromStdString(n.name);
    auto* bar = addRect(kColumnX[column] + 1, top + kBoxH - 5, 0, 4, Qt::NoPen, QBrush(Qt::green));
    bar->setZValue(1);
    auto* outline = addRect(box->rect().adjusted(-4, -4, 4, 4), QPen(QColor(255, 190, 0), 4), Qt::NoBrush);
    outline->setVisible(false);
    bars_.insert(name, bar);
    colours_.insert(name, colour_of(n.kind));
    outlines_.insert(name, outline);
    nodes_.insert(name, box);
    zone_of_.insert(name, QString::fromStdString(n.zone));
    kind_of_.insert(name, QString::fromStdString(std::string(topology::to_string(n.kind))));
    centre[v] = QPointF(kColumnX[column] + kBoxW / 2, top + kBoxH / 2);
  }
  add_legend(y + 10);
  for (auto e : boost::make_iterator_range(boost::edges(graph))) {
    const QPointF a = centre[boost::source(e, graph)] + QPointF(kBoxW / 2, 0);
    const QPointF b = centre[boost::target(e, graph)] - QPointF(kBoxW / 2, 0);
    addLine(QLineF(a, b), QPen(QColor(0, 0, 0, 40), 0.6))->setZValue(-1);
    ++links_;
  }
}

// What the colours and outlines mean, under the layout: a projected picture explains itself.
void TopologyScene::add_legend(double top) {
  const auto translated = [](const char* text) { return QCoreApplication::translate(kContext, text); };
  double x = kColumnX[0];
  const auto entry = [&](const QString& text, const QBrush& brush, const QPen& pen) {
    addRect(x, top, 22, 14, pen, brush);
    auto* label = addSimpleText(text);
    label->setPos(x + 28, top - 1);
    x += 28 + label->boundingRect().width() + 22;
  };
  const QPen thin(Qt::black, 0.5);
  entry(translated(QT_TRANSLATE_NOOP("lbsim::gui::TopologyScene", "client")), tier_colour("client"), thin);
  entry(translated(QT_TRANSLATE_NOOP("lbsim::gui::TopologyScene", "L4 balancer (reads up to layer 4)")), tier_colour("l4"), thin);
  entry(translated(QT_TRANSLATE_NOOP("lbsim::gui::TopologyScene", "L7 balancer (reads up to layer 7)")), tier_colour("l7"), thin);
  entry(translated(QT_TRANSLATE_NOOP("lbsim::gui::TopologyScene", "backend")), tier_colour("backend"), thin);
  x = kColumnX[0];
  top += 24;
  QColor faded = tier_colour("backend");
  faded.setAlpha(60);
  entry(translated(QT_TRANSLATE_NOOP("lbsim::gui::TopologyScene", "down (a fault)")), faded, thin);
  entry(translated(QT_TRANSLATE_NOOP("lbsim::gui::TopologyScene", "unhealthy (the checks)")), Qt::white, QPen(QColor(220, 40, 40), 3));
  entry(translated(QT_TRANSLATE_NOOP("lbsim::gui::TopologyScene", "slow (a fault)")), Qt::white, QPen(QColor(230, 140, 0), 3, Qt::DashLine));
  entry(translated(QT_TRANSLATE_NOOP("lbsim::gui::TopologyScene", "draining or shifted away")), Qt::white, QPen(QColor(90, 110, 140), 2.5, Qt::DotLine));
  entry(translated(QT_TRANSLATE_NOOP("lbsim::gui::TopologyScene", "bar: share busy")), QColor::fromHsvF(0.2f, 0.9f, 0.95f), Qt::NoPen);
}

void TopologyScene::set_fault(const QString& node, Fault fault) {
  if (!nodes_.contains(node)) return;
  faults_.insert(node, fault);
  redraw_node(node);
}

void TopologyScene::set_healthy(const QString& node, bool healthy) {
  if (!nodes_.contains(node)) return;
  if (healthy) unhealthy_.remove(node);
  else unhealthy_.insert(node);
  redraw_node(node);
}

void TopologyScene::redraw_node(const QString& node) {
  auto* box = nodes_.value(node);
  const Fault f = fault(node);
  QPen pen(Qt::black, 0.5);
  if (f == Fault::slow) pen = QPen(QColor(230, 140, 0), 3, Qt::DashLine);
  if (f == Fault::draining) pen = QPen(QColor(90, 110, 140), 2.5, Qt::DotLine);
  if (!healthy(node)) pen = QPen(QColor(220, 40, 40), 3);
  QColor c = colours_.value(node);
  c.setAlpha(f == Fault::down ? 60 : f == Fault::draining ? 140 : 255);
  box->setPen(pen);
  box->setBrush(c);
}

void TopologyScene::set_matching_fault(const QString& pattern, Fault fault) {
  const QRegularExpression glob(QRegularExpression::wildcardToRegularExpression(pattern));
  for (auto it = nodes_.begin(); it != nodes_.end(); ++it)
    if (glob.match(it.key()).hasMatch()) set_fault(it.key(), fault);
}

void TopologyScene::clear_faults() {
  const auto faulty = faults_.keys();
  faults_.clear();
  for (const QString& node : faulty) redraw_node(node);
}

void TopologyScene::reset_states() {
  faults_.clear();
  unhealthy_.clear();
  for (auto it = nodes_.begin(); it != nodes_.end(); ++it) {
    redraw_node(it.key());
    set_utilization(it.key(), 0);
  }
}

void TopologyScene::set_utilization(const QString& node, double utilization) {
  auto* bar = bars_.value(node);
  if (bar == nullptr) return;
  const double u = std::clamp(utilization, 0.0, 1.0);
  utilization_.insert(node, utilization);
  const QRectF box = nodes_.value(node)->rect();
  bar->setRect(box.x() + 1, box.bottom() - 5, (box.width() - 2) * u, 4);
  // Hue from green (idle) through amber to red (saturated).
  bar->setBrush(QColor::fromHsvF(static_cast<float>((1 - u) * 0.33), 0.9f, 0.95f));
  nodes_.value(node)->setToolTip(QCoreApplication::translate(kContext, QT_TRANSLATE_NOOP("lbsim::gui::TopologyScene", "%1 (%2): %3 % busy"))
                                     .arg(node, kind_of_.value(node), QString::number(100 * utilization, 'f', 0)));
}

void TopologyScene::highlight(const QStringList& nodes) {
  for (auto* outline : outlines_) outline->setVisible(false);
  highlighted_.clear();
  for (const QString& node : nodes)
    if (auto* outline = outlines_.value(node)) {
      outline->setVisible(true);
      highlighted_ << node;
    }
}

void TopologyScene::show_hop(const QString& from, const QString& to) {
  delete hop_arrow_;
  hop_arrow_ = nullptr;
  travel_.stop();
  if (packet_ != nullptr) packet_->hide();
  if (!nodes_.contains(from) || !nodes_.contains(to) || from == to) return;
  const QPointF a = nodes_.value(from)->rect().center(), b = nodes_.value(to)->rect().center();
  const QLineF line(a, b);
  const QPen pen(QColor(230, 120, 0), 4);
  auto* group = new QGraphicsItemGroup;
  group->addToGroup(new QGraphicsLineItem(line));
  static_cast<QGraphicsLineItem*>(group->childItems().front())->setPen(pen);
  // The head: two short strokes at the receiving end.
  const double angle = std::atan2(-line.dy(), line.dx());
  for (double side : {-1.0, 1.0}) {
    const double a2 = angle + M_PI + side * M_PI / 7;
    auto* stroke = new QGraphicsLineItem(QLineF(b, b + QPointF(std::cos(a2) * 16, -std::sin(a2) * 16)));
    stroke->setPen(pen);
    group->addToGroup(stroke);
  }
  group->setZValue(3);
  addItem(group);
  hop_arrow_ = group;
  travel_packet(a, b);
}

// The packet moves from the sender to the receiver, so a class sees the message go, and
// sees under DSR the answer leave the backend straight for the client.
void TopologyScene::send_sample(const QList<Stop>& stops) {
  if (stops.size() < 2 || samples_travelling() >= kMaxSamples) return;
  QList<QPointF> at;
  for (const Stop& stop : stops) {
    const QRectF rect = node_rect(stop.node);
    if (rect.isNull()) return;  // a node this layout does not draw
    at.push_back(rect.center());
  }
  constexpr double kRadius = 6;
  auto* dot = addEllipse(-kRadius, -kRadius, 2 * kRadius, 2 * kRadius, QPen(QColor(0, 70, 120), 1.5), QBrush(QColor(86, 180, 233)));
  dot->setZValue(4);
  dot->setPos(at.front());
  auto* clock = new QVariantAnimation(this);
  clock->setStartValue(0.0);
  clock->setEndValue(std::max(1.0, stops.back().at_ms));
  clock->setDuration(static_cast<int>(std::clamp(stops.back().at_ms, 1.0, 600'000.0)));
  QObject::connect(clock, &QVariantAnimation::valueChanged, [dot, stops, at](const QVariant& v) {
    const double t = v.toDouble();
    int leg = 0;  // the leg under way: from stop `leg` to stop `leg + 1`
    while (leg + 2 < stops.size() && stops[leg + 1].at_ms <= t) ++leg;
    const double from = stops[leg].at_ms, to = stops[leg + 1].at_ms;
    const double share = to > from ? std::clamp((t - from) / (to - from), 0.0, 1.0) : 1.0;
    dot->setPos(at[leg] + (at[leg + 1] - at[leg]) * share);
  });
  samples_.push_back({dot, clock});
  const auto self = std::prev(samples_.end());
  QObject::connect(clock, &QVariantAnimation::finished, [this, self] {
    removeItem(self->dot);
    delete self->dot;
    self->clock->deleteLater();
    samples_.erase(self);
  });
  clock->start();
}

QList<QPointF> TopologyScene::sample_positions() const {
  QList<QPointF> out;
  for (const Sample& s : samples_) out.push_back(s.dot->pos());
  return out;
}

void TopologyScene::hold_packet_at(double fraction) {
  if (hop_arrow_ == nullptr || packet_ == nullptr) return;
  travel_.stop();
  packet_->setPos(travel_from_ + (travel_to_ - travel_from_) * std::clamp(fraction, 0.0, 1.0));
}

void TopologyScene::travel_packet(QPointF from, QPointF to) {
  constexpr double kRadius = 9;
  if (packet_ == nullptr) {
    packet_ = addEllipse(-kRadius, -kRadius, 2 * kRadius, 2 * kRadius, QPen(QColor(120, 50, 0), 2), QBrush(QColor(255, 160, 0)));
    packet_->setZValue(4);
    QObject::connect(&travel_, &QVariantAnimation::valueChanged, [this](const QVariant& v) {
      const double t = v.toDouble();
      packet_->setPos(travel_from_ + (travel_to_ - travel_from_) * t);
    });
  }
  travel_from_ = from;
  travel_to_ = to;
  packet_->setPos(packet_travel_ms_ > 0 ? from : to);
  packet_->show();
  if (packet_travel_ms_ <= 0) return;
  travel_.setStartValue(0.0);
  travel_.setEndValue(1.0);
  travel_.setDuration(packet_travel_ms_);
  travel_.setEasingCurve(QEasingCurve::InOutQuad);
  travel_.start();
}

std::optional<QPointF> TopologyScene::packet_position() const {
  if (packet_ == nullptr || !packet_->isVisible()) return std::nullopt;
  return packet_->pos();
}

QRectF TopologyScene::node_rect(const QString& name) const {
  const auto* box = nodes_.value(name);
  return box != nullptr ? box->rect() : QRectF();
}

TopologyScene::Hit TopologyScene::hit(const QPointF& point) const {
  for (auto it = nodes_.begin(); it != nodes_.end(); ++it)
    if (it.value()->rect().contains(point)) return {it.key(), kind_of_.value(it.key()), zone_of_.value(it.key())};
  for (auto it = bands_.begin(); it != bands_.end(); ++it)
    if (it.value().contains(point)) return {QString(), QString(), it.key()};
  return {};
}

void TopologyScene::set_zone_fault(const QString& zone, Fault fault, ZoneScope scope) {
  for (auto it = nodes_.begin(); it != nodes_.end(); ++it) {
    if (zone_of_.value(it.key()) != zone) continue;
    const QString kind = kind_of_.value(it.key());
    const bool in_scope = kind == "backend" || (kind == "l7" && scope != ZoneScope::backends) ||
                          (kind == "l4" && scope == ZoneScope::whole_zone);
    if (in_scope) set_fault(it.key(), fault);
  }
}

}  // namespace lbsim::gui
