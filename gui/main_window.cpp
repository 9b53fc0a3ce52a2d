// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/main_window.hpp"

#include <QActionGroup>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDirIterator>
#include <QDockWidget>
#include <QEventLoop>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGraphicsView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMouseEvent>
#include <QProcess>
#include <QSaveFile>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QToolBar>


#include "cli/scenario_file.hpp"
#include "gui/parameter_panel.hpp"
#include "gui/lesson_export.hpp"
#include "gui/picture_export.hpp"
#include "gui/quiz_dialog.hpp"
#include "gui/side_by_side.hpp"
#include "gui/trace_view.hpp"

namespace lbsim::gui {

namespace {
// The speed combo's slow mode: simulated seconds per wall second (a 140 ms request takes 7 s).
constexpr double kSlowModeSpeed = 0.02;
}  // namespace
namespace {

constexpr int kMaxRecent = 8;

std::vector<std::string> std_strings(const QStringList& list) {
  std::vector<std::string> out;
  for (const QString& s : list) out.push_back(s.toStdString());
  return out;
}


QString read_text(const QString& file) {
  QFile in(file);
  if (!in.open(QIODevice::ReadOnly)) return {};
  return QString::fromUtf8(in.readAll());
}

}  // namespace

MainWindow::MainWindow(QString lbsim_program, QString language, QWidget* parent)
    : QMainWindow(parent), program_(std::move(lbsim_program)), language_(std::move(language)) {
  build_ui();
  build_menus();
  connect(panel_, &RunPanel::status, status_, &QLabel::setText);
}

MainWindow::~MainWindow() {
  if (side_by_side_) delete side_by_side_;
}

QStringList MainWindow::shipped_scenarios(const QString& folder) {
  QStringList files;
  QDirIterator it(folder, {"*.yaml"}, QDir::Files, QDirIterator::Subdirectories);
  while (it.hasNext()) files << QDir(folder).relativeFilePath(it.next());
  files.sort();
  return files;
}

void MainWindow::set_scenario_folder(const QString& folder) {
  scenario_folder_ = folder;
  menu_scenarios_ = shipped_scenarios(folder);
  scenarios_menu_->clear();
  // One submenu per folder (lessons/, failures/, compare/), the top level's files first.
  std::map<QString, QMenu*> submenus;
  for (const QString& file : menu_scenarios_) {
    const QString folder_name = QFileInfo(file).path();
    QMenu* menu = scenarios_menu_;
    if (folder_name != ".") {
      auto& sub = submenus[folder_name];
      if (sub == nullptr) sub = new QMenu(folder_name, scenarios_menu_);
      menu = sub;
    }
    menu->addAction(QFileInfo(file).fileName(), this, [this, file] { open(QDir(scenario_folder_).filePath(file)); });
  }
  for (const auto& [name, sub] : submenus) scenarios_menu_->addMenu(sub);
  scenarios_menu_->setEnabled(!menu_scenarios_.isEmpty());
}

void MainWindow::build_ui() {
  setWindowTitle(tr("lbsim"));
  auto* toolbar = addToolBar(tr("Run"));
  toolbar->setObjectName("run toolbar");
  toolbar->addAction(tr("Open…"), this, [this] { choose_and_open(); });
  toolbar->addSeparator();
  toolbar->addAction(tr("Run"), this, [this] { run(); });
  toolbar->addAction(tr("Pause"), this, [this] { client().command({{"cmd", "pause"}}); });
  toolbar->addAction(tr("Resume"), this, [this] { client().command({{"cmd", "resume"}}); });
  toolbar->addAction(tr("Stop"), this, [this] { stop(); });
  speed_ = new QComboBox;
  // Simulated seconds per wall second; 0: as fast as possible.
  speed_->addItem(tr("as fast as possible"), 0.0);
  speed_->addItem(tr("real time"), 1.0);
  speed_->addItem(tr("10 × real time"), 10.0);
  // Slow enough to watch a request cross the layout: a sample is drawn travelling.
  speed_->addItem(tr("slow: requests travelling (1/50 × real time)"), kSlowModeSpeed);
  // A new speed reaches a running simulation at once.
  connect(speed_, &QComboBox::currentIndexChanged, this, [this] {
    client().command({{"cmd", "speed"}, {"value", speed_->currentData().toDouble()}});
  });
  toolbar->addWidget(speed_);
  toolbar->addSeparator();
  toolbar->addAction(tr("Follow a request"), this, [this] { trace(0); });
  toolbar->addAction(tr("Side by side"), this, [this] { side_by_side(); });
  toolbar->addAction(tr("Quiz"), this, [this] { start_quiz(); });

  panel_ = new RunPanel(program_, Qt::Horizontal);
  // The teaching tab shows the same layout (a second view on the scene) with the traced
  // request's path outlined.
  trace_view_ = new TraceView(program_, language_);
  trace_layout_ = new FittingView;
  trace_layout_->setRenderHint(QPainter::Antialiasing);
  trace_layout_->viewport()->installEventFilter(this);  // a quiz's "click the node"
  connect(trace_view_, &TraceView::path_changed, this, [this](const QStringList& nodes) {
    if (topology() == nullptr) return;
    topology()->highlight(nodes);
    trace_layout_->fit();
  });
  connect(trace_view_, &TraceView::trace_requested, this, [this](int request) { trace(request); });
  connect(trace_view_, &TraceView::hop_selected, this, [this](const QString& from, const QString& to) {
    if (topology() != nullptr) topology()->show_hop(from, to);
  });
  connect(trace_view_, &TraceView::failed, this, [this](const QString& why) {
    status_->setText(trace_view_->reading_capture() ? tr("cannot read the capture: %1").arg(why) : tr("cannot trace: %1").arg(why));
  });
  auto* teaching = new QSplitter;
  teaching_ = teaching;
  teaching->addWidget(trace_layout_);
  teaching->addWidget(trace_view_);
  teaching->setStretchFactor(0, 2);
  teaching->setStretchFactor(1, 3);
  tabs_ = new QTabWidget;
  tabs_->addTab(panel_, tr("Live run"));
  tabs_->addTab(teaching, tr("Follow a request (OSI layers)"));
  setCentralWidget(tabs_);

  parameters_ = new ParameterPanel;
  connect(parameters_, &ParameterPanel::changed, this, [this] { apply_parameters(); });
  connect(parameters_, &ParameterPanel::seed_changed, this, [this] {
    const auto seed = parameters_->seed();
    status_->setText(seed ? tr("the next run uses seed %1").arg(*seed) : tr("the next run uses the file's seed"));
  });
  auto* parameter_dock = new QDockWidget(tr("Parameters"));
  parameter_dock->setObjectName("parameters");
  parameter_dock->setWidget(parameters_);
  addDockWidget(Qt::LeftDockWidgetArea, parameter_dock);
  explanation_ = new QTextBrowser;
  explanation_->setOpenExternalLinks(true);
  explanation_dock_ = new QDockWidget(tr("About this scenario"));
  explanation_dock_->setObjectName("explanation");
  explanation_dock_->setWidget(explanation_);
  addDockWidget(Qt::LeftDockWidgetArea, explanation_dock_);

  status_ = new QLabel(tr("open a scenario"));
  statusBar()->addWidget(status_, 1);
  resize(1600, 900);
}

QPalette MainWindow::high_contrast_palette() {
  QPalette p;
  const QColor black(0, 0, 0), white(255, 255, 255), blue(0, 51, 204), grey(64, 64, 64);
  for (const auto group : {QPalette::Active, QPalette::Inactive}) {
    p.setColor(group, QPalette::Window, white);
    p.setColor(group, QPalette::WindowText, black);
    p.setColor(group, QPalette::Base, white);
    p.setColor(group, QPalette::AlternateBase, QColor(235, 235, 235));
    p.setColor(group, QPalette::Text, black);
    p.setColor(group, QPalette::Button, white);
    p.setColor(group, QPalette::ButtonText, black);
    p.setColor(group, QPalette::Highlight, blue);
    p.setColor(group, QPalette::HighlightedText, white);
    p.setColor(group, QPalette::ToolTipBase, white);
    p.setColor(group, QPalette::ToolTipText, black);
  }
  p.setColor(QPalette::Disabled, QPalette::WindowText, grey);
  p.setColor(QPalette::Disabled, QPalette::Text, grey);
  p.setColor(QPalette::Disabled, QPalette::ButtonText, grey);
  return p;
}

void MainWindow::set_presenter_mode(bool on) {
  if (on == presenter_mode()) return;
  if (on) {
    Presented before{font(), palette(), windowState(), teaching_->sizes(), {}};
    for (QDockWidget* dock : findChildren<QDockWidget*>()) before.docks.push_back({dock, dock->isVisible()});
    presenter_ = std::move(before);
    // Readable from the back of a room: 1.75 times the size, at least 18 points.
    QFont large = font();
    large.setPointSizeF(std::max(18.0, large.pointSizeF() * 1.75));
    setFont(large);
    setPalette(high_contrast_palette());
    for (const auto& [dock, shown] : presenter_->docks) dock->hide();
    setWindowState(windowState() | Qt::WindowFullScreen);
    // The layout at the tab's full width above the hop's details (beside them it gets a
    // third of the width, less with large fonts); equal shares, which a splitter not yet
    // laid out (a tab behind) keeps when it is.
    teaching_->setOrientation(Qt::Vertical);
    teaching_->setSizes({1 << 20, 1 << 20});
  } else {
    const Presented before = *presenter_;
    presenter_.reset();
    setFont(before.font);
    setPalette(before.palette);
    for (const auto& [dock, shown] : before.docks) dock->setVisible(shown);
    setWindowState(before.states);
    teaching_->setOrientation(Qt::Horizontal);
    teaching_->setSizes(before.teaching_sizes);
  }
  if (presenter_action_ != nullptr) presenter_action_->setChecked(on);
  trace_layout_->fit();
  panel_->fit_view();
}

QuizDialog* MainWindow::start_quiz() {
  if (file_.isEmpty()) return nullptr;
  QProcess child;
  child.start(program_, {"quiz", file_, "--format", "json", "--language", language_});
  // A quiz traces a few requests, one short run each.
  if (!child.waitForFinished(120000) || child.exitStatus() != QProcess::NormalExit || child.exitCode() != 0) {
    child.kill();
    const QString why = QString::fromLocal8Bit(child.readAllStandardError()).section('\n', 0, 0);
    status_->setText(tr("no quiz: %1").arg(why.isEmpty() ? tr("the quiz could not be made") : why));
    return nullptr;
  }
  const QJsonArray questions = QJsonDocument::fromJson(child.readAllStandardOutput()).array();
  if (questions.isEmpty()) return nullptr;
  delete quiz_;
  quiz_ = new QuizDialog(questions, this);
  quiz_->setAttribute(Qt::WA_DeleteOnClose);
  tabs_->setCurrentIndex(1);  // the layout to click on
  quiz_->show();
  return quiz_;
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
  if (watched == trace_layout_->viewport() && event->type() == QEvent::MouseButtonPress && quiz_ && quiz_->asks_for_a_node() &&
      topology() != nullptr) {
    const auto* click = static_cast<QMouseEvent*>(event);
    const QString node = topology()->hit(trace_layout_->mapToScene(click->position().toPoint())).node;
    if (!node.isEmpty()) {
      quiz_->answer_node(node);
      return true;
    }
  }
  return QMainWindow::eventFilter(watched, event);
}

namespace {

bool write_text(const QString& file, const QString& text) {
  QSaveFile out(file);
  if (!out.open(QIODevice::WriteOnly)) return false;
  out.write(text.toUtf8());
  return out.commit();
}

QString png_img(QWidget* widget) { return "<img src=\"data:image/png;base64," + QString::fromLatin1(png_of(widget).toBase64()) + "\">"; }

}  // namespace

// The traced request, tracing request 3 when none is shown yet (a child run: waits).
bool MainWindow::have_trace() {
  if (trace_view_->hop_count() > 0 && !trace_view_->showing_capture()) return true;
  QEventLoop wait;
  connect(trace_view_, &TraceView::traced, &wait, &QEventLoop::quit);
  connect(trace_view_, &TraceView::failed, &wait, &QEventLoop::quit);
  QTimer::singleShot(60000, &wait, &QEventLoop::quit);
  trace(3);
  wait.exec();
  return trace_view_->hop_count() > 0 && !trace_view_->showing_capture();
}

bool MainWindow::export_slides(const QString& file) {
  if (file_.isEmpty() || spec_ == nullptr) return false;
  if (!have_trace()) {
    status_->setText(tr("error: %1").arg(tr("the request could not be traced")));
    return false;
  }
  const QString title = QString::fromStdString(spec_->name);
  QList<Slide> slides;
  slides.push_back({title, explanation_->toHtml().section("<body", 1).section('>', 1).section("</body>", 0, 0)});
  tabs_->setCurrentIndex(1);
  QApplication::processEvents();
  trace_view_->select_hop(0);
  QApplication::processEvents();
  slides.push_back({tr("The layout"), QString::fromUtf8(svg_of(trace_layout_)).section("<svg", 1).prepend("<svg")});
  // One slide per hop: the layout with the hop's arrow, its stack, headers and notes.
  for (int hop = 0; hop < trace_view_->hop_count(); ++hop) {
    trace_view_->select_hop(hop);
    QApplication::processEvents();
    slides.push_back({tr("Hop %1 of %2").arg(hop + 1).arg(trace_view_->hop_count()), png_img(teaching_)});
  }
  if (panel_->charts()->throughput_points() > 0) slides.push_back({tr("The run"), png_img(panel_->charts())});
  if (!write_text(file, slide_deck_html(title, slides))) {
    status_->setText(tr("error: %1").arg(tr("cannot write %1").arg(file)));
    return false;
  }
  status_->setText(tr("wrote %1").arg(file));
  return true;
}

bool MainWindow::export_handout(const QString& file) {
  if (file_.isEmpty() || spec_ == nullptr) return false;
  if (!have_trace()) {
    status_->setText(tr("error: %1").arg(tr("the request could not be traced")));
    return false;
  }
  QStringList notes;
  for (int hop = 0; hop < trace_view_->hop_count(); ++hop) {
    QStringList lines;
    for (const QString& n : trace_view_->hop_notes(hop)) lines << n.toHtmlEscaped();
    notes << lines.join("<br>");
  }
  const QString title = tr("%1: request %2, hop by hop").arg(QString::fromStdString(spec_->name)).arg(trace_view_->request());
  if (!write_text(file, handout_html(title, trace_view_->current_trace(), notes, language_))) {
    status_->setText(tr("error: %1").arg(tr("cannot write %1").arg(file)));
    return false;
  }
  status_->setText(tr("wrote %1").arg(file));
  return true;
}

bool MainWindow::export_view(const QString& file) {
  QString error;
  if (!export_picture(tabs_->currentWidget(), file, error)) {
    status_->setText(tr("error: %1").arg(error));
    return false;
  }
  status_->setText(tr("wrote %1").arg(file));
  return true;
}

void MainWindow::build_menus() {
  QMenu* file_menu = menuBar()->addMenu(tr("&File"));
  file_menu->addAction(tr("&Open…"), QKeySequence::Open, this, [this] { choose_and_open(); });
  recent_menu_ = file_menu->addMenu(tr("Open &recent"));
  fill_recent_menu();
  file_menu->addAction(tr("&Save as…"), QKeySequence::SaveAs, this, [this] {
    if (file_.isEmpty()) return;
    const QString file = QFileDialog::getSaveFileName(this, tr("Save the scenario as"), QFileInfo(file_).path(), tr("Scenarios (*.yaml)"));
    if (!file.isEmpty()) save_as(file);
  });
  // The L7 tier to take away, as a real proxy's configuration.
  for (const auto& [proxy, label] : {std::pair{QString("haproxy"), tr("Export the L7 tier as &HAProxy configuration…")},
                                     std::pair{QString("nginx"), tr("Export the L7 tier as &nginx configuration…")}}) {
    file_menu->addAction(label, this, [this, proxy = proxy] {
      if (file_.isEmpty()) return;
      const QString folder = QFileDialog::getExistingDirectory(this, tr("Export into the folder"), QFileInfo(file_).path());
      if (!folder.isEmpty()) export_l7(proxy, folder);
    });
  }
  // The view in front as a picture for slides and handouts.
  file_menu->addAction(tr("Export the view as a &picture (PNG, SVG)…"), this, [this] {
    const QString file = QFileDialog::getSaveFileName(this, tr("Export the view as a picture"), QFileInfo(file_).path(),
                                                      tr("PNG picture (*.png);;SVG drawing (*.svg)"));
    if (!file.isEmpty()) export_view(file);
  });
  file_menu->addAction(tr("Export the lesson as &slides (HTML)…"), this, [this] {
    const QString file = QFileDialog::getSaveFileName(this, tr("Export the lesson as slides"), QFileInfo(file_).path(), tr("HTML (*.html)"));
    if (!file.isEmpty()) export_slides(file);
  });
  file_menu->addAction(tr("Export a &handout of the traced request (HTML)…"), this, [this] {
    const QString file = QFileDialog::getSaveFileName(this, tr("Export a handout"), QFileInfo(file_).path(), tr("HTML (*.html)"));
    if (!file.isEmpty()) export_handout(file);
  });
  // A real capture, frame by frame, in the teaching tab.
  file_menu->addAction(tr("Open a packet &capture…"), this, [this] {
    const QString file = QFileDialog::getOpenFileName(this, tr("Open a packet capture"), QString(), tr("Packet captures (*.pcap *.cap);;All files (*)"));
    if (!file.isEmpty()) open_capture(file);
  });
  file_menu->addSeparator();
  file_menu->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::closeAllWindows);
  // The shipped scenarios, one click away (set_scenario_folder fills the menu).
  scenarios_menu_ = menuBar()->addMenu(tr("&Scenarios"));
  scenarios_menu_->setEnabled(false);
  QMenu* view = menuBar()->addMenu(tr("&View"));
  for (QDockWidget* dock : findChildren<QDockWidget*>()) view->addAction(dock->toggleViewAction());
  view->addSeparator();
  presenter_action_ = view->addAction(tr("&Presenter mode"), QKeySequence(Qt::Key_F5), this, [this](bool on) { set_presenter_mode(on); });
  presenter_action_->setCheckable(true);
  // Esc leaves presenter mode, as a slide show's does.
  auto* leave = new QAction(this);
  leave->setShortcut(Qt::Key_Escape);
  connect(leave, &QAction::triggered, this, [this] { set_presenter_mode(false); });
  addAction(leave);
  QMenu* languages = menuBar()->addMenu(tr("&Language"));
  auto* group = new QActionGroup(languages);
  for (const auto& [code, name] : {std::pair{"en", "English"}, std::pair{"ko", "한국어"}}) {
    QAction* action = languages->addAction(QString::fromUtf8(name));
    action->setCheckable(true);
    action->setChecked(language_ == code);
    group->addAction(action);
    const QString language = code;
    connect(action, &QAction::triggered, this, [this, language] {
      if (language != language_) emit language_requested(language);
    });
  }
}

