// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/trace_view.hpp"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <stdexcept>

#include "gui/json_strings.hpp"
#include "gui/run_panel.hpp"
#include "gui/topology_scene.hpp"
#include "text/messages.hpp"

namespace lbsim::gui {
namespace {


// A hop's notes in the window's language, rendered from their message ids (the JSON's
// `notes` are English); an id this build does not know falls back to the English text.
QStringList notes_of(const QJsonObject& hop, const QString& language) {
  const QStringList english = json_strings(hop.value("notes"));
  const QJsonArray ids = hop.value("note_ids").toArray();
  if (language != "ko" || ids.size() != english.size()) return english;
  QStringList out;
  for (int i = 0; i < ids.size(); ++i) {
    const QJsonObject id = ids[i].toObject();
    lbsim::text::Note note{id.value("id").toString().toStdString(), {}};
    for (const auto& arg : id.value("args").toArray()) note.args.push_back(arg.toString().toStdString());
    try {
      out << QString::fromStdString(lbsim::text::render(note, lbsim::text::Language::ko));
    } catch (const std::invalid_argument&) {
      out << english[i];
    }
  }
  return out;
}

// A hop's message in the window's language ("request" → "요청"; SYN stays SYN).
QString message_of(const QJsonObject& hop, const QString& language) {
  const auto words = language == "ko" ? lbsim::text::Language::ko : lbsim::text::Language::en;
  return QString::fromStdString(lbsim::text::wire_message(hop.value("message").toString().toStdString(), words));
}

QString layer_name(int layer) {
  switch (layer) {
    case 7: return TraceView::tr("7 Application (HTTP)");
    case 6: return TraceView::tr("6 Presentation (TLS)");
    case 5: return TraceView::tr("5 Session");
    case 4: return TraceView::tr("4 Transport (TCP ports)");
    case 3: return TraceView::tr("3 Network (IP addresses)");
    case 2: return TraceView::tr("2 Data link (MAC addresses)");
    default: return TraceView::tr("1 Physical");
  }
}

}  // namespace

int osi_layer_of_field(const QString& field) {
  if (field.endsWith("_mac")) return 2;
  if (field.endsWith("_ip")) return 3;
  if (field.endsWith("_port") || field == "protocol" || field.startsWith("TCP")) return 4;
  if (field.startsWith("TLS") || field == "sni") return 6;
  return 7;  // method, host, path, query, headers, cookies, the whole request
}

OsiStack::OsiStack(QWidget* parent) : QWidget(parent) { setMinimumSize(280, 7 * 28); }

void OsiStack::show_hop(int reads_up_to, const QStringList& read, const QStringList& rewritten, const QColor& colour) {
  reads_up_to_ = reads_up_to;
  read_ = read;
  rewritten_ = rewritten;
  colour_ = colour;
  update();
}

QList<int> OsiStack::rewritten_layers() const {
  QList<int> layers;
  for (const QString& f : rewritten_)
    if (!layers.contains(osi_layer_of_field(f))) layers << osi_layer_of_field(f);
  return layers;
}

void OsiStack::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const double row_h = height() / 7.0;
  const QList<int> rewritten = rewritten_layers();
  for (int layer = 7; layer >= 1; --layer) {
    const QRectF row(2, (7 - layer) * row_h + 2, width() - 4, row_h - 4);
    // The layers this node reads are lit; those above are carried, unread (opaque).
    const bool lit = layer <= reads_up_to_;
    p.setPen(rewritten.contains(layer) ? QPen(QColor(230, 120, 0), 3) : QPen(QColor(150, 150, 150), 1));
    p.setBrush(lit ? colour_ : QColor(235, 235, 235));
    p.drawRoundedRect(row, 4, 4);
    p.setPen(lit ? Qt::white : QColor(140, 140, 140));
    QString text = layer_name(layer);
    QStringList fields_here;
    for (const QString& f : read_)
      if (osi_layer_of_field(f) == layer) fields_here << f;
    QStringList rewrites_here;
    for (const QString& f : rewritten_)
      if (osi_layer_of_field(f) == layer) rewrites_here << f;
    if (!rewrites_here.isEmpty()) text += "  — " + tr("rewrites %1").arg(rewrites_here.join(", "));
    else if (!fields_here.isEmpty() && lit) text += "  — " + tr("reads");
    p.drawText(row.adjusted(8, 0, -4, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
  }
}

TraceView::TraceView(QString lbsim_program, QString language, QWidget* parent)
    : QWidget(parent), program_(std::move(lbsim_program)), language_(std::move(language)) {
  request_ = new QSpinBox;
  request_->setRange(1, 1'000'000);
  request_->setValue(3);
  request_->setPrefix(tr("request #"));
  auto* go = new QPushButton(tr("Trace"));
  // The window answers with its current settings (the parameter panel's edits, the seed).
  connect(go, &QPushButton::clicked, this, [this] { emit trace_requested(request_->value()); });
  summary_ = new QLabel(tr("open a scenario, pick a request and press Trace"));
  summary_->setWordWrap(true);
  auto* open_capture = new QPushButton(tr("Open capture…"));
  open_capture->setToolTip(tr("step through the real frames of a packet capture (lbsim testbed --pcap, lbsim trace --pcap)"));
  connect(open_capture, &QPushButton::clicked, this, [this] { choose_capture(); });
  auto* back = new QPushButton(tr("◀"));
  back->setToolTip(tr("the previous hop or frame"));
  connect(back, &QPushButton::clicked, this, [this] { step(-1); });
  auto* forward = new QPushButton(tr("▶"));
  forward->setToolTip(tr("the next hop or frame"));
  connect(forward, &QPushButton::clicked, this, [this] { step(+1); });
  play_ = new QPushButton(tr("Play"));
  play_->setToolTip(tr("step through every hop by itself, the packet travelling each link"));
  connect(play_, &QPushButton::clicked, this, [this] { playing() ? pause() : play(); });
  auto* play_speed = new QComboBox;
  play_speed->setToolTip(tr("how fast the hops follow each other"));
  for (const auto& [label, ms] : {std::pair{"0.5×", 2800}, std::pair{"1×", 1400}, std::pair{"2×", 700}, std::pair{"4×", 350}})
    play_speed->addItem(label, ms);
  play_speed->setCurrentIndex(1);
  connect(play_speed, &QComboBox::currentIndexChanged, this, [this, play_speed] { set_play_interval_ms(play_speed->currentData().toInt()); });
  player_.setInterval(1400);
  connect(&player_, &QTimer::timeout, this, [this] {
    if (selected_hop() + 1 >= hop_list_->count()) return pause();
    step(+1);
  });
  auto* top = new QHBoxLayout;
  top->addWidget(request_);
  top->addWidget(go);
  top->addWidget(open_capture);
  top->addWidget(back);
  top->addWidget(forward);
  top->addWidget(play_);
  top->addWidget(play_speed);
  top->addWidget(summary_, 1);

  hop_list_ = new QListWidget;
  connect(hop_list_, &QListWidget::currentRowChanged, this, [this](int row) { select_hop(row); });
  stack_ = new OsiStack;
  headers_ = new QTableWidget(0, 3);
  headers_->setHorizontalHeaderLabels({tr("field"), tr("before this hop"), tr("after it")});
  headers_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  headers_->verticalHeader()->setVisible(false);
  headers_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  headers_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  notes_ = new QLabel;
  notes_->setWordWrap(true);
  notes_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  timing_ = new QLabel;
  auto* detail = new QWidget;
  auto* detail_layout = new QVBoxLayout(detail);
  detail_layout->addWidget(stack_, 2);
  detail_layout->addWidget(headers_, 3);
  detail_layout->addWidget(timing_);
  detail_layout->addWidget(notes_, 1);
  auto* split = new QSplitter;
  split->addWidget(hop_list_);
  split->addWidget(detail);
  hop_list_->setMinimumWidth(300);
  split->setStretchFactor(0, 2);
  split->setStretchFactor(1, 3);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(split, 1);

  connect(&process_, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) { on_finished(code, status); });
  connect(&process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
    if (error != QProcess::FailedToStart) return;
    summary_->setText(tr("cannot trace: cannot start %1").arg(program_));
    emit failed(tr("cannot start %1").arg(program_));
  });
}

