// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/side_by_side.hpp"

#include <QGridLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <map>

#include "reports/comparison.hpp"
#include "tls/handshake.hpp"

namespace lbsim::gui {

std::optional<std::array<Side, 2>> side_by_side_plan(const config::ScenarioSpec& file, const RunSettings& base) {
  if (file.variant_names.size() >= 2) {
    std::array<Side, 2> sides{Side{QString::fromStdString(file.variant_names[0]), base},
                              Side{QString::fromStdString(file.variant_names[1]), base}};
    for (Side& side : sides) side.settings.variant = side.name;
    return sides;
  }
  if (!file.has_l7()) return std::nullopt;
  // L4-only: the L4 tier forwards straight to the pool the L7 tier's default rule uses,
  // and the backends terminate the TLS the L7 nodes did.
  const l7::Rule* fallback = nullptr;
  for (const auto& rule : file.l7->rules)
    if (rule.is_default && rule.action == l7::ActionKind::forward && !rule.forward.empty()) fallback = &rule;
  if (fallback == nullptr) return std::nullopt;
  const QString group = QString::fromStdString(file.target_groups[fallback->forward.front().group].name);
  Side l4_only{QObject::tr("L4 only"), base};
  l4_only.settings.sets << "l7=~" << "l4.target_group=" + group;
  const bool tls = std::any_of(file.clients.begin(), file.clients.end(), [](const auto& c) { return c.tls.enabled; });
  if (tls)
    l4_only.settings.sets << QString("target_groups.%1.tls={ key: %2 }").arg(group, QString::fromUtf8(tls::to_string(file.l7->tls_key).data()));
  return std::array<Side, 2>{l4_only, Side{QObject::tr("L4 + L7"), base}};
}

SideBySideWindow::SideBySideWindow(const QString& lbsim_program, const QString& file, std::array<Side, 2> sides, QWidget* parent)
    : QWidget(parent, Qt::Window), file_(file), sides_(std::move(sides)) {
  setWindowTitle(tr("lbsim — side by side: %1 vs %2").arg(sides_[0].name, sides_[1].name));
  auto* halves = new QSplitter;
  for (int i = 0; i < 2; ++i) {
    auto* half = new QWidget;
    auto* column = new QVBoxLayout(half);
    auto* title = new QLabel(QString("<b>%1</b>").arg(sides_[i].name.toHtmlEscaped()));
    title->setAlignment(Qt::AlignCenter);
    status_[i] = new QLabel;
    panels_[i] = new RunPanel(lbsim_program, Qt::Vertical);
    column->addWidget(title);
    column->addWidget(panels_[i], 1);
    column->addWidget(status_[i]);
    halves->addWidget(half);
    connect(panels_[i], &RunPanel::status, status_[i], &QLabel::setText);
    connect(panels_[i], &RunPanel::finished, this, [this, i](const QJsonObject& summary) {
      summaries_[i] = summary;
      if (summaries_[0] && summaries_[1]) {
        show_table();
        emit both_finished();
      }
    });
  }
  table_ = new QTableWidget;
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->setVisible(false);
  table_->setVisible(false);
  auto* run_button = new QPushButton(tr("Run both"));
  connect(run_button, &QPushButton::clicked, this, [this] { run(); });
  auto* stop_button = new QPushButton(tr("Stop"));
  connect(stop_button, &QPushButton::clicked, this, [this] { stop(); });
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(run_button);
  buttons->addWidget(stop_button);
  buttons->addStretch(1);
  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(halves);
  split->addWidget(table_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(buttons);
  layout->addWidget(split, 1);
  resize(1500, 950);
}

void SideBySideWindow::run() {
  summaries_ = {};
  table_->setVisible(false);
  for (int i = 0; i < 2; ++i) {
    // Each half draws its own layout: a variant may change it (no L7 tier, DSR, ...).
    try {
      panels_[i]->show_layout(sides_[i].settings.load(file_));
    } catch (const std::exception& e) {
      status_[i]->setText(tr("cannot load: %1").arg(first_line(e)));
      continue;
    }
    panels_[i]->run(file_, sides_[i].settings);
  }
}

void SideBySideWindow::stop() {
  for (RunPanel* panel : panels_) panel->stop();
}

void SideBySideWindow::show_table() {
  std::vector<reports::NamedSummary> named;
  for (int i = 0; i < 2; ++i)
    named.push_back({sides_[i].name.toStdString(),
                     nlohmann::ordered_json::parse(QJsonDocument(*summaries_[i]).toJson(QJsonDocument::Compact).toStdString()),
                     {}});
  const auto metrics = reports::comparison_metrics(named);
  const auto rows = reports::comparison_table(named, metrics);
  // What differs comes first, highlighted (DSR's L4 NIC bytes, an L7 tier's latency, ...):
  // a change of 5 % or more, or a figure on one side only.
  std::vector<std::size_t> order, same;
  std::vector<bool> differs(rows.size(), false);
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& [a, b] = std::pair(metrics[r - 1].cells[0], metrics[r - 1].cells[1]);
    const auto delta = reports::delta_of(a, b);
    differs[r] = delta ? (delta->percent ? std::abs(*delta->percent) >= 5 : delta->absolute != 0)
                       : a.value.has_value() != b.value.has_value() || a.text != b.text;  // on one side only
    (differs[r] ? order : same).push_back(r);
  }
  order.insert(order.end(), same.begin(), same.end());
  table_->setRowCount(static_cast<int>(rows.size()) - 1);
  table_->setColumnCount(static_cast<int>(rows.front().size()));
  QStringList header;
  for (const auto& cell : rows.front()) header << QString::fromStdString(cell);
  header[0] = tr("metric");
  table_->setHorizontalHeaderLabels(header);
  for (std::size_t i = 0; i < order.size(); ++i) {
    const std::size_t r = order[i];
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      auto* item = new QTableWidgetItem(c == 0 ? metric_name(metrics[r - 1].key, rows[r][c]) : QString::fromStdString(rows[r][c]));
      if (differs[r]) item->setBackground(QColor(255, 228, 190));
      table_->setItem(static_cast<int>(i), static_cast<int>(c), item);
    }
  }
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  table_->setVisible(true);
}

