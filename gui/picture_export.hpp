// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A widget as a picture for slides and handouts: PNG at twice its size on screen (sharp on
// a projector), or SVG (vector: the layout's boxes, arrows and text stay sharp at any size).
#include <QByteArray>
#include <QString>

class QWidget;

namespace lbsim::gui {

// Writes `widget` to `file`, PNG or SVG by its extension; on failure, false and `error`
// says why in one line.
bool export_picture(QWidget* widget, const QString& file, QString& error);

// The same pictures in memory: PNG bytes (twice the widget's size), SVG text.
QByteArray png_of(QWidget* widget);
QByteArray svg_of(QWidget* widget);

}  // namespace lbsim::gui