TraceView::~TraceView() { stop_child(); }

QString TraceView::shown_notes() const { return notes_->text(); }

QStringList TraceView::hop_titles() const {
  QStringList titles;
  for (int i = 0; i < hop_list_->count(); ++i) titles << hop_list_->item(i)->text();
  return titles;
}

QStringList TraceView::hop_notes(int index) const {
  if (index < 0 || index >= hops_.size()) return {};
  return notes_of(hops_[index].toObject(), language_);
}

void TraceView::stop_child() {
  if (process_.state() == QProcess::NotRunning) return;
  stopping_ = true;
  process_.kill();
  process_.waitForFinished(1000);
  stopping_ = false;
}

void TraceView::cancel() {
  stop_child();
  showing_ = Showing::trace;
  trace_ = {};
  capture_ = {};
  hops_ = {};
  hop_list_->clear();
  headers_->setRowCount(0);
  notes_->clear();
  timing_->clear();
  stack_->show_hop(0, {}, {}, Qt::lightGray);
  summary_->setText(tr("pick a request and press Trace"));
  emit path_changed({});
  emit hop_selected({}, {});
}

void TraceView::trace(const QString& file, const RunSettings& settings, int request) {
  if (file.isEmpty()) return;
  const QStringList args =
      QStringList{"trace", file, "--request", QString::number(request), "--format", "json"} + settings.scenario_arguments();
  request_->setValue(request);
  stop_child();
  making_ = Showing::trace;
  summary_->setText(tr("tracing request #%1…").arg(request));
  process_.start(program_, args);
}