void MainWindow::choose_and_open() {
  const QString file = QFileDialog::getOpenFileName(this, tr("Open a scenario"), scenario_folder_, tr("Scenarios (*.yaml)"));
  if (!file.isEmpty()) open(file);
}

QStringList MainWindow::recent_files() const { return QSettings().value("recent").toStringList(); }

void MainWindow::remember_recent(const QString& file) {
  QStringList recent = recent_files();
  const QString path = QFileInfo(file).absoluteFilePath();
  recent.removeAll(path);
  recent.prepend(path);
  while (recent.size() > kMaxRecent) recent.removeLast();
  QSettings().setValue("recent", recent);
  fill_recent_menu();
}

void MainWindow::fill_recent_menu() {
  recent_menu_->clear();
  const QStringList recent = recent_files();
  for (const QString& file : recent) recent_menu_->addAction(file, this, [this, file] { open(file); });
  recent_menu_->setEnabled(!recent.isEmpty());
}

QString MainWindow::explanation_for(const QString& file, const config::ScenarioSpec& spec, const QString& language) {
  const QFileInfo info(file);
  const QString stem = info.dir().filePath(info.completeBaseName());
  QStringList candidates{stem + ".md"};
  if (language != "en") candidates.prepend(stem + "." + language + ".md");
  for (const QString& candidate : candidates)
    if (const QString text = read_text(candidate); !text.isEmpty()) return text;
  return QString::fromStdString(spec.description);
}

