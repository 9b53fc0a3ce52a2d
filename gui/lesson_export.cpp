// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/lesson_export.hpp"

#include <QJsonArray>
#include <QObject>

#include "gui/json_strings.hpp"
#include "text/messages.hpp"

namespace lbsim::gui {

namespace {

// One slide at a time on screen; all of them, one per page, when printed.
constexpr const char* kDeckStyle = R"(
body { margin: 0; font-family: "Noto Sans", "NanumGothic", sans-serif; background: #fff; color: #000; }
section { display: none; box-sizing: border-box; width: 100vw; height: 100vh; padding: 3vh 4vw; overflow: hidden; }
section.shown { display: block; }
section h1 { font-size: 4.5vh; margin: 0 0 2vh 0; }
section .body { font-size: 2.6vh; line-height: 1.35; }
section img, section svg { max-width: 92vw; max-height: 80vh; display: block; margin: 0 auto; }
footer { position: fixed; bottom: 1vh; right: 2vw; font-size: 1.8vh; color: #444; }
@media print { section { display: block; page-break-after: always; height: auto; } footer { display: none; } }
)";

constexpr const char* kDeckScript = R"(
const slides = document.querySelectorAll('section');
let at = 0;
function show(n) {
  at = Math.max(0, Math.min(slides.length - 1, n));
  slides.forEach((s, i) => s.classList.toggle('shown', i === at));
  document.querySelector('footer').textContent = (at + 1) + ' / ' + slides.length;
}
document.addEventListener('keydown', e => {
  if (['ArrowRight', 'PageDown', ' '].includes(e.key)) show(at + 1);
  if (['ArrowLeft', 'PageUp'].includes(e.key)) show(at - 1);
  if (e.key === 'Home') show(0);
  if (e.key === 'End') show(slides.length - 1);
});
document.addEventListener('click', () => show(at + 1));
show(0);
)";

QString escaped(const QString& text) { return text.toHtmlEscaped(); }

// What a hop read, its descriptions in the reader's language.
QString read_fields(const QJsonObject& hop, text::Language language) {
  QStringList out;
  for (const QString& field : json_strings(hop.value("read"))) out << QString::fromStdString(text::read_field(field.toStdString(), language));
  return out.join(", ");
}

}  // namespace

QString slide_deck_html(const QString& title, const QList<Slide>& slides) {
  QString html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escaped(title) + "</title><style>" + kDeckStyle +
                 "</style></head><body>\n";
  for (const Slide& slide : slides)
    html += "<section><h1>" + escaped(slide.title) + "</h1><div class=\"body\">" + slide.html + "</div></section>\n";
  html += "<footer></footer><script>" + QString(kDeckScript) + "</script></body></html>\n";
  return html;
}

QString handout_html(const QString& title, const QJsonObject& trace, const QStringList& hop_notes_html, const QString& language) {
  QString html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escaped(title) +
                 "</title><style>body { font-family: sans-serif; font-size: 10pt; } table { border-collapse: collapse; width: 100%; } "
                 "td, th { border: 1px solid #888; padding: 3px 5px; vertical-align: top; } th { background: #eee; }"
                 " tr { page-break-inside: avoid; }</style></head><body>\n";
  html += "<h1>" + escaped(title) + "</h1>\n<p>" +
          escaped(QString("%1 %2%3 → %4, %5 ms")
                      .arg(trace.value("method").toString(), trace.value("host").toString(), trace.value("path").toString(),
                           trace.value("status").toString())
                      .arg(trace.value("latency_ms").toDouble(), 0, 'f', 3)) +
          "</p>\n<table><tr><th>#</th><th>ms</th>";
  for (const QString& column : {QObject::tr("node"), QObject::tr("layer"), QObject::tr("message"), QObject::tr("reads"), QObject::tr("rewrites"),
                                QObject::tr("notes")})
    html += "<th>" + escaped(column) + "</th>";
  html += "</tr>\n";
  const auto words = language == "ko" ? text::Language::ko : text::Language::en;
  const QJsonArray hops = trace.value("hops").toArray();
  for (int i = 0; i < hops.size(); ++i) {
    const QJsonObject hop = hops[i].toObject();
    html += QString("<tr><td>%1</td><td>%2</td><td>%3</td><td>L%4</td><td>%5</td><td>%6</td><td>%7</td><td>%8</td></tr>\n")
                .arg(i + 1)
                .arg(hop.value("arrived_ms").toDouble(), 0, 'f', 3)
                .arg(escaped(hop.value("node").toString()))
                .arg(hop.value("osi_layer").toInt())
                .arg(escaped(QString::fromStdString(text::wire_message(hop.value("message").toString().toStdString(), words))),
                     escaped(read_fields(hop, words)),
                     escaped(json_strings(hop.value("rewrote")).join(", ")), i < hop_notes_html.size() ? hop_notes_html[i] : QString());
  }
  html += "</table></body></html>\n";
  return html;
}

}  // namespace lbsim::gui
