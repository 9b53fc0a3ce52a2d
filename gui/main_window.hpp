// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// lbsim-gui's window. Two tabs: the live run (the layout beside its charts) and the
// teaching view (the same layout beside one request followed hop by hop). Around them:
// the parameter panel (edits become overrides of the file, "Save as" writes them), the
// explanation of the scenario (a lesson's text when it has one), the menus (recent
// files, the shipped scenarios, the language) and the run's toolbar.
#include <QFont>
#include <QMainWindow>
#include <QPalette>
#include <QPointer>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "config/spec.hpp"
#include "gui/run_panel.hpp"

class QComboBox;
class QDockWidget;
class QLabel;
class QMenu;
class QSplitter;
class QTabWidget;
class QTextBrowser;

namespace lbsim::gui {

class ParameterPanel;
class QuizDialog;
class SideBySideWindow;
class TraceView;

class MainWindow : public QMainWindow {
  Q_OBJECT
public:
  // `language`: the one the translator installed ("en" or "ko"), for the explanations.
  explicit MainWindow(QString lbsim_program, QString language = "en", QWidget* parent = nullptr);
  ~MainWindow() override;

  // Loads a scenario file; false (with the error shown) when it is not valid.
  bool open(const QString& file);
  void run();
  void stop();
  // Writes the open scenario with the parameter panel's edits to `file`; false (with the
  // error shown) when the edits do not make a valid scenario or the file cannot be written.
  bool save_as(const QString& file);
  // The tab in front (the live run's layout and charts, or the traced request) as a PNG
  // or SVG picture, for slides; false with the reason in the status line.
  bool export_view(const QString& file);
  // The open lesson as a self-contained HTML slide deck: its text, the layout (SVG), a
  // slide per hop of the traced request (tracing request 3 first if none is), and the
  // live run's charts if it ran; false, with the reason shown, when it cannot.
  bool export_slides(const QString& file);
  // The traced request as a printable HTML handout, one row per hop, notes in the
  // window's language.
  bool export_handout(const QString& file);
  // Presenter mode, for a projector: full screen, fonts 1.75 times as large, a
  // high-contrast theme, the side docks hidden and, in the teaching tab, the layout at
  // full width above the hop's details. Off restores the window as it was. (View menu, F5.)
  void set_presenter_mode(bool on);
  bool presenter_mode() const { return presenter_.has_value(); }
  // A palette of black on white with a strong blue selection (contrast beyond 7:1).
  static QPalette high_contrast_palette();
  // The open lesson's quiz (`lbsim quiz`, a child), in the window's language, beside the
  // teaching tab, whose layout answers "click the node" questions; null, with the reason
  // in the status line, when the file has none.
  QuizDialog* start_quiz();
  // Follows request `request` of the open scenario in the teaching view.
  void trace(int request);
  // Opens a packet capture in the teaching tab, frame by frame.
  void open_capture(const QString& file);
  // Writes the open scenario's L7 tier, as the parameter panel has it, as HAProxy's or
  // nginx's configuration ("haproxy", "nginx") into `folder` (`lbsim export`); false,
  // with the reason shown, when it cannot (an L4-only layout, say).
  bool export_l7(const QString& proxy, const QString& folder);
  // Opens the side-by-side window for the open scenario (null when it has nothing to set
  // side by side) and starts both runs.
  SideBySideWindow* side_by_side();

  // The shipped scenarios under `folder` (scenarios/ of the source tree), by their path
  // relative to it ("failures/zone-outage-two-tier.yaml"), for the Scenarios menu.
  static QStringList shipped_scenarios(const QString& folder);
  void set_scenario_folder(const QString& folder);
  const QStringList& menu_scenarios() const { return menu_scenarios_; }
  QStringList recent_files() const;
  // The explanation shown beside a scenario: FILE's lesson text (NAME.ko.md in Korean,
  // else NAME.md) if there is one, else its description.
  static QString explanation_for(const QString& file, const config::ScenarioSpec& spec, const QString& language);

  // For tests: what the window holds.
  RunPanel* run_panel() const { return panel_; }
  TopologyScene* topology() const { return panel_->topology(); }
  RunClient& client() { return panel_->client(); }
  ParameterPanel* parameters() const { return parameters_; }
  TraceView* trace_view() const { return trace_view_; }
  QString explanation() const;
  QString status() const;
  QString file() const { return file_; }
  RunSettings settings() const;

signals:
  // The user picked a language from the menu ("en", "ko"); main() switches and reopens.
  void language_requested(const QString& language);

private:
  void build_ui();
  void build_menus();
  void choose_and_open();
  void remember_recent(const QString& file);
  void fill_recent_menu();
  void apply_parameters();

  QString program_;
  QString language_;
  QString scenario_folder_;
  QStringList menu_scenarios_;
  QMenu* scenarios_menu_ = nullptr;
  QMenu* recent_menu_ = nullptr;
  QString file_;
  std::unique_ptr<config::ScenarioSpec> spec_;  // as the file (or its variant) is written
  RunPanel* panel_ = nullptr;
  TraceView* trace_view_ = nullptr;
  FittingView* trace_layout_ = nullptr;
  QSplitter* teaching_ = nullptr;  // the teaching tab: layout | hop details
  // What presenter mode changed, to restore it.
  struct Presented {
    QFont font;
    QPalette palette;
    Qt::WindowStates states;
    QList<int> teaching_sizes;
    std::vector<std::pair<QDockWidget*, bool>> docks;  // each dock and whether it was shown
  };
  std::optional<Presented> presenter_;
  QAction* presenter_action_ = nullptr;
  QPointer<QuizDialog> quiz_;
  bool have_trace();
  bool eventFilter(QObject* watched, QEvent* event) override;  // clicks on the teaching layout
  QTabWidget* tabs_ = nullptr;
  ParameterPanel* parameters_ = nullptr;
  QTextBrowser* explanation_ = nullptr;
  QDockWidget* explanation_dock_ = nullptr;
  QLabel* status_ = nullptr;
  QComboBox* speed_ = nullptr;
  QPointer<SideBySideWindow> side_by_side_;
};

}  // namespace lbsim::gui
