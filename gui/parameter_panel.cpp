// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/parameter_panel.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QSpinBox>

#include <cmath>
#include <map>
#include <stdexcept>

#include "config/schema.hpp"
#include "util/units.hpp"

namespace lbsim::gui {
namespace {

QString forwarding_name(config::Forwarding f) { return f == config::Forwarding::dsr ? "dsr" : "dnat"; }

// A knob is a key of the schema: its --set path, its choices and its range come from
// there, so a knob can never offer what the loader would refuse. A key the schema no
// longer has stops the window at start-up, not in a child's error later.
const config::schema::KeyInfo& knob(const char* section, const char* key) {
  const auto* info = config::schema::find_key(section, key);
  if (info == nullptr) throw std::logic_error(std::string("the parameter panel's key ") + section + "." + key + " is not in the schema");
  return *info;
}
QString path(const char* section, const char* key) { return QString::fromStdString(std::string(section) + "." + knob(section, key).key); }
// The same for a key of the first client population ("clients[].arrival" -> "clients[0].arrival...").
QString first_client_path(const char* section, const char* key) { return path(section, key).replace("clients[]", "clients[0]"); }
QString rate_path() { return first_client_path("clients[].arrival", "rate"); }
void set_range(QSpinBox* box, const config::schema::KeyInfo& key) {
  box->setRange(static_cast<int>(key.min.value_or(0)), static_cast<int>(key.max.value_or(999)));
}
void add_choices(QComboBox* box, const config::schema::KeyInfo& key, const std::map<QString, QString>& labels = {}) {
  for (const std::string& choice : key.choices) {
    const QString name = QString::fromStdString(choice);
    const auto label = labels.find(name);
    box->addItem(label == labels.end() ? name : label->second, name);
  }
}

// A rate as the file would write it, with no more digits than it needs.
QString rate_text(double per_second) { return QString::number(per_second, 'g', 12) + "/s"; }

}  // namespace

ParameterPanel::ParameterPanel(QWidget* parent) : QWidget(parent) {
  rate_ = new QDoubleSpinBox;
  rate_->setRange(0.001, 1e9);
  rate_->setDecimals(3);
  rate_->setSuffix(tr(" req/s"));
  forwarding_ = new QComboBox;
  add_choices(forwarding_, knob("l4", "forwarding"),
              {{"dnat", tr("DNAT (replies return through L4)")}, {"dsr", tr("DSR (replies bypass L4)")}});
  algorithm_ = new QComboBox;
  add_choices(algorithm_, knob("l4", "algorithm"));
  l7_algorithm_ = new QComboBox;
  add_choices(l7_algorithm_, knob("l7", "algorithm"));
  cross_zone_ = new QCheckBox(tr("balance across zones"));
  l4_nodes_ = new QSpinBox;
  set_range(l4_nodes_, knob("l4", "nodes_per_zone"));
  l7_nodes_ = new QSpinBox;
  set_range(l7_nodes_, knob("l7", "nodes_per_zone"));
  seed_ = new QLineEdit;
  seed_->setValidator(new QRegularExpressionValidator(QRegularExpression("[0-9]{1,19}"), seed_));
  note_ = new QLabel;
  note_->setWordWrap(true);

  auto* form = new QFormLayout(this);
  form->addRow(tr("Client rate"), rate_);
  form->addRow(tr("L4 forwarding"), forwarding_);
  form->addRow(tr("L4 algorithm"), algorithm_);
  form->addRow(tr("L4 cross-zone"), cross_zone_);
  form->addRow(tr("L4 nodes per zone"), l4_nodes_);
  form->addRow(tr("L7 algorithm"), l7_algorithm_);
  form->addRow(tr("L7 nodes per zone"), l7_nodes_);
  form->addRow(tr("Seed"), seed_);
  form->addRow(note_);

  connect(rate_, &QDoubleSpinBox::editingFinished, this, [this] { edited("rate"); });
  connect(forwarding_, &QComboBox::currentIndexChanged, this, [this] { edited("forwarding"); });
  connect(algorithm_, &QComboBox::currentIndexChanged, this, [this] { edited("algorithm"); });
  connect(cross_zone_, &QCheckBox::toggled, this, [this] { edited("cross_zone"); });
  connect(l4_nodes_, &QSpinBox::valueChanged, this, [this] { edited("l4_nodes"); });
  connect(l7_nodes_, &QSpinBox::valueChanged, this, [this] { edited("l7_nodes"); });
  connect(l7_algorithm_, &QComboBox::currentIndexChanged, this, [this] { edited("l7_algorithm"); });
  connect(seed_, &QLineEdit::editingFinished, this, [this] {
    if (loading_) return;
    edited_.insert("seed");
    emit seed_changed();
  });
}

void ParameterPanel::edited(const QString& knob) {
  if (loading_) return;
  edited_.insert(knob);
  if (const QStringList now = overrides(); now != last_overrides_) {
    last_overrides_ = now;
    emit changed();
  }
}

void ParameterPanel::show_scenario(const config::ScenarioSpec& spec) {
  base_ = spec;
  edited_.clear();
  last_overrides_.clear();
  loading_ = true;
  const bool has_rate = !spec.clients.empty() && !spec.clients.front().arrival.closed() &&
                        spec.clients.front().arrival.profile.is_constant();
  rate_->setEnabled(has_rate);
  const double rate = has_rate ? spec.clients.front().arrival.profile.rate_at(0) : 0;
  rate_->setDecimals(rate == std::floor(rate) ? 0 : 3);  // whole rates read as whole numbers
  rate_->setValue(rate);
  forwarding_->setCurrentIndex(forwarding_->findData(forwarding_name(spec.l4.forwarding)));
  algorithm_->setCurrentIndex(algorithm_->findData(QString::fromStdString(spec.l4.algorithm)));
  cross_zone_->setChecked(spec.l4.cross_zone);
  l4_nodes_->setValue(static_cast<int>(spec.l4.nodes_per_zone));
  l7_nodes_->setEnabled(spec.has_l7());
  l7_algorithm_->setEnabled(spec.has_l7());
  if (spec.has_l7()) l7_algorithm_->setCurrentIndex(l7_algorithm_->findData(QString::fromStdString(spec.l7->algorithm)));
  l7_nodes_->setValue(spec.has_l7() ? static_cast<int>(spec.l7->nodes_per_zone) : 1);
  seed_->setText(QString::number(spec.seed));
  note_->setText(has_rate ? QString() : tr("The first client population's arrivals do not follow one rate: edit them in the file."));
  loading_ = false;
}

QStringList ParameterPanel::overrides() const {
  QStringList sets;
  if (base_.clients.empty()) return sets;  // nothing shown yet
  const auto touched = [this](const char* knob) { return edited_.contains(knob); };
  if (touched("rate") && rate_->isEnabled() && rate_->value() != base_.clients.front().arrival.profile.rate_at(0))
    sets << rate_path() + "=" + rate_text(rate_->value());
  if (touched("forwarding") && forwarding_->currentData().toString() != forwarding_name(base_.l4.forwarding))
    sets << path("l4", "forwarding") + "=" + forwarding_->currentData().toString();
  if (touched("algorithm") && algorithm_->currentData().toString() != QString::fromStdString(base_.l4.algorithm))
    sets << path("l4", "algorithm") + "=" + algorithm_->currentData().toString();
  if (touched("cross_zone") && cross_zone_->isChecked() != base_.l4.cross_zone) sets << path("l4", "cross_zone") + "=" + (cross_zone_->isChecked() ? "true" : "false");
  if (touched("l4_nodes") && l4_nodes_->value() != static_cast<int>(base_.l4.nodes_per_zone)) sets << path("l4", "nodes_per_zone") + "=" + QString::number(l4_nodes_->value());
  if (touched("l7_algorithm") && base_.has_l7() && l7_algorithm_->currentData().toString() != QString::fromStdString(base_.l7->algorithm))
    sets << path("l7", "algorithm") + "=" + l7_algorithm_->currentData().toString();
  if (touched("l7_nodes") && base_.has_l7() && l7_nodes_->value() != static_cast<int>(base_.l7->nodes_per_zone))
    sets << path("l7", "nodes_per_zone") + "=" + QString::number(l7_nodes_->value());
  return sets;
}

std::optional<quint64> ParameterPanel::seed() const {
  bool ok = false;
  const quint64 seed = seed_->text().toULongLong(&ok);
  if (!edited_.contains("seed") || !ok || seed == base_.seed) return std::nullopt;
  return seed;
}

void ParameterPanel::set_rate(double per_second) {
  rate_->setValue(per_second);
  emit rate_->editingFinished();
}
void ParameterPanel::set_seed(quint64 seed) {
  seed_->setText(QString::number(seed));
  emit seed_->editingFinished();
}
void ParameterPanel::set_forwarding(const QString& mode) { forwarding_->setCurrentIndex(forwarding_->findData(mode)); }
void ParameterPanel::set_algorithm(const QString& name) { algorithm_->setCurrentIndex(algorithm_->findData(name)); }
void ParameterPanel::set_cross_zone(bool on) { cross_zone_->setChecked(on); }
void ParameterPanel::set_l4_nodes_per_zone(int n) { l4_nodes_->setValue(n); }
void ParameterPanel::set_l7_nodes_per_zone(int n) { l7_nodes_->setValue(n); }
void ParameterPanel::set_l7_algorithm(const QString& name) { l7_algorithm_->setCurrentIndex(l7_algorithm_->findData(name)); }

void ParameterPanel::restore(const QStringList& overrides, std::optional<quint64> seed) {
  for (const QString& set : overrides) {
    const QString key = set.section('=', 0, 0), value = set.section('=', 1);
    if (key == rate_path()) set_rate(units::parse_rate(value.toStdString()).value_or(rate_->value()));  // "350/s"
    else if (key == path("l4", "forwarding")) set_forwarding(value);
    else if (key == path("l4", "algorithm")) set_algorithm(value);
    else if (key == path("l4", "cross_zone")) set_cross_zone(value == "true");
    else if (key == path("l4", "nodes_per_zone")) set_l4_nodes_per_zone(value.toInt());
    else if (key == path("l7", "algorithm")) set_l7_algorithm(value);
    else if (key == path("l7", "nodes_per_zone")) set_l7_nodes_per_zone(value.toInt());
  }
  if (seed) set_seed(*seed);
}

}  // namespace lbsim::gui
