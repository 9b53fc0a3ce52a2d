// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/html/charts.hpp"

#include <QApplication>
#include <QGraphicsScene>
#include <QBuffer>
#include <QPainter>
#include <QSvgGenerator>
#include <QtCharts/QChart>
#include <QtCharts/QAreaSeries>
#include <QtCharts/QChartView>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QValueAxis>
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <memory>

namespace lbsim::reports::html {
namespace {

// Qt Charts draws through a QGraphicsScene, which needs an application object; a
// command-line program has none, so one is made on first use, on the offscreen platform.
// Qt's notes about a desktop session it does not need (no XDG_RUNTIME_DIR, ...) would
// only clutter a command's output; real errors still go to stderr.
void quiet_messages(QtMsgType type, const QMessageLogContext&, const QString& message) {
  if (type == QtCriticalMsg || type == QtFatalMsg) fprintf(stderr, "lbsim: qt: %s\n", message.toLocal8Bit().constData());
}

void ensure_application() {
  if (QCoreApplication::instance() != nullptr) return;
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  qInstallMessageHandler(quiet_messages);
  static int argc = 1;
  static char name[] = "lbsim";
  static char* argv[] = {name, nullptr};
  static QApplication application(argc, argv);
}

struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void add(double v) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool empty() const { return lo > hi; }
};

QAbstractAxis* make_x_axis(const Chart& c, const Range& x) {
  if (c.log_x) {
    auto* axis = new QLogValueAxis;
    axis->setBase(10);
    axis->setLabelFormat("%g");
    axis->setTitleText(QString::fromStdString(c.x_label));
    return axis;
  }
  auto* axis = new QValueAxis;
  axis->setTitleText(QString::fromStdString(c.x_label));
  if (!x.empty()) axis->setRange(x.lo, x.hi > x.lo ? x.hi : x.lo + 1);
  axis->setLabelFormat("%g");
  axis->applyNiceNumbers();  // ticks at round values
  return axis;
}

// Okabe & Ito (2008), "Color Universal Design": distinct under the common colour-vision
// deficiencies; black last (it is also the axes' colour).
// The bands as disjoint spans within what the chart shows, in time order.
std::vector<Band> merged(std::vector<Band> bands, const Range& x) {
  std::sort(bands.begin(), bands.end(), [](const Band& a, const Band& b) { return a.from < b.from; });
  std::vector<Band> spans;
  for (Band b : bands) {
    if (!x.empty()) b.from = std::max(b.from, x.lo), b.to = std::min(b.to, x.hi);
    if (b.to <= b.from) continue;
    if (!spans.empty() && b.from <= spans.back().to) spans.back().to = std::max(spans.back().to, b.to);
    else spans.push_back(b);
  }
  return spans;
}

QColor palette_colour(std::size_t index) {
  static const QColor colours[] = {{0, 114, 178}, {230, 159, 0}, {0, 158, 115}, {204, 121, 167},
                                   {86, 180, 233}, {213, 94, 0},  {240, 228, 66}, {0, 0, 0}};
  return colours[index % std::size(colours)];
}

}  // namespace

