// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/quiz_dialog.hpp"

#include <QCheckBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSet>
#include <QVBoxLayout>

#include "gui/json_strings.hpp"
#include "gui/trace_view.hpp"

namespace lbsim::gui {

QuizDialog::QuizDialog(const QJsonArray& questions, QWidget* parent) : QDialog(parent), questions_(questions) {
  setWindowTitle(tr("Quiz"));
  progress_ = new QLabel;
  text_ = new QLabel;
  text_->setWordWrap(true);
  QFont big = text_->font();
  big.setPointSizeF(big.pointSizeF() * 1.3);
  text_->setFont(big);
  choices_layout_ = new QVBoxLayout;
  feedback_ = new QLabel;
  feedback_->setWordWrap(true);
  check_ = new QPushButton(tr("Check"));
  next_ = new QPushButton(tr("Next"));
  connect(check_, &QPushButton::clicked, this, [this] {
    QStringList chosen;
    for (QCheckBox* box : boxes_)
      if (box->isChecked()) chosen << box->text();
    for (QPushButton* field : fields_)
      if (field->isChecked()) chosen << field->text();
    answer_choices(chosen);
  });
  connect(next_, &QPushButton::clicked, this, [this] { next(); });
  auto* buttons = new QHBoxLayout;
  buttons->addStretch(1);
  buttons->addWidget(check_);
  buttons->addWidget(next_);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(progress_);
  layout->addWidget(text_);
  layout->addLayout(choices_layout_);
  layout->addWidget(feedback_, 1);
  layout->addLayout(buttons);
  resize(560, 360);
  show_question();
}

bool QuizDialog::asks_for_a_node() const { return current_ < count() && question().value("click_node").toBool(); }

bool QuizDialog::asks_for_fields() const { return current_ < count() && question().value("click_fields").toBool(); }

QPushButton* QuizDialog::field_button(const QString& field) const {
  for (QPushButton* button : fields_)
    if (button->text() == field) return button;
  return nullptr;
}

namespace {

// One header of the drawn packet, outermost first, and the layer it belongs to.
struct PacketHeader {
  const char* name;
  int layer;
};
constexpr PacketHeader kPacketHeaders[] = {{"Ethernet", 2}, {"IP", 3}, {"TCP", 4}};

// The header a field sits in on the wire: `protocol` is the IP header's, though the trace
// counts it with layer 4 (it names the transport protocol).
int header_layer_of(const QString& field) { return field == "protocol" ? 3 : osi_layer_of_field(field); }

}  // namespace

// The packet as a row per header (Ethernet, IP, TCP), each field a box to click on or off.
QWidget* QuizDialog::draw_packet(const QStringList& fields) {
  auto* packet = new QWidget;
  auto* grid = new QGridLayout(packet);
  grid->setSpacing(2);
  for (int row = 0; row < static_cast<int>(std::size(kPacketHeaders)); ++row) {
    const PacketHeader& header = kPacketHeaders[row];
    grid->addWidget(new QLabel(QString("%1 (L%2)").arg(header.name).arg(header.layer)), row, 0);
    int column = 1;
    for (const QString& field : fields) {
      if (header_layer_of(field) != header.layer) continue;
      auto* box = new QPushButton(field);
      box->setCheckable(true);
      box->setMinimumWidth(110);
      // A header field looks like a cell of a packet diagram; a clicked one is filled.
      box->setStyleSheet("QPushButton { border: 1px solid #555; background: #fff; padding: 6px; font-family: monospace; }"
                         "QPushButton:checked { background: #0072b2; color: #fff; }");
      grid->addWidget(box, row, column++);
      fields_ << box;
    }
  }
  grid->setColumnStretch(grid->columnCount(), 1);
  return packet;
}

QString QuizDialog::feedback() const { return feedback_->text(); }

void QuizDialog::show_question() {
  qDeleteAll(boxes_);
  boxes_.clear();
  delete packet_;
  packet_ = nullptr;
  fields_.clear();
  answered_ = false;
  feedback_->clear();
  if (current_ >= count()) {
    progress_->clear();
    text_->setText(tr("Done: %1 of %2 right on the first try.").arg(score_).arg(count()));
    check_->setEnabled(false);
    next_->setText(tr("Close"));
    emit wants_node_click(false);
    return;
  }
  progress_->setText(tr("Question %1 of %2").arg(current_ + 1).arg(count()));
  text_->setText(question().value("question").toString());
  if (asks_for_fields()) {
    packet_ = draw_packet(json_strings(question().value("choices")));
    choices_layout_->addWidget(packet_);
  } else {
    for (const QString& choice : json_strings(question().value("choices"))) {
      auto* box = new QCheckBox(choice);
      choices_layout_->addWidget(box);
      boxes_ << box;
    }
  }
  check_->setEnabled(!asks_for_a_node());
  next_->setText(tr("Next"));
  if (asks_for_a_node()) feedback_->setText(tr("Click the node on the layout in the teaching tab."));
  if (asks_for_fields()) feedback_->setText(tr("Click the header fields on the packet, then Check."));
  emit wants_node_click(asks_for_a_node());
}

bool QuizDialog::judge(const QStringList& given) {
  const QStringList right = json_strings(question().value("right"));
  const bool correct = QSet<QString>(given.begin(), given.end()) == QSet<QString>(right.begin(), right.end());
  if (!answered_ && correct) ++score_;
  answered_ = true;
  const QString why = question().value("why").toString();
  feedback_->setText(correct ? tr("Right. %1").arg(why) : tr("Not quite: the answer is %1. %2").arg(right.join(", "), why));
  return correct;
}

bool QuizDialog::answer_choices(const QStringList& chosen) {
  if (current_ >= count() || asks_for_a_node()) return false;
  return judge(chosen);
}

bool QuizDialog::answer_node(const QString& node) {
  if (current_ >= count() || !asks_for_a_node()) return false;
  return judge({node});
}

void QuizDialog::next() {
  if (current_ >= count()) return accept();
  ++current_;
  show_question();
}

}  // namespace lbsim::gui