void TraceView::choose_capture() {
  const QString file = QFileDialog::getOpenFileName(this, tr("Open a packet capture"), QString(), tr("Packet captures (*.pcap *.cap);;All files (*)"));
  if (!file.isEmpty()) open_capture(file);
}

void TraceView::open_capture(const QString& file) {
  stop_child();
  making_ = Showing::capture;
  summary_->setText(tr("reading %1…").arg(QFileInfo(file).fileName()));
  process_.start(program_, {"frames", file, "--format", "json"});
}

void TraceView::on_finished(int exit_code, QProcess::ExitStatus status) {
  if (stopping_) return;  // a trace we gave up on
  const QByteArray out = process_.readAllStandardOutput();
  const QString err = QString::fromLocal8Bit(process_.readAllStandardError()).trimmed().section('\n', -1);
  const QString cannot = making_ == Showing::capture ? tr("cannot read the capture: %1") : tr("cannot trace: %1");
  if (status != QProcess::NormalExit || exit_code != 0) {
    summary_->setText(cannot.arg(err));
    emit failed(err);
    return;
  }
  QJsonParseError error{};
  const QJsonDocument document = QJsonDocument::fromJson(out, &error);
  if (error.error != QJsonParseError::NoError || !document.isObject()) {
    summary_->setText(cannot.arg(tr("the answer of %1 is not JSON (%2)").arg(program_, error.errorString())));
    emit failed(error.errorString());
    return;
  }
  if (making_ == Showing::capture) show_capture(document.object());
  else show_trace(document.object());
}

void TraceView::show_trace(const QJsonObject& trace) {
  showing_ = Showing::trace;
  trace_ = trace;
  hops_ = trace.value("hops").toArray();
  summary_->setText(summary());
  hop_list_->clear();
  QStringList path;
  for (int i = 0; i < hops_.size(); ++i) {
    const QJsonObject hop = hops_[i].toObject();
    const QString node = hop.value("node").toString();
    auto* item = new QListWidgetItem(QString("%1. %2 — %3 (L%4)")
                                         .arg(i + 1)
                                         .arg(node, message_of(hop, language_))
                                         .arg(hop.value("osi_layer").toInt()));
    item->setForeground(tier_colour(hop.value("tier").toString()).darker(130));
    if (!hop.value("rewrote").toArray().isEmpty()) item->setToolTip(tr("rewrites %1").arg(json_strings(hop.value("rewrote")).join(", ")));
    hop_list_->addItem(item);
    if (path.isEmpty() || path.back() != node) path << node;
  }
  if (!hops_.isEmpty()) hop_list_->setCurrentRow(0);
  emit path_changed(path);
  emit traced(trace);
}

QString TraceView::summary() const {
  if (trace_.isEmpty()) return {};
  // One multi-argument arg(): a path's own "%7E" must not be taken for a placeholder.
  return tr("request #%1 from %2: %3 %4%5 → %6 in %7 ms, %8 hops")
      .arg(QString::number(trace_.value("request").toInt()), trace_.value("client").toString(), trace_.value("method").toString(),
           trace_.value("host").toString(), trace_.value("path").toString(), trace_.value("status").toString(),
           QString::number(trace_.value("latency_ms").toDouble(), 'f', 2), QString::number(hops_.size()));
}

