// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The main knobs of a scenario, editable: the first client population's rate, the L4
// tier's forwarding, algorithm, cross-zone balancing and size, the L7 tier's algorithm and
// size, the seed. Edits become `--set PATH=VALUE` overrides of the file (the same mechanism as a
// variant's `set`), so the file is checked with them exactly as the command line would,
// and "Save as" writes the file with them applied.
#include <QSet>
#include <QStringList>
#include <QWidget>

#include <optional>

#include "config/spec.hpp"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace lbsim::gui {

class ParameterPanel : public QWidget {
  Q_OBJECT
public:
  explicit ParameterPanel(QWidget* parent = nullptr);

  // Shows the values of a scenario as loaded (edits are forgotten).
  void show_scenario(const config::ScenarioSpec& spec);
  // The edits, as overrides of the file: only knobs the user changed, to values that
  // differ from the file's (what a control cannot show exactly is left alone).
  QStringList overrides() const;
  // The seed to run with, when the user set one that differs from the file's.
  std::optional<quint64> seed() const;

  // For tests and scripts: set a knob by its override path, as the user would.
  void set_rate(double per_second);
  void set_seed(quint64 seed);
  void set_forwarding(const QString& mode);
  void set_algorithm(const QString& name);
  void set_cross_zone(bool on);
  void set_l4_nodes_per_zone(int n);
  void set_l7_nodes_per_zone(int n);
  void set_l7_algorithm(const QString& name);
  // Sets the knobs from overrides() and seed() as another panel gave them (the window
  // rebuilt in another language keeps the user's edits).
  void restore(const QStringList& overrides, std::optional<quint64> seed);

signals:
  // The user changed a knob and overrides() changed with it; the window reloads the
  // scenario with them. (Leaving a box without changing it says nothing.)
  void changed();
  // The user set another seed (the layout stays as it is).
  void seed_changed();

private:
  void edited(const QString& knob);

  config::ScenarioSpec base_;
  bool loading_ = false;
  QSet<QString> edited_;       // knobs the user touched since the scenario was shown
  QStringList last_overrides_;  // as last announced by changed()
  QDoubleSpinBox* rate_ = nullptr;
  QComboBox* forwarding_ = nullptr;
  QComboBox* algorithm_ = nullptr;
  QComboBox* l7_algorithm_ = nullptr;
  QCheckBox* cross_zone_ = nullptr;
  QSpinBox* l4_nodes_ = nullptr;
  QSpinBox* l7_nodes_ = nullptr;
  QLineEdit* seed_ = nullptr;  // a 64-bit seed: more than a spin box holds
  QLabel* note_ = nullptr;
};

}  // namespace lbsim::gui
