// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The live charts of one run: p50 and p99 latency, throughput per entry zone, and errors
// per second by kind (HTTP status, or "lost" for requests a dead node swallowed), each
// with the faults marked. Ticks fill bounded buffers; redraw() copies them into the
// charts, at the window's fixed rate rather than per tick, so any speed stays responsive.
#include <QJsonObject>
#include <QPointF>
#include <QStringList>
#include <QWidget>

#include <deque>
#include <map>

class QChart;
class QLineSeries;

namespace lbsim::gui {

class LiveCharts : public QWidget {
  Q_OBJECT
public:
  // Stacked: the three charts one above the other; tabbed: one at a time, full size (for
  // the narrow halves of the side-by-side window).
  enum class Arrangement { stacked, tabbed };
  explicit LiveCharts(Arrangement arrangement = Arrangement::stacked, QWidget* parent = nullptr);

  // Empties every chart; one throughput line per zone.
  void reset(const QStringList& zones);
  void add_tick(const QJsonObject& tick);
  void add_fault_marker(double t);
  // Copies the buffers into the charts, if a tick or marker came since the last call.
  void redraw();

  int latency_points() const;
  int throughput_points() const;
  int error_points() const;
  QList<QPointF> error_points(const QString& kind) const;
  // The error kinds seen so far ("504", "lost", ...), each one line on the errors chart.
  QStringList error_kinds() const;
  // How the errors chart's legend names a kind.
  static QString error_label(const QString& kind);
  int fault_markers() const { return static_cast<int>(markers_.size()); }

private:
  using Buffer = std::deque<QPointF>;
  static void push(Buffer& buffer, QPointF point);
  QLineSeries* series_for_error(const QString& kind);
  void draw_markers(QChart* chart);

  // The newest points only, so a long run costs constant memory.
  static constexpr std::size_t kMaxPoints = 2000;
  static constexpr std::size_t kMaxMarkers = 200;
  Buffer p50_, p99_;
  std::map<QString, Buffer> zone_rps_;
  std::map<QString, Buffer> error_rps_;
  std::vector<double> markers_;
  double last_tick_ = 0;
  QChart* latency_ = nullptr;
  QChart* throughput_ = nullptr;
  QChart* errors_ = nullptr;
  QLineSeries* p50_series_ = nullptr;
  QLineSeries* p99_series_ = nullptr;
  std::map<QString, QLineSeries*> zone_series_;
  std::map<QString, QLineSeries*> error_series_;
  bool dirty_ = false;
};

}  // namespace lbsim::gui