void TraceView::select_hop(int index) {
  if (index < 0 || index >= hops_.size()) return;
  if (hop_list_->currentRow() != index) {
    hop_list_->setCurrentRow(index);  // its signal brings us back here, once
    if (hop_list_->currentRow() == index) return;
  }
  if (showing_ == Showing::capture) return select_frame(index);
  const QJsonObject hop = hops_[index].toObject();
  emit hop_selected(index > 0 ? hops_[index - 1].toObject().value("node").toString() : QString(), hop.value("node").toString());
  const QStringList read = json_strings(hop.value("read")), rewrote = json_strings(hop.value("rewrote"));
  stack_->show_hop(hop.value("osi_layer").toInt(), read, rewrote, tier_colour(hop.value("tier").toString()));

  // Layer 2 to 4 from the packet's headers, then what an HTTP reader sees at layer 7.
  const QJsonObject in = hop.value("headers_in").toObject(), out = hop.value("headers_out").toObject();
  QList<std::array<QString, 3>> rows;
  for (const char* field : {"src_mac", "dst_mac", "src_ip", "dst_ip", "protocol", "src_port", "dst_port"})
    if (in.contains(field)) rows.push_back({QString(field), in.value(field).toString(), out.value(field).toString()});
  if (hop.value("osi_layer").toInt() == 7 && !read.isEmpty() && hop.value("tier").toString() != "client") {
    for (const char* field : {"method", "host", "path", "query"})
      if (!trace_.value(field).toString().isEmpty())
        rows.push_back({QString(field), trace_.value(field).toString(), trace_.value(field).toString()});
    // Every header and cookie the request carried: the ones a rule read are marked below
    // (header names in lower case, as HTTP compares them).
    for (const auto& [kind, key] : {std::pair{"header", "headers"}, std::pair{"cookie", "cookies"}}) {
      const QJsonObject fields = trace_.value(key).toObject();
      for (auto it = fields.begin(); it != fields.end(); ++it) {
        const QString name = QString(kind) == "header" ? it.key().toLower() : it.key();
        rows.push_back({QString("%1 %2").arg(kind, name), it.value().toString(), it.value().toString()});
      }
    }
  }
  // A node that answers sends a new packet back, sources and destinations swapped: the
  // second column is then its answer, and nothing is "rewritten".
  const bool answers = in.value("src_ip") == out.value("dst_ip") && in.value("dst_ip") == out.value("src_ip") &&
                       in.value("src_ip") != in.value("dst_ip");
  headers_->setHorizontalHeaderLabels({tr("field"), tr("before this hop"), answers ? tr("its answer") : tr("after it")});
  headers_->setColumnHidden(1, false);
  QList<HeaderRow> marked;
  for (const auto& [field, before, after] : rows) {
    const bool was_read = read.contains(field);
    marked.push_back({QString("L%1 %2%3").arg(osi_layer_of_field(field)).arg(field, was_read ? tr(" (read)") : QString()), before, after,
                      rewrote.contains(field), was_read});
  }
  fill_headers(marked);
  shown_rows_.clear();
  for (const HeaderRow& row : marked) shown_rows_ << row.label + " = " + row.before;
  timing_->setText(tr("at %1 ms: network %2 ms, queue %3 ms, TLS %4 ms, processing %5 ms")
                       .arg(hop.value("arrived_ms").toDouble(), 0, 'f', 3)
                       .arg(hop.value("network_ms").toDouble(), 0, 'f', 3)
                       .arg(hop.value("queue_ms").toDouble(), 0, 'f', 3)
                       .arg(hop.value("tls_ms").toDouble(), 0, 'f', 3)
                       .arg(hop.value("processing_ms").toDouble(), 0, 'f', 3));
  QStringList notes;
  for (const QString& n : notes_of(hop, language_)) notes << "• " + n.toHtmlEscaped();
  notes_->setText(notes.join("<br>"));
}

void TraceView::fill_headers(const QList<HeaderRow>& rows) {
  headers_->setRowCount(static_cast<int>(rows.size()));
  for (int r = 0; r < rows.size(); ++r) {
    const HeaderRow& row = rows[r];
    const QStringList cells{row.label, row.before, row.after};
    for (int c = 0; c < 3; ++c) {
      auto* item = new QTableWidgetItem(cells[c]);
      if (row.changed) item->setBackground(QColor(255, 214, 153));
      else if (row.read) item->setBackground(QColor(225, 238, 250));
      if (row.changed || row.read) {
        QFont f = item->font();
        f.setBold(row.changed);
        item->setFont(f);
      }
      headers_->setItem(r, c, item);
    }
  }
}

