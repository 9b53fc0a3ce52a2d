// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/picture_export.hpp"

#include <QBuffer>
#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QSvgGenerator>
#include <QWidget>

namespace lbsim::gui {

namespace {

constexpr int kPngScale = 2;  // a 1600-pixel window becomes a 3200-pixel slide picture

QImage image_of(QWidget* widget) {
  QImage image(widget->size() * kPngScale, QImage::Format_ARGB32_Premultiplied);
  image.fill(widget->palette().window().color());
  QPainter painter(&image);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setRenderHint(QPainter::TextAntialiasing);
  painter.scale(kPngScale, kPngScale);
  widget->render(&painter);
  painter.end();
  return image;
}

bool write_png(QWidget* widget, const QString& file) { return image_of(widget).save(file, "PNG"); }

// Onto `svg`, set to write to a file or a buffer.
bool draw_svg(QWidget* widget, QSvgGenerator& svg) {
  svg.setSize(widget->size());
  svg.setViewBox(QRect(QPoint(0, 0), widget->size()));
  svg.setTitle(widget->window()->windowTitle());
  svg.setDescription(QStringLiteral("lbsim"));
  QPainter painter;
  if (!painter.begin(&svg)) return false;
  widget->render(&painter);
  return painter.end();
}

bool write_svg(QWidget* widget, const QString& file) {
  QSvgGenerator svg;
  svg.setFileName(file);
  return draw_svg(widget, svg);
}

}  // namespace

QByteArray png_of(QWidget* widget) {
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  image_of(widget).save(&buffer, "PNG");
  return bytes;
}

QByteArray svg_of(QWidget* widget) {
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  QSvgGenerator svg;
  svg.setOutputDevice(&buffer);
  draw_svg(widget, svg);
  return bytes;
}

bool export_picture(QWidget* widget, const QString& file, QString& error) {
  const QString suffix = QFileInfo(file).suffix().toLower();
  if (suffix != "png" && suffix != "svg") {
    error = QStringLiteral("%1: expected a file name ending in .png or .svg").arg(file);
    return false;
  }
  if (widget == nullptr || widget->size().isEmpty()) {
    error = QStringLiteral("nothing to picture yet");
    return false;
  }
  if (!(suffix == "png" ? write_png(widget, file) : write_svg(widget, file))) {
    error = QStringLiteral("%1: cannot write it").arg(file);
    return false;
  }
  return true;
}

}  // namespace lbsim::gui
