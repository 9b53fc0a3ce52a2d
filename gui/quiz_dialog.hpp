// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A lesson's quiz, one question at a time (`lbsim quiz FILE --format json`): tick the
// choices, click the node on the layout, or click the header fields on a drawn packet
// (Ethernet, IP, TCP), then see whether it was right and why — the why being what the
// lesson's own run showed, not a stored letter.
#include <QDialog>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

class QCheckBox;
class QLabel;
class QPushButton;
class QVBoxLayout;
class QWidget;

namespace lbsim::gui {

class QuizDialog : public QDialog {
  Q_OBJECT
public:
  explicit QuizDialog(const QJsonArray& questions, QWidget* parent = nullptr);

  int current() const { return current_; }
  int count() const { return static_cast<int>(questions_.size()); }
  int score() const { return score_; }
  bool asks_for_a_node() const;
  bool asks_for_fields() const;
  // The drawn packet's field (a checkable box of its header), when the question asks for fields.
  QPushButton* field_button(const QString& field) const;
  QPushButton* check_button() const { return check_; }
  QString feedback() const;
  // Answers the current question: the ticked choices, or the node clicked; true if right.
  // A question is scored on its first answer only.
  bool answer_choices(const QStringList& chosen);
  bool answer_node(const QString& node);
  void next();

signals:
  // The question asks to click a node (the window outlines nothing: that would tell).
  void wants_node_click(bool wanted);

private:
  void show_question();
  QWidget* draw_packet(const QStringList& fields);
  bool judge(const QStringList& given);
  QJsonObject question() const { return questions_[current_].toObject(); }

  QJsonArray questions_;
  int current_ = 0, score_ = 0;
  bool answered_ = false;
  QLabel* progress_ = nullptr;
  QLabel* text_ = nullptr;
  QVBoxLayout* choices_layout_ = nullptr;
  QList<QCheckBox*> boxes_;
  QWidget* packet_ = nullptr;  // the drawn packet of a "click the header fields" question
  QList<QPushButton*> fields_;
  QLabel* feedback_ = nullptr;
  QPushButton* check_ = nullptr;
  QPushButton* next_ = nullptr;
};

}  // namespace lbsim::gui
