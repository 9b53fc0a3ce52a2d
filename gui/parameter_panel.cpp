// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/parameter_panel.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>

#include "l4/registry.hpp"

namespace lbsim::gui {
namespace {

QString forwarding_name(config::Forwarding f) { return f == config::Forwarding::dsr ? "dsr" : "dnat"; }

// A rate as the file would write it, with no more digits than it needs.
QString rate_text(double per_second) { return QString::number(per_second, 'g', 12) + "/s"; }

}  // namespace

ParameterPanel::ParameterPanel(QWidget* parent) : QWidget(parent) {
  rate_ = new QDoubleSpinBox;
  rate_->setRange(1, 10'000'000);
  rate_->setDecimals(0);
  rate_->setSuffix(tr(" req/s"));
  forwarding_ = new QComboBox;
  forwarding_->addItem(tr("DNAT (replies return through L4)"), "dnat");
  forwarding_->addItem(tr("DSR (replies bypass L4)"), "dsr");
  algorithm_ = new QComboBox;
  for (const std::string& name : l4::algorithm_names()) algorithm_->addItem(QString::fromStdString(name), QString::fromStdString(name));
  cross_zone_ = new QCheckBox(tr("balance across zones"));
  l4_nodes_ = new QSpinBox;
  l4_nodes_->setRange(1, 64);
  l7_nodes_ = new QSpinBox;
  l7_nodes_->setRange(1, 64);
  seed_ = new QSpinBox;
  seed_->setRange(0, 2'000'000'000);
  note_ = new QLabel;
  note_->setWordWrap(true);

  auto* form = new QFormLayout(this);
  form->addRow(tr("Client rate"), rate_);
  form->addRow(tr("L4 forwarding"), forwarding_);
  form->addRow(tr("L4 algorithm"), algorithm_);
  form->addRow(tr("L4 cross-zone"), cross_zone_);
  form->addRow(tr("L4 nodes per zone"), l4_nodes_);
  form->addRow(tr("L7 nodes per zone"), l7_nodes_);
  form->addRow(tr("Seed"), seed_);
  form->addRow(note_);

  const auto edited = [this] {
    if (!loading_) emit changed();
  };
  connect(rate_, &QDoubleSpinBox::editingFinished, this, edited);
  connect(forwarding_, &QComboBox::currentIndexChanged, this, edited);
  connect(algorithm_, &QComboBox::currentIndexChanged, this, edited);
  connect(cross_zone_, &QCheckBox::toggled, this, edited);
  connect(l4_nodes_, &QSpinBox::valueChanged, this, edited);
  connect(l7_nodes_, &QSpinBox::valueChanged, this, edited);
  connect(seed_, &QSpinBox::valueChanged, this, edited);
}

void ParameterPanel::show_scenario(const config::ScenarioSpec& spec) {
  base_ = spec;
  loading_ = true;
  const bool has_rate = !spec.clients.empty() && !spec.clients.front().arrival.closed() &&
                        spec.clients.front().arrival.profile.is_constant();
  rate_->setEnabled(has_rate);
  rate_->setValue(has_rate ? spec.clients.front().arrival.profile.rate_at(0) : 0);
  forwarding_->setCurrentIndex(forwarding_->findData(forwarding_name(spec.l4.forwarding)));
  algorithm_->setCurrentIndex(algorithm_->findData(QString::fromStdString(spec.l4.algorithm)));
  cross_zone_->setChecked(spec.l4.cross_zone);
  l4_nodes_->setValue(static_cast<int>(spec.l4.nodes_per_zone));
  l7_nodes_->setEnabled(spec.has_l7());
  l7_nodes_->setValue(spec.has_l7() ? static_cast<int>(spec.l7->nodes_per_zone) : 1);
  seed_->setValue(static_cast<int>(spec.seed));
  note_->setText(has_rate ? QString() : tr("The first client population's arrivals do not follow one rate: edit them in the file."));
  loading_ = false;
}

QStringList ParameterPanel::overrides() const {
  QStringList sets;
  if (rate_->isEnabled() && rate_->value() != base_.clients.front().arrival.profile.rate_at(0))
    sets << "clients[0].arrival.rate=" + rate_text(rate_->value());
  if (forwarding_->currentData().toString() != forwarding_name(base_.l4.forwarding))
    sets << "l4.forwarding=" + forwarding_->currentData().toString();
  if (algorithm_->currentData().toString() != QString::fromStdString(base_.l4.algorithm))
    sets << "l4.algorithm=" + algorithm_->currentData().toString();
  if (cross_zone_->isChecked() != base_.l4.cross_zone) sets << QString("l4.cross_zone=%1").arg(cross_zone_->isChecked() ? "true" : "false");
  if (l4_nodes_->value() != static_cast<int>(base_.l4.nodes_per_zone)) sets << QString("l4.nodes_per_zone=%1").arg(l4_nodes_->value());
  if (base_.has_l7() && l7_nodes_->value() != static_cast<int>(base_.l7->nodes_per_zone))
    sets << QString("l7.nodes_per_zone=%1").arg(l7_nodes_->value());
  return sets;
}

std::optional<quint64> ParameterPanel::seed() const {
  if (seed_->value() == static_cast<int>(base_.seed)) return std::nullopt;
  return static_cast<quint64>(seed_->value());
}

void ParameterPanel::set_rate(double per_second) {
  rate_->setValue(per_second);
  emit rate_->editingFinished();
}
void ParameterPanel::set_forwarding(const QString& mode) { forwarding_->setCurrentIndex(forwarding_->findData(mode)); }
void ParameterPanel::set_algorithm(const QString& name) { algorithm_->setCurrentIndex(algorithm_->findData(name)); }
void ParameterPanel::set_cross_zone(bool on) { cross_zone_->setChecked(on); }
void ParameterPanel::set_l4_nodes_per_zone(int n) { l4_nodes_->setValue(n); }
void ParameterPanel::set_l7_nodes_per_zone(int n) { l7_nodes_->setValue(n); }

}  // namespace lbsim::gui
