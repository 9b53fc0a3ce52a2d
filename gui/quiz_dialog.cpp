// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/quiz_dialog.hpp"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSet>
#include <QVBoxLayout>

#include "gui/json_strings.hpp"

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

QString QuizDialog::feedback() const { return feedback_->text(); }

void QuizDialog::show_question() {
  qDeleteAll(boxes_);
  boxes_.clear();
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
  for (const QString& choice : json_strings(question().value("choices"))) {
    auto* box = new QCheckBox(choice);
    choices_layout_->addWidget(box);
    boxes_ << box;
  }
  check_->setEnabled(!asks_for_a_node());
  next_->setText(tr("Next"));
  if (asks_for_a_node()) feedback_->setText(tr("Click the node on the layout in the teaching tab."));
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