std::string render_svg(const Chart& c) {
  ensure_application();
  auto chart = std::make_unique<QChart>();
  chart->setTitle(QString::fromStdString(c.title));
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->legend()->setAlignment(c.legend_below ? Qt::AlignBottom : Qt::AlignRight);
  Range x, y;
  for (const Series& s : c.series)
    for (std::size_t i = 0; i < s.points.size(); ++i) {
      x.add(s.points[i].first);
      y.add(s.points[i].second + (i < s.errors.size() ? s.errors[i] : 0));
    }
  QAbstractAxis* x_axis = make_x_axis(c, x);
  auto* y_axis = new QValueAxis;
  y_axis->setTitleText(QString::fromStdString(c.y_label));
  y_axis->setLabelFormat("%g");
  const double top = c.y_max > 0 ? c.y_max : (y.empty() || y.hi <= 0 ? 1 : y.hi * 1.08);
  y_axis->setRange(0, top);
  if (c.y_max <= 0) y_axis->applyNiceNumbers();
  chart->addAxis(x_axis, Qt::AlignBottom);
  chart->addAxis(y_axis, Qt::AlignLeft);
  auto attach = [&](QLineSeries* line) {
    chart->addSeries(line);
    line->attachAxis(x_axis);
    line->attachAxis(y_axis);
  };
  // Past a few, fault bands and markers are drawn as one series each with one legend line:
  // one series per fault made report.html quadratic in the faults (Qt lays the legend out
  // again per series: 1 000 faults took 8 s) and a legend nobody could read.
  if (c.bands.size() > kLabelledFaults) {
    auto* upper = new QLineSeries;
    for (const Band& b : merged(c.bands, x)) {
      upper->append(b.from, 0);  // between spans the area has no height
      upper->append(b.from, y_axis->max());
      upper->append(b.to, y_axis->max());
      upper->append(b.to, 0);
    }
    auto* band = new QAreaSeries(upper);
    upper->setParent(band);  // an area series does not own its lines: without a parent, each leaked
    band->setName(QString::fromStdString(fmt::format("{} faults in force", c.bands.size())));
    band->setBrush(QColor(120, 120, 120, 50));
    band->setPen(Qt::NoPen);
    chart->addSeries(band);
    band->attachAxis(x_axis);
    band->attachAxis(y_axis);
  }
  // Bands first, so the series are drawn over them; translucent grey, apart from the palette.
  for (const Band& b : c.bands.size() > kLabelledFaults ? std::vector<Band>{} : c.bands) {
    const double from = std::max(b.from, x.empty() ? b.from : x.lo), to = std::min(b.to, x.empty() ? b.to : x.hi);
    if (to <= from) continue;
    auto* upper = new QLineSeries;
    upper->append(from, y_axis->max());
    upper->append(to, y_axis->max());
    auto* band = new QAreaSeries(upper);
    upper->setParent(band);  // an area series does not own its lines: without a parent, each leaked
    band->setName(QString::fromStdString(b.label));
    band->setBrush(QColor(120, 120, 120, 50));
    band->setPen(Qt::NoPen);
    chart->addSeries(band);
    band->attachAxis(x_axis);
    band->attachAxis(y_axis);
  }
  // Many markers go under the data series, not over them.
  if (c.markers.size() > kLabelledFaults) {
    auto* line = new QLineSeries;
    line->setName(QString::fromStdString(fmt::format("{} fault starts and ends", c.markers.size())));
    for (const Marker& m : c.markers) {
      if (x.empty() || m.x < x.lo || m.x > x.hi) continue;
      line->append(m.x, 0);  // joined along the time axis: Qt draws a series past the plot
      line->append(m.x, y_axis->max());
      line->append(m.x, 0);
    }
    QPen pen(QColor(200, 40, 40, 110));  // thin and light: many of them must not hide the data
    pen.setWidthF(0.8);
    line->setPen(pen);
    attach(line);
  }
  for (std::size_t index = 0; index < c.series.size(); ++index) {
    const Series& s = c.series[index];
    auto* line = new QLineSeries;
    line->setName(QString::fromStdString(s.name));
    QPen pen(palette_colour(index));
    pen.setWidthF(1.6);
    line->setPen(pen);
    line->setPointsVisible(s.markers);
    for (const auto& [px, py] : s.points)
      if (!c.log_x || px > 0) line->append(px, py);
    attach(line);
    // Error bars: a vertical stroke per point in the series' colour, out of the legend.
    for (std::size_t i = 0; i < s.points.size() && i < s.errors.size(); ++i) {
      if (s.errors[i] <= 0) continue;
      const auto [px, py] = s.points[i];
      auto* bar = new QLineSeries;
      bar->append(px, std::max(0.0, py - s.errors[i]));
      bar->append(px, py + s.errors[i]);
      bar->setPen(pen);
      attach(bar);
      chart->legend()->markers(bar).front()->setVisible(false);
    }
  }
  for (const Marker& m : c.markers.size() > kLabelledFaults ? std::vector<Marker>{} : c.markers) {
    if (x.empty() || m.x < x.lo || m.x > x.hi) continue;  // outside what the chart shows
    // A fault's start or end: a dashed vertical line the height of the plot.
    auto* line = new QLineSeries;
    line->setName(QString::fromStdString(m.label));
    line->append(m.x, 0);
    line->append(m.x, y_axis->max());
    QPen pen(QColor(200, 40, 40));
    pen.setStyle(Qt::DashLine);
    pen.setWidthF(1.2);
    line->setPen(pen);
    attach(line);
  }
  // Laid out in a scene of its own at the size it is drawn at (a view would only lay
  // it out once shown, and nothing is shown offscreen).
  QGraphicsScene scene;
  chart->setGeometry(0, 0, c.width, c.height);
  scene.addItem(chart.release());
  scene.setSceneRect(0, 0, c.width, c.height);
  QBuffer buffer;
  buffer.open(QIODevice::WriteOnly);
  QSvgGenerator generator;
  generator.setOutputDevice(&buffer);
  generator.setSize(QSize(c.width, c.height));
  generator.setViewBox(QRect(0, 0, c.width, c.height));
  generator.setTitle(QString::fromStdString(c.title));
  {
    QPainter painter(&generator);
    painter.setRenderHint(QPainter::Antialiasing);
    scene.render(&painter, QRectF(0, 0, c.width, c.height), QRectF(0, 0, c.width, c.height));
  }
  std::string svg = buffer.data().toStdString();
  // Inline in HTML: the XML declaration and doctype are not wanted there.
  if (const auto start = svg.find("<svg"); start != std::string::npos) svg.erase(0, start);
  return svg;
}

}  // namespace lbsim::reports::html
