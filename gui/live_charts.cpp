// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/live_charts.hpp"

#include <QChart>
#include <QChartView>
#include <QJsonArray>
#include <QLegendMarker>
#include <QLineSeries>
#include <QTabWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace lbsim::gui {
namespace {

QChart* make_chart(const QString& title, const QString& y_title) {
  auto* chart = new QChart;
  chart->setTitle(title);
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->legend()->setAlignment(Qt::AlignBottom);
  chart->setMargins(QMargins(4, 4, 4, 4));
  auto* x = new QValueAxis;
  x->setTitleText(LiveCharts::tr("simulated time (s)"));
  x->setLabelFormat("%g");
  auto* y = new QValueAxis;
  y->setTitleText(y_title);
  y->setLabelFormat("%g");
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  return chart;
}

QLineSeries* add_series(QChart* chart, const QString& name) {
  auto* series = new QLineSeries;
  series->setName(name);
  chart->addSeries(series);
  for (QAbstractAxis* axis : chart->axes()) series->attachAxis(axis);
  return series;
}

void remove_series(QChart* chart, std::map<QString, QLineSeries*>& series) {
  for (auto& [name, s] : series) {
    chart->removeSeries(s);
    delete s;
  }
  series.clear();
}

// Fits both axes to what the series hold now: time from the oldest point still kept
// (a long run's buffers drop the oldest), values from 0.
void fit(QChart* chart) {
  double x_min = std::numeric_limits<double>::infinity(), x_max = 1, y_max = 1;
  for (QAbstractSeries* s : chart->series()) {
    if (s->objectName() == "marker") continue;  // fault markers follow the axes, not the reverse
    for (const QPointF& p : static_cast<QLineSeries*>(s)->points()) {
      x_min = std::min(x_min, p.x());
      x_max = std::max(x_max, p.x());
      y_max = std::max(y_max, p.y());
    }
  }
  if (!std::isfinite(x_min) || x_min < 2 * x_max / 3) x_min = 0;  // from 0 until the buffers wrap
  // Time ticks on round seconds (1, 2 or 5 times a power of ten), about five of them.
  auto* x = static_cast<QValueAxis*>(chart->axes(Qt::Horizontal).front());
  const double span = std::max(1e-9, x_max - x_min);
  const double magnitude = std::pow(10.0, std::floor(std::log10(span / 5)));
  double step = magnitude;
  for (double m : {2.0, 5.0, 10.0})
    if (span / step > 6) step = magnitude * m;
  // A fixed count of ticks over a range that starts and ends on them. (Qt's dynamic ticks
  // can spin for ever while a series attaches and the range is momentarily empty.)
  const double low = std::floor(x_min / step) * step;
  const int intervals = std::max(1, static_cast<int>(std::ceil((x_max - low) / step - 1e-9)));
  x->setTickType(QValueAxis::TicksFixed);
  x->setRange(low, low + intervals * step);
  x->setTickCount(intervals + 1);
  auto* y = static_cast<QValueAxis*>(chart->axes(Qt::Vertical).front());
  y->setRange(0, y_max * 1.1);
  y->applyNiceNumbers();
}

QList<QPointF> list(const std::deque<QPointF>& d) { return QList<QPointF>(d.begin(), d.end()); }

}  // namespace

LiveCharts::LiveCharts(Arrangement arrangement, QWidget* parent) : QWidget(parent) {
  latency_ = make_chart(tr("Latency"), tr("ms"));
  p50_series_ = add_series(latency_, tr("p50"));
  p99_series_ = add_series(latency_, tr("p99"));
  throughput_ = make_chart(tr("Successful answers per entry zone"), tr("per second"));
  errors_ = make_chart(tr("Errors by kind"), tr("per second"));
  auto* column = new QVBoxLayout(this);
  column->setContentsMargins(0, 0, 0, 0);
  QTabWidget* tabs = arrangement == Arrangement::tabbed ? new QTabWidget : nullptr;
  if (tabs != nullptr) column->addWidget(tabs);
  for (QChart* chart : {latency_, throughput_, errors_}) {
    auto* view = new QChartView(chart);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(150);
    if (tabs != nullptr) tabs->addTab(view, chart->title());
    else column->addWidget(view);
  }
}

void LiveCharts::reset(const QStringList& zones) {
  p50_.clear();
  p99_.clear();
  zone_rps_.clear();
  error_rps_.clear();
  markers_.clear();
  last_tick_ = 0;
  remove_series(throughput_, zone_series_);
  remove_series(errors_, error_series_);
  for (const QString& zone : zones) zone_series_[zone] = add_series(throughput_, tr("zone %1").arg(zone));
  dirty_ = true;
}

