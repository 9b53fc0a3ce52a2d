// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/run_client.hpp"

#include <QJsonDocument>

namespace lbsim::gui {

RunClient::RunClient(QString lbsim_program, QObject* parent) : QObject(parent), program_(std::move(lbsim_program)) {
  connect(&process_, &QProcess::readyReadStandardOutput, this, [this] { read_lines(); });
  connect(&process_, &QProcess::readyReadStandardError, this, [this] {
    errors_ += process_.readAllStandardError();
    if (errors_.size() > kErrorTail) errors_.remove(0, errors_.size() - kErrorTail);  // its last words are what matter
  });
  connect(&process_, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) { on_finished(code, status); });
  connect(&process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
    if (error == QProcess::FailedToStart) emit failed(tr("cannot start %1: %2").arg(program_, process_.errorString()));
  });
}

void RunClient::start(const QString& scenario, const QStringList& arguments) {
  stop();
  stopping_ = false;
  pending_.clear();
  errors_.clear();
  ended_ = false;
  process_.start(program_, QStringList{"run", scenario, "--stream"} + arguments);
}

void RunClient::stop() {
  if (!running()) return;
  stopping_ = true;  // its end is ours, not a crash
  process_.kill();
  process_.waitForFinished(2000);
}

void RunClient::inject(const QJsonObject& fault) { command(QJsonObject{{"cmd", "fault"}, {"fault", fault}}); }

void RunClient::command(const QJsonObject& command) {
  if (!running()) return;
  process_.write(QJsonDocument(command).toJson(QJsonDocument::Compact) + "\n");
}

void RunClient::read_lines() {
  pending_ += process_.readAllStandardOutput();
  // Every whole line, then what is left of a partial one: one copy per burst, however
  // many lines a fast run wrote.
  qsizetype from = 0;
  for (qsizetype newline = pending_.indexOf('\n'); newline >= 0; newline = pending_.indexOf('\n', from)) {
    const QByteArray line = pending_.mid(from, newline - from);
    from = newline + 1;
    const QJsonObject object = QJsonDocument::fromJson(line).object();
    const QString type = object.value("type").toString();
    if (type == "start") emit started(object);
    else if (type == "tick") emit tick(object);
    else if (type == "end") {
      ended_ = true;
      emit finished(object.value("summary").toObject());
    } else if (!type.isEmpty()) emit event(object);
  }
  pending_.remove(0, from);
}

void RunClient::on_finished(int exit_code, QProcess::ExitStatus status) {
  read_lines();
  if (stopping_) {
    stopping_ = false;
    emit stopped();
    return;
  }
  // Exit 3 is a missed objective: the run itself went fine.
  if (status == QProcess::CrashExit || (exit_code != 0 && exit_code != 3) || !ended_) {
    const QString last = QString::fromLocal8Bit(errors_).trimmed().section('\n', -1);
    const QString why = status == QProcess::CrashExit ? tr("the simulation crashed") : tr("the simulation stopped (exit %1)").arg(exit_code);
    emit failed(last.isEmpty() ? why : why + ": " + last);
  }
}

}  // namespace lbsim::gui
