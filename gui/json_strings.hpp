// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A JSON array of strings (a trace's notes, a quiz's choices) as a QStringList.
#include <QJsonArray>
#include <QJsonValue>
#include <QStringList>

namespace lbsim::gui {

inline QStringList json_strings(const QJsonValue& array) {
  QStringList out;
  for (const auto& v : array.toArray()) out << v.toString();
  return out;
}

}  // namespace lbsim::gui
