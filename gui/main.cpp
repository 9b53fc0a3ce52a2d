// SPDX-License-Identifier: GPL-3.0-or-later
// lbsim-gui [SCENARIO] [--screenshot FILE --after DURATION] [--speed max|realtime|10x]:
// the layout and live charts of a run. With --screenshot it opens the scenario, runs it,
// saves a picture of the window after DURATION of wall time and exits (for docs and tests).
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QTimer>

#include "gui/main_window.hpp"
#include "util/units.hpp"

namespace {

// The simulator next to this program in a build tree (build/release/gui -> ../cli), unless
// LBSIM_BINARY says otherwise.
QString lbsim_program() {
  if (const QByteArray env = qgetenv("LBSIM_BINARY"); !env.isEmpty()) return QString::fromLocal8Bit(env);
  return QDir(QCoreApplication::applicationDirPath()).filePath("../cli/lbsim");
}

// The shipped scenarios: LBSIM_SCENARIOS, or the source tree's scenarios/ seen from a
// build tree (build/release/gui -> ../../../scenarios).
QString scenario_folder() {
  if (const QByteArray env = qgetenv("LBSIM_SCENARIOS"); !env.isEmpty()) return QString::fromLocal8Bit(env);
  return QDir(QCoreApplication::applicationDirPath()).filePath("../../../scenarios");
}

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QCommandLineParser parser;
  parser.setApplicationDescription("lbsim-gui: draw a load-balancing layout and watch it run");
  parser.addHelpOption();
  parser.addPositionalArgument("scenario", "scenario file (YAML)");
  parser.addOption({"screenshot", "save a picture of the window to FILE and exit", "FILE"});
  parser.addOption({"after", "with --screenshot: how long to run first (default 5s)", "DURATION", "5s"});
  parser.process(app);

  lbsim::gui::MainWindow window(lbsim_program());
  window.set_scenario_folder(scenario_folder());
  window.show();
  const QStringList files = parser.positionalArguments();
  if (!files.isEmpty() && !window.open(files.front())) {
    if (parser.isSet("screenshot")) return 2;
  }
  if (parser.isSet("screenshot")) {
    const auto after = lbsim::units::parse_duration(parser.value("after").toStdString());
    if (!after || *after < 0) {
      fprintf(stderr, "lbsim-gui: error: --after: expected a duration such as 5s\n");
      return 2;
    }
    window.run();
    QTimer::singleShot(static_cast<int>(*after * 1000), &window, [&window, &parser] {
      window.grab().save(parser.value("screenshot"));
      QApplication::quit();
    });
  }
  return app.exec();
}
