// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The layout drawn from a scenario: zones as bands, one column per tier (clients on the
// internet, then L4, L7, backends), coloured by OSI layer, with the links between them.
// Nodes keep their topology names, so the run's events can recolour them by state.
#include <QGraphicsEllipseItem>
#include <QGraphicsScene>
#include <QHash>
#include <QSet>
#include <QVariantAnimation>

#include <list>
#include <optional>

#include "config/spec.hpp"

#include <QGraphicsView>

class QGraphicsRectItem;

namespace lbsim::gui {

// Each tier's colour, the same everywhere: L4 blue and L7 green (the OSI layer at a
// glance), clients orange, backends grey. `tier`: client, l4, l7 or backend.
QColor tier_colour(const QString& tier);

// A view that keeps its whole scene in sight as it is resized (the layout is small enough
// to read whole; a teacher should not have to scroll it).
class FittingView : public QGraphicsView {
public:
  using QGraphicsView::QGraphicsView;
  void fit();

protected:
  void resizeEvent(QResizeEvent* event) override;
  void showEvent(QShowEvent* event) override;
};

class TopologyScene : public QGraphicsScene {
public:
  explicit TopologyScene(const config::ScenarioSpec& spec, QObject* parent = nullptr);

  int node_count() const { return static_cast<int>(nodes_.size()); }
  int link_count() const { return links_; }
  int zone_count() const { return zones_; }
  // Two things are drawn apart: what a fault did to a node (down: faded; slow: a dashed
  // amber outline; draining: deregistered or shifted away, a dotted outline, half faded)
  // and what the balancers' checks think of it (unhealthy: a red outline).
  enum class Fault { none, down, slow, draining };
  void set_fault(const QString& node, Fault fault);
  void set_healthy(const QString& node, bool healthy);
  Fault fault(const QString& node) const { return faults_.value(node, Fault::none); }
  bool healthy(const QString& node) const { return !unhealthy_.contains(node); }
  // Every node whose name matches a fault's `targets` (a name or a glob: app-b-*).
  void set_matching_fault(const QString& pattern, Fault fault);
  // A zone outage's scope: its backends, its L7 nodes and backends (the default), or the
  // whole zone with its L4 nodes.
  enum class ZoneScope { backends, targets, whole_zone };
  void set_zone_fault(const QString& zone, Fault fault, ZoneScope scope);
  void clear_faults();
  // Back to the picture before a run: no faults, all healthy, idle. (A traced request's
  // outline stays: it belongs to the teaching view.)
  void reset_states();
  // A node's share of its capacity busy (0..1, by its own definition: cores, workers or
  // NIC), drawn as a bar along the box's bottom, green to amber to red.
  void set_utilization(const QString& node, double utilization);
  double utilization(const QString& node) const { return utilization_.value(node, 0); }
  // Outlines the nodes a traced request went through (none: clears the outline).
  void highlight(const QStringList& nodes);
  bool highlighted(const QString& node) const { return highlighted_.contains(node); }
  // An arrow for one hop of a traced request, from the node that sent it to the one that
  // got it (under DSR, backend straight to client); empty names remove it.
  // A packet (a dot) travels the arrow in `packet_travel_ms` (0: it jumps to the end).
  void show_hop(const QString& from, const QString& to);
  bool hop_shown() const { return hop_arrow_ != nullptr; }
  void set_packet_travel_ms(int ms) { packet_travel_ms_ = ms; }
  // Where the travelling packet's centre is now; none when no hop is shown.
  std::optional<QPointF> packet_position() const;
  bool packet_travelling() const { return travel_.state() == QAbstractAnimation::Running; }
  // One stop of a sampled request's way: a node, reached this many wall milliseconds
  // after the request was sent.
  struct Stop {
    QString node;
    double at_ms = 0;
  };
  // The live run's slow mode: a dot travels the stops (node centre to node centre, each
  // leg as long as the times say) and disappears at the last. At most kMaxSamples travel
  // at once; more are not drawn.
  static constexpr int kMaxSamples = 16;
  void send_sample(const QList<Stop>& stops);
  int samples_travelling() const { return static_cast<int>(samples_.size()); }
  // Where each travelling sample's dot is now.
  QList<QPointF> sample_positions() const;

  // Stops the travelling packet `fraction` (0 to 1) of the way along its arrow, for a
  // picture of it on its way (lbsim-gui --screenshot ... --packet-at 0.5).
  void hold_packet_at(double fraction);
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
  QHash<QString, QGraphicsRectItem*> bars_;
  QHash<QString, QGraphicsRectItem*> outlines_;
  QHash<QString, double> utilization_;
  void redraw_node(const QString& node);
  void add_legend(double top);

  QHash<QString, Fault> faults_;
  QSet<QString> unhealthy_;
  QHash<QString, QColor> colours_;  // each node's tier colour
  QStringList highlighted_;
  QGraphicsItem* hop_arrow_ = nullptr;
  QGraphicsEllipseItem* packet_ = nullptr;  // made once, hidden when no hop is shown
  QVariantAnimation travel_;                // the packet's way along the arrow, 0 to 1
  struct Sample {
    QGraphicsEllipseItem* dot = nullptr;
    QVariantAnimation* clock = nullptr;  // wall milliseconds since the request was sent
  };
  std::list<Sample> samples_;
  QPointF travel_from_, travel_to_;
  void travel_packet(QPointF from, QPointF to);
  int packet_travel_ms_ = 450;
  QHash<QString, QString> zone_of_;
  QHash<QString, QString> kind_of_;
  QHash<QString, QRectF> bands_;  // zone -> its band
  int links_ = 0;
  int zones_ = 0;
};

}  // namespace lbsim::gui
