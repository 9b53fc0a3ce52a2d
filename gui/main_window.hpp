// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// lbsim-gui's window: the layout on the left, live charts on the right (p50 and p99
// latency, throughput per entry zone, with fault markers), a toolbar to open a scenario
// and run it. Charts are redrawn at a fixed rate from bounded buffers, so the window stays
// responsive however fast the simulation streams.
#include <QJsonObject>
#include <QMainWindow>
#include <QPointF>
#include <QTimer>
#include <deque>
#include <map>
#include <memory>

#include "config/spec.hpp"
#include "gui/run_client.hpp"
#include "gui/topology_scene.hpp"

class QGraphicsView;
class QLabel;
class QComboBox;
class QChart;
class QLineSeries;
class QValueAxis;

namespace lbsim::gui {

class MainWindow : public QMainWindow {
  Q_OBJECT
public:
  explicit MainWindow(QString lbsim_program, QWidget* parent = nullptr);
  ~MainWindow() override;

  // Loads a scenario file; false (with the error shown) when it is not valid.
  bool open(const QString& file);
  void run();
  void stop();
  // The faults a right click offers, as the stream's fault commands (for 30 s).
  static std::vector<std::pair<QString, QJsonObject>> faults_for(const TopologyScene::Hit& hit);

  // The shipped scenarios under `folder` (scenarios/ of the source tree), by their path
  // relative to it ("failures/zone-outage-two-tier.yaml"), for the Scenarios menu.
  static QStringList shipped_scenarios(const QString& folder);
  void set_scenario_folder(const QString& folder);
  const QStringList& menu_scenarios() const { return menu_scenarios_; }

  // For tests: what the window holds.
  TopologyScene* topology() const { return scene_.get(); }
  int latency_points() const;
  int throughput_points() const;
  int fault_markers() const { return static_cast<int>(markers_.size()); }
  QString status() const;
  RunClient& client() { return client_; }

private:
  void build_ui();
  void on_tick(const QJsonObject& tick);
  void on_event(const QJsonObject& event);
  void redraw();
  void reset_charts();
  void draw_markers(QChart* chart);
  void show_fault_menu(const QPoint& at);

  QString program_;
  QString scenario_folder_;
  QStringList menu_scenarios_;
  class QMenu* scenarios_menu_ = nullptr;
  QString file_;
  std::unique_ptr<config::ScenarioSpec> spec_;
  std::unique_ptr<TopologyScene> scene_;
  RunClient client_;
  QTimer redraw_timer_;
  QGraphicsView* view_ = nullptr;
  QLabel* status_ = nullptr;
  QComboBox* speed_ = nullptr;

  // Bounded buffers: the newest points only, so a long run costs constant memory.
  static constexpr std::size_t kMaxPoints = 2000;
  std::deque<QPointF> p50_, p99_;
  std::map<QString, std::deque<QPointF>> zone_rps_;
  std::vector<double> markers_;
  QChart* latency_chart_ = nullptr;
  QChart* throughput_chart_ = nullptr;
  QLineSeries* p50_series_ = nullptr;
  QLineSeries* p99_series_ = nullptr;
  std::map<QString, QLineSeries*> zone_series_;
  bool dirty_ = false;
};

}  // namespace lbsim::gui
