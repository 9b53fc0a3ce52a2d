// SPDX-License-Identifier: GPL-3.0-or-later
// lbsim-gui [SCENARIO] [--screenshot FILE --after DURATION] [--language en|ko] [--presenter]
//   [--tab run|trace] [--side-by-side] [--capture FILE.pcap [--hop N]]:
// the layout and live charts of a run. With --screenshot it opens the scenario, runs it
// (or traces a request, or runs its two layouts side by side), saves a picture of the
// window after DURATION of wall time and exits (for docs and tests). --capture opens a
// packet capture in the teaching view and steps to frame N.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QPointer>
#include <QSettings>
#include <QTimer>
#include <QTranslator>

#include <memory>

#include "gui/main_window.hpp"
#include "gui/parameter_panel.hpp"
#include "gui/picture_export.hpp"
#include "gui/side_by_side.hpp"
#include "gui/trace_view.hpp"
#include "util/units.hpp"

namespace {

// The simulator: LBSIM_BINARY; next to this program in a build tree (build/release/gui ->
// ../cli); or, installed, beside it (/usr/bin).
QString lbsim_program() {
  if (const QByteArray env = qgetenv("LBSIM_BINARY"); !env.isEmpty()) return QString::fromLocal8Bit(env);
  const QDir here(QCoreApplication::applicationDirPath());
  const QString built = here.filePath("../cli/lbsim");
  return QFileInfo(built).isExecutable() ? built : here.filePath("lbsim");
}

// The shipped scenarios: LBSIM_SCENARIOS; the source tree's scenarios/ seen from a build
// tree (build/release/gui -> ../../../scenarios); or, installed, /usr/share/lbsim/scenarios.
QString scenario_folder() {
  if (const QByteArray env = qgetenv("LBSIM_SCENARIOS"); !env.isEmpty()) return QString::fromLocal8Bit(env);
  const QDir here(QCoreApplication::applicationDirPath());
  const QString source = here.filePath("../../../scenarios");
  return QFileInfo(source).isDir() ? source : here.filePath("../share/lbsim/scenarios");
}

// The translations built into the program (:/i18n/lbsim_ko.qm) and Qt's own for its
// dialogs. English needs none.
class Language {
public:
  void use(const QString& code) {
    for (auto& t : installed_) QCoreApplication::removeTranslator(t.get());
    installed_.clear();
    code_ = code == "ko" ? "ko" : "en";
    if (code_ == "en") return;
    auto ours = std::make_unique<QTranslator>();
    if (!ours->load(":/i18n/lbsim_" + code_ + ".qm")) {
      code_ = "en";  // no translation: the window and the lessons stay in English together
      return;
    }
    installed_.push_back(std::move(ours));
    auto qt = std::make_unique<QTranslator>();
    if (qt->load("qtbase_" + code_, QLibraryInfo::path(QLibraryInfo::TranslationsPath))) installed_.push_back(std::move(qt));
    for (auto& t : installed_) QCoreApplication::installTranslator(t.get());
  }
  const QString& code() const { return code_; }

private:
  QString code_ = "en";
  std::vector<std::unique_ptr<QTranslator>> installed_;
};

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QCoreApplication::setOrganizationName("lbsim");
  QCoreApplication::setApplicationName("lbsim-gui");
  QCommandLineParser parser;
  parser.setApplicationDescription("lbsim-gui: draw a load-balancing layout and watch it run");
  parser.addHelpOption();
  parser.addPositionalArgument("scenario", "scenario file (YAML)");
  parser.addOption({"screenshot", "save a picture of the window to FILE (.png at twice its size, or .svg) and exit", "FILE"});
  parser.addOption({"after", "with --screenshot: how long to run first (default 5s)", "DURATION", "5s"});
  parser.addOption({"language", "en or ko (default: the last one chosen from the menu)", "CODE"});
  parser.addOption({"presenter", "start in presenter mode (full screen, large fonts, high contrast)"});
  parser.addOption({"tab", "with --screenshot: run (default) or trace (follow request 3)", "TAB", "run"});
  parser.addOption({"hop", "with --tab trace or --capture: the hop or frame to show (default 1)", "N", "1"});
  parser.addOption({"packet-at", "with --tab trace: hold the hop's travelling packet this far along its arrow (0 to 1)", "FRACTION"});
  parser.addOption({"capture", "open this packet capture (pcap) in the teaching view, frame by frame", "FILE"});
  parser.addOption({"side-by-side", "with --screenshot: picture the side-by-side window instead"});
  parser.process(app);

