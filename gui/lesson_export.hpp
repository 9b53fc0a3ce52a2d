// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A lesson for the classroom, as files that need nothing but a browser: a slide deck
// (one self-contained HTML file: the lesson's text, the layout as SVG, one slide per hop
// of the traced request with its OSI stack and headers, the run's charts; arrow keys to
// move, and printing gives every slide, e.g. to PDF) and a printable handout of the
// traced request (each hop's node, layer, message, fields read and rewritten, notes).
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace lbsim::gui {

struct Slide {
  QString title;
  QString html;  // the slide's body: text, an inline <svg>, or an <img> with a data: URL
};

// The deck as one HTML file's text.
QString slide_deck_html(const QString& title, const QList<Slide>& slides);

// The handout of one traced request (the JSON of `lbsim trace --format json`), its notes
// as given (already in the reader's language); its column titles and hop messages in
// `language` ("en" or "ko").
QString handout_html(const QString& title, const QJsonObject& trace, const QStringList& hop_notes_html, const QString& language = "en");

}  // namespace lbsim::gui