void TraceView::show_capture(const QJsonObject& capture) {
  showing_ = Showing::capture;
  trace_ = {};
  capture_ = capture;
  hops_ = capture.value("frames").toArray();
  const QString node = capture.value("node").toString();
  const QString frames = tr("%1: %2 frames%3")
                            .arg(QFileInfo(capture.value("file").toString()).fileName())
                            .arg(hops_.size())
                            .arg(capture.value("truncated").toBool() ? tr(" (the first of more)") : QString());
  // A testbed capture is one node's: its name says which.
  summary_->setText(capture.value("tier").toString().isEmpty() ? frames : tr("%1 — each as %2 received or sent it").arg(frames, node));
  hop_list_->clear();
  for (int i = 0; i < hops_.size(); ++i) {
    const QJsonObject frame = hops_[i].toObject();
    // The message first: the list is narrow, and the table below has the addresses.
    auto* item = new QListWidgetItem(QString("%1. L%2 %3 — %4")
                                         .arg(frame.value("number").toInt())
                                         .arg(frame.value("osi_layer").toInt())
                                         .arg(frame.value("message").toString(), frame.value("summary").toString().section("  ", 0, 0)));
    if (!frame.value("rewrote").toArray().isEmpty()) {
      item->setForeground(QColor(190, 90, 0));
      item->setToolTip(tr("frame %1 sent on, rewritten: %2").arg(frame.value("rewrite_of").toInt()).arg(json_strings(frame.value("rewrote")).join(", ")));
    }
    hop_list_->addItem(item);
  }
  if (!hops_.isEmpty()) hop_list_->setCurrentRow(0);
  // The capturing node, outlined on the layout when the open scenario has it.
  emit path_changed(node.isEmpty() ? QStringList() : QStringList{node});
  emit captured(capture);
}

void TraceView::select_frame(int index) {
  const QJsonObject frame = hops_[index].toObject();
  const QStringList rewrote = json_strings(frame.value("rewrote"));
  emit hop_selected({}, {});
  stack_->show_hop(frame.value("osi_layer").toInt(), {}, rewrote, tier_colour(capture_.value("tier").toString()));
  const bool paired = frame.contains("rewrite_of");
  headers_->setHorizontalHeaderLabels(
      {tr("field"), paired ? tr("as frame %1 came in").arg(frame.value("rewrite_of").toInt()) : QString(), paired ? tr("as it left") : tr("this frame")});
  headers_->setColumnHidden(1, !paired);
  QList<HeaderRow> rows;
  for (const auto& value : frame.value("fields").toArray()) {
    const QJsonObject field = value.toObject();
    const QString name = field.value("field").toString();
    rows.push_back({QString("L%1 %2").arg(field.value("layer").toInt()).arg(name), field.value("before").toString(),
                    field.value("value").toString(), rewrote.contains(name), false});
  }
  fill_headers(rows);
  timing_->setText(tr("frame %1 at %2 ms, %3 bytes on the wire")
                       .arg(frame.value("number").toInt())
                       .arg(frame.value("time_ms").toDouble(), 0, 'f', 3)
                       .arg(frame.value("bytes").toInt()));
  QStringList notes;
  for (const QString& n : json_strings(frame.value("notes"))) notes << "• " + n.toHtmlEscaped();
  notes_->setText(notes.join("<br>"));
}

void TraceView::play() {
  if (hop_list_->count() == 0) return;
  if (selected_hop() + 1 >= hop_list_->count()) hop_list_->setCurrentRow(0);  // again from the start
  player_.start();
  play_->setText(tr("Pause"));
}

void TraceView::pause() {
  player_.stop();
  play_->setText(tr("Play"));
}

void TraceView::set_play_interval_ms(int ms) { player_.setInterval(std::max(ms, 1)); }

void TraceView::step(int delta) {
  if (hops_.isEmpty()) return;
  select_hop(std::clamp(selected_hop() + delta, 0, static_cast<int>(hops_.size()) - 1));
}

int TraceView::request() const { return request_->value(); }

int TraceView::selected_hop() const { return hop_list_->currentRow(); }

QStringList TraceView::changed_fields() const {
  QStringList fields;
  for (int r = 0; r < headers_->rowCount(); ++r)
    if (headers_->item(r, 0)->font().bold()) fields << headers_->item(r, 0)->text().section(' ', 1, 1);
  return fields;
}

}  // namespace lbsim::gui
