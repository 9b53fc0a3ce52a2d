// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The teaching view: one request followed hop by hop (`lbsim trace --format json`). Pick a
// hop and see the OSI stack as that node sees it — the layers it reads lit in its tier's
// colour, the layers it rewrites marked — and the header fields before and after it, the
// changed ones highlighted: under DNAT the L4 node rewrites the destination IP, under DSR
// only the MAC addresses, and the backend answers from the VIP itself.
//
// It also opens a packet capture (the testbed's `--pcap`, or `lbsim trace --pcap`,
// decoded by `lbsim frames --format json`) and steps through its real frames with the
// same stack and header table: the layers each frame carries, its fields by layer, and
// where a node sent a packet on rewritten, the fields before and after.
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTimer>
#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace lbsim::gui {

struct RunSettings;

// The OSI layer (1..7) a header field belongs to: MACs 2, IPs 3, ports and TCP 4, TLS 6,
// HTTP 7.
int osi_layer_of_field(const QString& field);

// Seven stacked layers, numbered 7 at the top, drawn for one hop.
class OsiStack : public QWidget {
  Q_OBJECT
public:
  explicit OsiStack(QWidget* parent = nullptr);
  // `reads_up_to`: the highest layer the node looks at; `read` and `rewritten`: the
  // fields it reads and rewrites, each shown on its layer's row; `colour`: its tier's.
  void show_hop(int reads_up_to, const QStringList& read, const QStringList& rewritten, const QColor& colour);
  int reads_up_to() const { return reads_up_to_; }
  // The layers with a field rewritten at this hop.
  QList<int> rewritten_layers() const;
  QSize sizeHint() const override { return {320, 7 * 34}; }

protected:
  void paintEvent(QPaintEvent* event) override;

private:
  int reads_up_to_ = 0;
  QStringList read_, rewritten_;
  QColor colour_;
};

class TraceView : public QWidget {
  Q_OBJECT
public:
  // language: "en" or "ko", the notes' language (the rest of the view follows tr()).
  TraceView(QString lbsim_program, QString language = "en", QWidget* parent = nullptr);
  ~TraceView() override;

  // Traces request `request` of `file` run with `settings` (a child process).
  void trace(const QString& file, const RunSettings& settings, int request);
  // Shows a trace (the JSON of `lbsim trace --format json`), its first hop selected.
  void show_trace(const QJsonObject& trace);
  void select_hop(int index);
  // Forgets the trace shown, and one still being made (another scenario was opened).
  void cancel();
  // Decodes the capture `file` (a child process) and shows its frames, the first selected.
  void open_capture(const QString& file);
  // Asks for a capture file, then opens it.
  void choose_capture();
  // Shows a decoded capture (the JSON of `lbsim frames --format json`).
  void show_capture(const QJsonObject& capture);
  // The previous (-1) or next (+1) hop or frame.
  void step(int delta);
  // Auto-play: a hop (or frame) after another, the packet travelling each link, until the
  // last; playing from the last starts again from the first.
  void play();
  void pause();
  bool playing() const { return player_.isActive(); }
  // How long each hop stays before the next (the speed box sets it; tests shorten it).
  void set_play_interval_ms(int ms);
  bool showing_capture() const { return showing_ == Showing::capture; }
  // The last child asked for was a capture's decoding (what a failure is about).
  bool reading_capture() const { return making_ == Showing::capture; }

  int request() const;
  int hop_count() const { return static_cast<int>(hops_.size()); }
  int selected_hop() const;
  const OsiStack* stack() const { return stack_; }
  // The header fields the selected hop rewrote ("dst_ip", ...), as highlighted.
  QStringList changed_fields() const;
  // The header table's rows as "label = value before the hop" ("L7 cookie user_tier (read) = premium").
  QStringList shown_rows() const { return shown_rows_; }
  QString shown_notes() const;  // the notes as the view shows them, as plain text
  QStringList hop_titles() const;  // the hop list's lines ("3. l7-a-0 — 요청 (L7)")
  QJsonObject current_trace() const { return trace_; }
  // Hop `index`'s notes in the view's language.
  QStringList hop_notes(int index) const;
  QString summary() const;

signals:
  // The nodes the request went through, in order (for the layout to outline).
  void path_changed(const QStringList& nodes);
  // The selected hop: the node that sent the message and the one that got it.
  void hop_selected(const QString& from, const QString& to);
  void traced(const QJsonObject& trace);
  void captured(const QJsonObject& capture);
  // The user pressed Trace for this request.
  void trace_requested(int request);
  void failed(const QString& why);

private:
  enum class Showing { trace, capture };
  void on_finished(int exit_code, QProcess::ExitStatus status);
  void stop_child();
  void select_frame(int index);
  // One row per field: its label, its value before the hop and after it; `changed` and
  // `read` say how to mark each row.
  struct HeaderRow {
    QString label, before, after;
    bool changed = false, read = false;
  };
  void fill_headers(const QList<HeaderRow>& rows);

  QString program_;
  QString language_;
  QProcess process_;
  Showing showing_ = Showing::trace;  // what the list holds
  Showing making_ = Showing::trace;   // what the child is making
  QJsonObject capture_;
  bool stopping_ = false;  // the child's end is ours: no error to report
  QJsonObject trace_;
  QJsonArray hops_;
  QStringList shown_rows_;  // what the header table shows now (for tests and the screen reader)
  QSpinBox* request_ = nullptr;
  QPushButton* play_ = nullptr;
  QTimer player_;
  QLabel* summary_ = nullptr;
  QListWidget* hop_list_ = nullptr;
  OsiStack* stack_ = nullptr;
  QTableWidget* headers_ = nullptr;
  QLabel* notes_ = nullptr;
  QLabel* timing_ = nullptr;
};

}  // namespace lbsim::gui