void LiveCharts::push(Buffer& buffer, QPointF point) {
  buffer.push_back(point);
  if (buffer.size() > kMaxPoints) buffer.pop_front();
}

void LiveCharts::add_tick(const QJsonObject& tick) {
  const double t = tick.value("t").toDouble();
  const double span = std::max(1e-9, t - last_tick_);
  last_tick_ = t;
  if (!tick.value("p50_ms").isNull()) push(p50_, {t, tick.value("p50_ms").toDouble()});
  if (!tick.value("p99_ms").isNull()) push(p99_, {t, tick.value("p99_ms").toDouble()});
  for (const auto& z : tick.value("zones").toArray()) {
    const QJsonObject zone = z.toObject();
    const double ok = zone.value("answered").toDouble() - zone.value("failed").toDouble();
    push(zone_rps_[zone.value("zone").toString()], {t, ok / span});
  }
  // Errors are counted over the timeline intervals that closed since the last tick
  // (span_s of them); a tick that closed none has no errors to tell. Every kind seen so
  // far gets a point (zero when it did not happen), so a line drops back when they stop.
  dirty_ = true;
  const double counted_s = tick.value("span_s").toDouble();
  if (counted_s <= 0) return;
  QJsonObject errors = tick.value("errors").toObject();
  errors.insert("lost", tick.value("lost").toDouble());
  for (auto it = errors.begin(); it != errors.end(); ++it)
    if (it.value().toDouble() > 0) error_rps_[it.key()];
  for (auto& [kind, buffer] : error_rps_) push(buffer, {t, errors.value(kind).toDouble() / counted_s});
}

void LiveCharts::add_fault_marker(double t) {
  markers_.push_back(t);
  if (markers_.size() > kMaxMarkers) markers_.erase(markers_.begin());  // the oldest is off the chart by then
  dirty_ = true;
}

QString LiveCharts::error_label(const QString& kind) {
  if (kind == "lost") return tr("lost");
  if (kind == "reset") return tr("connection reset");
  if (kind == "timeout") return tr("client timeout");
  if (kind == "unanswered") return tr("unanswered");
  return tr("HTTP %1").arg(kind);
}

QLineSeries* LiveCharts::series_for_error(const QString& kind) {
  auto& series = error_series_[kind];
  if (series == nullptr) series = add_series(errors_, error_label(kind));
  return series;
}

void LiveCharts::redraw() {
  if (!dirty_) return;
  dirty_ = false;
  p50_series_->replace(list(p50_));
  p99_series_->replace(list(p99_));
  for (auto& [zone, series] : zone_series_) series->replace(list(zone_rps_[zone]));
  for (const auto& [kind, buffer] : error_rps_) series_for_error(kind)->replace(list(buffer));
  for (QChart* chart : {latency_, throughput_, errors_}) {
    fit(chart);
    draw_markers(chart);
  }
}

// A dashed vertical line at each fault's start or end, the height of the chart.
void LiveCharts::draw_markers(QChart* chart) {
  for (QAbstractSeries* s : chart->series())
    if (s->objectName() == "marker") {
      chart->removeSeries(s);
      delete s;
    }
  const double top = static_cast<QValueAxis*>(chart->axes(Qt::Vertical).front())->max();
  const double left = static_cast<QValueAxis*>(chart->axes(Qt::Horizontal).front())->min();
  for (double x : markers_) {
    if (x < left) continue;
    auto* line = add_series(chart, QString());
    line->setObjectName("marker");
    line->append(x, 0);
    line->append(x, top);
    QPen pen(QColor(200, 40, 40));
    pen.setStyle(Qt::DashLine);
    line->setPen(pen);
    chart->legend()->markers(line).front()->setVisible(false);
  }
}

int LiveCharts::latency_points() const { return static_cast<int>(p99_series_->count()); }

int LiveCharts::throughput_points() const {
  int n = 0;
  for (const auto& [zone, series] : zone_series_) n += series->count();
  return n;
}

int LiveCharts::error_points() const {
  int n = 0;
  for (const auto& [kind, series] : error_series_) n += series->count();
  return n;
}

QList<QPointF> LiveCharts::error_points(const QString& kind) const {
  const auto it = error_series_.find(kind);
  return it != error_series_.end() ? it->second->points() : QList<QPointF>();
}

QStringList LiveCharts::error_kinds() const {
  QStringList kinds;
  for (const auto& [kind, series] : error_series_) kinds << kind;
  return kinds;
}

}  // namespace lbsim::gui