  Language language;
  language.use(parser.isSet("language") ? parser.value("language") : QSettings().value("language", "en").toString());
  const QString program = lbsim_program();
  QPointer<lbsim::gui::MainWindow> window;
  // Switching language builds the window anew, in the new language, on the same scenario.
  std::function<void(const QString&, const lbsim::gui::RunSettings&)> make_window = [&](const QString& file,
                                                                                          const lbsim::gui::RunSettings& edits) {
    window = new lbsim::gui::MainWindow(program, language.code());
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->set_scenario_folder(scenario_folder());
    if (!file.isEmpty() && window->open(file)) window->parameters()->restore(edits.sets, edits.seed);
    QObject::connect(window, &lbsim::gui::MainWindow::language_requested, [&](const QString& code) {
      // The same scenario, with the parameter panel's edits, in the other language.
      const QString reopen = window->file();
      const lbsim::gui::RunSettings edits = window->settings();
      QSettings().setValue("language", code);
      language.use(code);
      window->close();
      make_window(reopen, edits);
    });
    window->show();
  };
  const QStringList files = parser.positionalArguments();
  make_window(QString(), {});
  if (!files.isEmpty() && !window->open(files.front()) && parser.isSet("screenshot")) return 2;
  if (parser.isSet("capture")) {
    const int frame = parser.value("hop").toInt() - 1;
    QObject::connect(window->trace_view(), &lbsim::gui::TraceView::captured, window, [&window, frame] { window->trace_view()->select_hop(frame); });
    window->open_capture(parser.value("capture"));
  }
  if (parser.isSet("presenter")) window->set_presenter_mode(true);

  if (parser.isSet("screenshot")) {
    const auto after = lbsim::units::parse_duration(parser.value("after").toStdString());
    if (!after || *after < 0) {
      fprintf(stderr, "lbsim-gui: error: --after: expected a duration such as 5s\n");
      return 2;
    }
    QWidget* pictured = window;
    if (parser.isSet("side-by-side")) {
      pictured = window->side_by_side();
      if (pictured == nullptr) {
        fprintf(stderr, "lbsim-gui: error: --side-by-side: %s\n", qPrintable(window->status()));
        return 2;
      }
    } else if (parser.isSet("capture")) {
      // (opened above)
    } else if (parser.value("tab") == "trace") {
      window->trace(3);
      const int hop = parser.value("hop").toInt() - 1;
      const double packet_at = parser.isSet("packet-at") ? parser.value("packet-at").toDouble() : -1;
      QObject::connect(window->trace_view(), &lbsim::gui::TraceView::traced, window, [&window, hop, packet_at] {
        window->trace_view()->select_hop(hop);
        if (packet_at >= 0) window->topology()->hold_packet_at(packet_at);
      });
    } else {
      window->run();
    }
    QTimer::singleShot(static_cast<int>(*after * 1000), pictured, [pictured, &parser] {
      QString error;
      if (!lbsim::gui::export_picture(pictured, parser.value("screenshot"), error)) {
        fprintf(stderr, "lbsim-gui: error: --screenshot %s\n", qPrintable(error));
        QApplication::exit(1);
        return;
      }
      QApplication::quit();
    });
  }
  return app.exec();
}
