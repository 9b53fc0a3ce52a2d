// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// One run, watched: the layout (nodes recoloured by health, faults and utilization) beside
// its live charts, fed by a `lbsim run --stream` child. The main window shows one; the
// side-by-side window two, on the same traffic and seed.
#include <QJsonObject>
#include <QStringList>
#include <QWidget>

#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "config/spec.hpp"
#include "gui/live_charts.hpp"
#include "gui/run_client.hpp"
#include "gui/topology_scene.hpp"


namespace lbsim::gui {

// How to run a scenario file: the child's options.
struct RunSettings {
  QString speed = "max";              // max, realtime, or a factor such as 10x
  // Slow mode: a request's way every this much simulated time, drawn travelling on the
  // layout at `sample_speed` simulated seconds per wall second (empty: no samples).
  QString sample_every;
  double sample_speed = 0;
  std::optional<quint64> seed;        // the file's own when empty
  QString variant;                    // one of the file's `variants:`, or the file as written
  QStringList sets;                   // PATH=VALUE overrides (the parameter panel's edits)
  QStringList arguments() const;      // as `lbsim run FILE --stream` takes them
  // What shapes the scenario (seed, variant, overrides), as `lbsim run` and `lbsim trace`
  // both take them.
  QStringList scenario_arguments() const;
  // The file as these settings make it (its variant, the overrides, the seed). Throws
  // config::ConfigError.
  config::ScenarioSpec load(const QString& file) const;
};

// An exception's first line, for a status bar.
QString first_line(const std::exception& e);

class RunPanel : public QWidget {
  Q_OBJECT
public:
  // `orientation`: the layout beside (horizontal) or above (vertical) the charts.
  RunPanel(const QString& lbsim_program, Qt::Orientation orientation, QWidget* parent = nullptr);
  ~RunPanel() override;

  // Draws this layout and empties the charts; a run in progress stops.
  void show_layout(const config::ScenarioSpec& spec);
  void run(const QString& file, const RunSettings& settings);
  void stop();
  void fit_view();

  // The faults a right click offers, as the stream's fault commands, each lasting
  // `for_s` seconds (none: until the end of the run).
  static std::vector<std::pair<QString, QJsonObject>> faults_for(const TopologyScene::Hit& hit, std::optional<double> for_s = 30.0);
  // The durations the menu offers ("10 s", "1 min", "until the end"), shortest first.
  static std::vector<std::pair<QString, std::optional<double>>> fault_durations();
  static QString duration_label(std::optional<double> for_s);
  // How long the next fault from the menu lasts (the menu's "Lasting" choice).
  std::optional<double> fault_duration() const { return fault_duration_s_; }
  void set_fault_duration(std::optional<double> for_s) { fault_duration_s_ = for_s; }
  // The faults in force now (by the index their events gave), and those a right click on
  // `hit` may end early: the ones naming its node (or a glob matching it) or its zone.
  const std::map<int, QJsonObject>& faults_in_force() const { return in_force_; }
  std::vector<std::pair<QString, QJsonObject>> recoveries_for(const TopologyScene::Hit& hit) const;

  RunClient& client() { return client_; }
  TopologyScene* topology() const { return scene_.get(); }
  LiveCharts* charts() const { return charts_; }
  FittingView* view() const { return view_; }

signals:
  void status(const QString& text);
  void finished(const QJsonObject& summary);

private:
  void on_tick(const QJsonObject& tick);
  void on_event(const QJsonObject& event);
  void on_sample(const QJsonObject& event);
  double sample_speed_ = 0;  // the slow mode's simulated seconds per wall second; 0: samples not drawn
  void on_fault(const QJsonObject& event);
  void on_health(const QJsonObject& event);
  // Every node's fault drawn again from the faults in force (overlapping faults: the
  // strongest wins, down over slow over draining).
  void draw_faults();
  void draw_health(const QString& target);
  void draw_fault(const QJsonObject& fault, TopologyScene::Fault only);
  void expire_ejections(double now);
  void show_fault_menu(const QPoint& at);

  RunClient client_;
  std::unique_ptr<TopologyScene> scene_;
  FittingView* view_ = nullptr;
  LiveCharts* charts_ = nullptr;
  QStringList zones_;  // the layout's, in the file's order
  std::optional<double> fault_duration_s_ = 30.0;  // the teaching default: long enough to see, short enough to recover
  std::map<int, QJsonObject> in_force_;  // fault index -> its fault event
  // Health as each checker sees each target: a target is drawn unhealthy if any checker
  // (an L4 or L7 node's, or an outlier detector until its ejection ends) says so.
  std::map<QString, std::map<QString, bool>> verdicts_;  // target -> checker -> unhealthy
  std::map<QString, std::map<QString, double>> ejected_until_;  // target -> detector -> until
};

}  // namespace lbsim::gui