bool MainWindow::open(const QString& file) {
  try {
    auto spec = std::make_unique<config::ScenarioSpec>(cli::load_scenario_file(file.toStdString()));
    stop();
    spec_ = std::move(spec);
    file_ = file;
    trace_view_->cancel();
    panel_->show_layout(*spec_);
    trace_layout_->setScene(topology());
    trace_layout_->fit();
    parameters_->show_scenario(*spec_);
    explanation_->setMarkdown(explanation_for(file, *spec_, language_));
    explanation_dock_->setWindowTitle(tr("About %1").arg(QFileInfo(file).fileName()));
    setWindowTitle(tr("lbsim — %1").arg(QString::fromStdString(spec_->name)));
    status_->setText(tr("%1: %2 nodes in %3 zones, %4")
                         .arg(QString::fromStdString(spec_->name))
                         .arg(topology()->node_count())
                         .arg(topology()->zone_count())
                         .arg(spec_->has_l7() ? tr("L4 + L7") : tr("L4 only")));
    remember_recent(file);
    return true;
  } catch (const std::exception& e) {
    status_->setText(tr("cannot open: %1").arg(first_line(e)));
    return false;
  }
}

RunSettings MainWindow::settings() const {
  RunSettings s;
  const double speed = speed_->currentData().toDouble();
  s.speed = speed == 0 ? QString("max") : speed == 1 ? QString("realtime") : QString("%1x").arg(speed);
  if (speed == kSlowModeSpeed) {
    // One request every 50 ms of simulated time: a new dot every 2.5 s of wall time.
    s.sample_every = "50ms";
    s.sample_speed = kSlowModeSpeed;
  }
  s.seed = parameters_->seed();
  s.sets = parameters_->overrides();
  return s;
}

