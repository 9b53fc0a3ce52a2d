// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Two layouts run side by side on the same traffic and seed: a file's first two
// `variants:` (DNAT vs DSR, cross-zone on vs off, ...), or for a two-tier file without
// variants, the same file with its L7 tier removed (L4-only) against it as written. Each
// half is a RunPanel; when both runs finish, the table `lbsim compare` prints appears
// under them, with the second run's differences from the first, what differs first.
#include <QJsonObject>
#include <QWidget>

#include <array>
#include <optional>

#include "config/spec.hpp"
#include "gui/run_panel.hpp"

class QLabel;
class QTableWidget;

namespace lbsim::gui {

struct Side {
  QString name;
  RunSettings settings;
};

// What the side-by-side view runs for a loaded scenario and the main window's settings
// (speed, seed, parameter edits); nothing for an L4-only file without variants.
std::optional<std::array<Side, 2>> side_by_side_plan(const config::ScenarioSpec& file, const RunSettings& base);

class SideBySideWindow : public QWidget {
  Q_OBJECT
public:
  SideBySideWindow(const QString& lbsim_program, const QString& file, std::array<Side, 2> sides, QWidget* parent = nullptr);
  void run();
  void stop();
  RunPanel* panel(int side) const { return panels_[side]; }
  // The comparison once both runs finished: rows of text, the header first.
  int table_rows() const;
  QString table_cell(int row, int column) const;
  // A comparison row's name in the window's language, from its key ("latency_ms.p99");
  // the report's English label for a key this does not know.
  static QString metric_name(const std::string& key, const std::string& english_label);

signals:
  void both_finished();

private:
  void show_table();

  QString file_;
  std::array<Side, 2> sides_;
  std::array<RunPanel*, 2> panels_{};
  std::array<QLabel*, 2> status_{};
  std::array<std::optional<QJsonObject>, 2> summaries_;
  QTableWidget* table_ = nullptr;
};

}  // namespace lbsim::gui
