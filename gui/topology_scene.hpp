// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The layout drawn from a scenario: zones as bands, one column per tier (clients on the
// internet, then L4, L7, backends), coloured by OSI layer, with the links between them.
// Nodes keep their topology names, so the run's events can recolour them by state.
#include <QGraphicsScene>
#include <QHash>

#include "config/spec.hpp"

class QGraphicsRectItem;

namespace lbsim::gui {

class TopologyScene : public QGraphicsScene {
public:
  explicit TopologyScene(const config::ScenarioSpec& spec, QObject* parent = nullptr);

  int node_count() const { return static_cast<int>(nodes_.size()); }
  int link_count() const { return links_; }
  int zone_count() const { return zones_; }
  // Healthy, unhealthy (a balancer's checks said so) or down (a fault took it).
  enum class State { healthy, unhealthy, down };
  void set_state(const QString& node, State state);
  // Every node a fault named goes down or comes back (zone outages name a zone).
  void set_zone_state(const QString& zone, State state, bool balancers_too);
  // What a click at `point` (scene coordinates) is on: a node's name and kind (l4, l7,
  // backend, client), or else a zone band's zone; empty strings for nothing.
  struct Hit {
    QString node, kind, zone;
  };
  Hit hit(const QPointF& point) const;
  // Where a node is drawn (empty if there is no such node).
  QRectF node_rect(const QString& name) const;

private:
  QHash<QString, QGraphicsRectItem*> nodes_;
  QHash<QString, QString> zone_of_;
  QHash<QString, QString> kind_of_;
  QHash<QString, QRectF> bands_;  // zone -> its band
  int links_ = 0;
  int zones_ = 0;
};

}  // namespace lbsim::gui