// The layout as the edits make it (more nodes, no cross-zone links, ...); the panel keeps
// the file's values as its reference, so the edits stay overrides of the file.
void MainWindow::apply_parameters() {
  if (!spec_) return;
  try {
    const auto edited = settings().load(file_);
    trace_view_->cancel();
    panel_->show_layout(edited);
    trace_layout_->setScene(topology());
    const QStringList sets = parameters_->overrides();
    status_->setText(sets.isEmpty() ? tr("as the file is written") : tr("edited: %1").arg(sets.join("  ")));
  } catch (const std::exception& e) {
    status_->setText(tr("these parameters do not make a valid scenario: %1").arg(first_line(e)));
  }
}

bool MainWindow::save_as(const QString& file) {
  if (!spec_) return false;
  try {
    QStringList sets = parameters_->overrides();
    if (const auto seed = parameters_->seed()) sets << QString("seed=%1").arg(*seed);
    const std::string yaml = cli::edited_scenario_text(file_.toStdString(), cli::parse_set_options(std_strings(sets)));
    // Files the scenario names (samples, ...) are relative to it: a copy elsewhere must say so.
    const bool moved = QFileInfo(file).absolutePath() != QFileInfo(file_).absolutePath();
    QString header = tr("# Saved by lbsim-gui from %1").arg(QFileInfo(file_).fileName());
    if (!sets.isEmpty()) header += tr(" with %1").arg(sets.join(", "));
    header += ".\n";
    if (moved) header += tr("# Files it names are relative to %1.\n").arg(QFileInfo(file_).absolutePath());
    // All or nothing: a failed write leaves the old file as it was.
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly) || out.write(header.toUtf8() + QByteArray::fromStdString(yaml)) < 0 || !out.commit())
      throw std::runtime_error(QString("cannot write %1: %2").arg(file, out.errorString()).toStdString());
  } catch (const std::exception& e) {
    status_->setText(tr("cannot save: %1").arg(first_line(e)));
    return false;
  }
  return open(file);
}

