// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/topology_scene.hpp"

#include <QBrush>
#include <QFont>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QPen>

#include <map>

#include "topology/topology.hpp"

namespace lbsim::gui {
namespace {

constexpr double kColumnX[] = {0, 220, 440, 660};  // client, L4, L7, backend
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

// OSI layer 4 and layer 7 are told apart at a glance: blue for L4, green for L7.
QColor colour_of(topology::NodeKind kind) {
  switch (kind) {
    case topology::NodeKind::client: return QColor(230, 145, 56);
    case topology::NodeKind::l4: return QColor(61, 133, 198);
    case topology::NodeKind::l7: return QColor(106, 168, 79);
    case topology::NodeKind::backend: return QColor(120, 120, 120);
  }
  return Qt::gray;
}

}  // namespace

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
    auto* label = addSimpleText("zone " + QString::fromStdString(spec.topology.zones[z]));
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
    nodes_.insert(name, box);
    zone_of_.insert(name, QString::fromStdString(n.zone));
    kind_of_.insert(name, QString::fromStdString(std::string(topology::to_string(n.kind))));
    centre[v] = QPointF(kColumnX[column] + kBoxW / 2, top + kBoxH / 2);
  }
  for (auto e : boost::make_iterator_range(boost::edges(graph))) {
    const QPointF a = centre[boost::source(e, graph)] + QPointF(kBoxW / 2, 0);
    const QPointF b = centre[boost::target(e, graph)] - QPointF(kBoxW / 2, 0);
    addLine(QLineF(a, b), QPen(QColor(0, 0, 0, 40), 0.6))->setZValue(-1);
    ++links_;
  }
}

void TopologyScene::set_state(const QString& node, State state) {
  auto* box = nodes_.value(node);
  if (box == nullptr) return;
  QPen pen(Qt::black, 0.5);
  QBrush brush = box->brush();
  if (state == State::unhealthy) pen = QPen(QColor(220, 40, 40), 3);
  QColor c = brush.color();
  c.setAlpha(state == State::down ? 60 : 255);
  box->setPen(pen);
  box->setBrush(c);
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

void TopologyScene::set_zone_state(const QString& zone, State state, bool balancers_too) {
  for (auto it = nodes_.begin(); it != nodes_.end(); ++it) {
    if (zone_of_.value(it.key()) != zone) continue;
    if (!balancers_too && kind_of_.value(it.key()) == "l4") continue;
    set_state(it.key(), state);
  }
}

}  // namespace lbsim::gui
