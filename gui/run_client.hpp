// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The simulation as a child process: `lbsim run FILE --stream` writes JSON lines (ticks,
// faults, health verdicts, the summary) and reads commands. SimGrid runs one simulation
// per process, and a crash of the child must not take the window with it.
#include <QJsonObject>
#include <QObject>
#include <QProcess>

namespace lbsim::gui {

class RunClient : public QObject {
  Q_OBJECT
public:
  explicit RunClient(QString lbsim_program, QObject* parent = nullptr);
  // `lbsim run SCENARIO --stream` with `arguments` (--speed, --seed, --variant, --set ...).
  void start(const QString& scenario, const QStringList& arguments);
  void stop();
  // A fault now, as the stream's command expects: {"kind": "zone_outage", "zone": "b", ...}.
  void inject(const QJsonObject& fault);
  // Any other command of the stream: {"cmd": "pause"}, {"cmd": "resume"}, ...
  void command(const QJsonObject& command);
  bool running() const { return process_.state() != QProcess::NotRunning; }

signals:
  void started(const QJsonObject& start);
  void tick(const QJsonObject& tick);
  void event(const QJsonObject& event);  // fault, health, rejected, paused, ...
  void finished(const QJsonObject& summary);
  void failed(const QString& why);       // the child crashed or could not start
  void stopped();                        // stop() ended it

private:
  void read_lines();
  void on_finished(int exit_code, QProcess::ExitStatus status);

  QString program_;
  QProcess process_;
  QByteArray pending_;
  QByteArray errors_;  // the tail of the child's stderr
  static constexpr qsizetype kErrorTail = 64 * 1024;
  bool ended_ = false;
  bool stopping_ = false;
};

}  // namespace lbsim::gui