bool MainWindow::export_l7(const QString& proxy, const QString& folder) {
  if (!spec_) return false;
  if (!spec_->has_l7()) {
    status_->setText(tr("an L4-only layout has no L7 tier to export"));
    return false;
  }
  QStringList arguments{"export", file_, "--to", proxy, "--out", folder};
  const RunSettings s = settings();
  if (!s.variant.isEmpty()) arguments << "--variant" << s.variant;
  for (const QString& set : s.sets) arguments << "--set" << set;
  QProcess child;
  child.start(program_, arguments);
  // Writing a few files: seconds at most, and the window waits with a busy cursor.
  if (!child.waitForFinished(30'000) || child.exitStatus() != QProcess::NormalExit || child.exitCode() != 0) {
    const QString why = QString::fromUtf8(child.readAllStandardError()).section('\n', 0, 0).remove("lbsim: error: ");
    status_->setText(tr("cannot export: %1").arg(why.isEmpty() ? child.errorString() : why));
    return false;
  }
  // stderr: "lbsim: wrote ...", a heading, then one line per key that does not map.
  const int differences = std::max(0, static_cast<int>(QString::fromUtf8(child.readAllStandardError()).trimmed().count('\n')) - 1);
  status_->setText(tr("exported the L7 tier as %1 configuration into %2; %3 keys approximated or dropped (export-report.txt)")
                       .arg(proxy, folder)
                       .arg(differences));
  return true;
}

void MainWindow::run() {
  if (file_.isEmpty()) return;
  tabs_->setCurrentIndex(0);
  panel_->run(file_, settings());
  status_->setText(tr("running %1…").arg(QString::fromStdString(spec_->name)));
}

void MainWindow::stop() { panel_->stop(); }

void MainWindow::trace(int request) {
  if (file_.isEmpty()) return;
  tabs_->setCurrentIndex(1);
  trace_view_->trace(file_, settings(), request > 0 ? request : trace_view_->request());
}

SideBySideWindow* MainWindow::side_by_side() {
  if (!spec_) return nullptr;
  const auto plan = side_by_side_plan(*spec_, settings());
  if (!plan) {
    status_->setText(tr("side by side needs a file with variants, or an L7 tier to compare with L4 only"));
    return nullptr;
  }
  if (side_by_side_) delete side_by_side_;
  side_by_side_ = new SideBySideWindow(program_, file_, *plan);
  side_by_side_->setAttribute(Qt::WA_DeleteOnClose);
  side_by_side_->show();
  side_by_side_->run();
  return side_by_side_;
}

QString MainWindow::explanation() const { return explanation_->toPlainText(); }

QString MainWindow::status() const { return status_->text(); }

void MainWindow::open_capture(const QString& file) {
  tabs_->setCurrentIndex(1);
  trace_view_->open_capture(file);
}

}  // namespace lbsim::gui