QString SideBySideWindow::metric_name(const std::string& key_text, const std::string& english_label) {
  const QString key = QString::fromStdString(key_text);
  static const std::map<QString, const char*> fixed{
      {"requests.sent", QT_TR_NOOP("requests sent")},
      {"requests.completed", QT_TR_NOOP("requests completed")},
      {"requests.failed", QT_TR_NOOP("requests failed")},
      {"throughput_rps", QT_TR_NOOP("throughput")},
      {"latency_ms.p50", QT_TR_NOOP("latency p50")},
      {"latency_ms.p90", QT_TR_NOOP("latency p90")},
      {"latency_ms.p99", QT_TR_NOOP("latency p99")},
      {"latency_ms.p999", QT_TR_NOOP("latency p99.9")},
      {"latency_ms.mean", QT_TR_NOOP("latency mean")},
      {"utilization.l4", QT_TR_NOOP("utilization l4")},
      {"utilization.l7", QT_TR_NOOP("utilization l7")},
      {"utilization.backend", QT_TR_NOOP("utilization backend")},
      {"utilization_busiest_node.l4", QT_TR_NOOP("busiest l4 node")},
      {"utilization_busiest_node.l7", QT_TR_NOOP("busiest l7 node")},
      {"utilization_busiest_node.backend", QT_TR_NOOP("busiest backend node")},
      {"utilization_busiest_group", QT_TR_NOOP("busiest target group")},
      {"l4_nic_bytes", QT_TR_NOOP("L4 NIC bytes")},
      {"tls_cpu_seconds", QT_TR_NOOP("TLS CPU")},
      {"cross_zone_bytes", QT_TR_NOOP("cross-zone bytes")},
      {"slo", QT_TR_NOOP("objectives (slo)")},
  };
  if (const auto found = fixed.find(key); found != fixed.end()) return tr(found->second);
  // Keys with a name inside: a failure kind, a fault's label.
  if (key.startsWith("failures.")) return tr("failures %1").arg(key.mid(9));
  if (key.startsWith("faults.") && key.endsWith(".time_to_detect_s")) return tr("%1: detect").arg(key.mid(7).chopped(17));
  if (key.startsWith("faults.") && key.endsWith(".time_to_recover_s")) return tr("%1: recover").arg(key.mid(7).chopped(18));
  return QString::fromStdString(english_label);
}

int SideBySideWindow::table_rows() const { return table_->isVisible() ? table_->rowCount() + 1 : 0; }

QString SideBySideWindow::table_cell(int row, int column) const {
  if (row == 0) return table_->horizontalHeaderItem(column)->text();
  const auto* item = table_->item(row - 1, column);
  return item != nullptr ? item->text() : QString();
}

}  // namespace lbsim::gui
