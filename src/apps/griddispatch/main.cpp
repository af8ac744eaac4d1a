// griddispatch: the command and dispatch console.
#include "apps/common/commandline.h"
#include "console/session/embeddedgateway.h"
#include "console/mainwindow.h"
#include "console/login/logincontroller.h"
#include "console/login/logindialog.h"
#include "console/login/sessionguard.h"
#include "store/audit/configaudit.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/storelocation.h"
#include "console/command/commandcontroller.h"
#include "console/command/commandservice.h"
#include "console/dispatch/dispatchcontroller.h"
#include "console/field/fieldcontroller.h"
#include "console/mapview/mapviewcontroller.h"
#include "console/session/consolesession.h"
#include "console/session/storeaccess.h"
#include "console/shell/theme.h"
#include "console/shell/translations.h"
#include "apps/griddispatch/lifecycle.h"
#include "apps/griddispatch/tour.h"
#include "map/mapstyles.h"
#include "map/qgisenvironment.h"

#include <qgsapplication.h>

#include <QGuiApplication>
#include <QDir>
#include <QFileInfo>
#include <QPointer>
#include <QProcess>
#include <QScreen>
#include <QSettings>
#include <QMessageBox>
#include <QStandardPaths>
#include <QTimer>

#include <csignal>
#include <iostream>

namespace {

// Grabs what the X server shows (not a re-render of the widget), so a screenshot taken under
// Xvfb is what an operator would see, fonts and all.
bool saveScreenshot(QWidget &window, const QString &path)
{
  QScreen *screen = window.screen();
  const QPixmap pixmap = screen ? screen->grabWindow(window.winId()) : window.grab();
  return !pixmap.isNull() && pixmap.save(path);
}

// The demo's field terminals: griddispatch-sim beside this program (build tree or installed),
// patrolling their workers' grids and reporting cases through the embedded gateway.
std::unique_ptr<QProcess> startSimulator(quint16 port, int terminals, const QString &credentials)
{
  const QString dir = QCoreApplication::applicationDirPath();
  QString program;
  for (const QString &candidate : {dir + QStringLiteral("/griddispatch-sim"), dir + QStringLiteral("/../sim/griddispatch-sim")})
    if (QFileInfo(candidate).isExecutable())
      program = candidate;
  if (program.isEmpty())
    program = QStandardPaths::findExecutable(QStringLiteral("griddispatch-sim"));
  if (program.isEmpty())
  {
    std::cerr << "griddispatch: griddispatch-sim not found; the demo runs without simulated terminals\n";
    return nullptr;
  }
  // It dies with the console and holds none of its descriptors (see ChildProcess): a killed
  // console must leave the port free for the next one.
  auto process = std::make_unique<gd::apps::ChildProcess>();
  process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
  process->setStandardOutputFile(QProcess::nullDevice());
  // About one frame every five seconds per terminal: patrol positions, now and then a report.
  const int rate = std::max(1, terminals / 5);
  process->start(program, {QStringLiteral("--connect"), QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--devices"),
                           QString::number(terminals), QStringLiteral("--rate"), QString::number(rate),
                           QStringLiteral("--duration"), QStringLiteral("86400"), QStringLiteral("--credentials"), credentials});
  if (!process->waitForStarted(5000))
  {
    std::cerr << "griddispatch: could not start " << program.toStdString() << '\n';
    return nullptr;
  }
  std::cerr << "griddispatch: " << terminals << " simulated terminals connecting to port " << port << '\n';
  return process;
}

} // namespace

int main(int argc, char **argv)
{
  gd::apps::CommandLine cli("griddispatch", "[--demo] [--db STORE] [--lang LANG]",
                            "The GridDispatch command and dispatch console: the district's grid tree on a map,\n"
                            "the case queue, dispatch, supervision and emergency dispatch.\n"
                            "Qt options such as -platform offscreen are passed on to Qt.");
  cli.addFlag("demo", "open the demo district with simulated field terminals");
  cli.addOption("listen", "HOST:PORT", "where the embedded field gateway listens (default 127.0.0.1:7401)");
  cli.addOption("tls-cert", "FILE", "PEM certificate for the embedded gateway; with --tls-key, terminals connect with TLS only");
  cli.addOption("tls-key", "FILE", "PEM private key for the embedded gateway");
  cli.addFlag("allow-plaintext",
              "let the embedded gateway listen in plain TCP on an address other than loopback (refused without it)");
  cli.addFlag("no-gateway", "do not run the field gateway in the console (terminals use griddispatch-gateway)");
  cli.addOption("terminals", "N", "with --demo: how many simulated terminals (default 200)");
  cli.addOption("db", "STORE", "the store to open: a GeoPackage file, or the center's PostgreSQL database "
                              "(postgresql://host1,host2/db?target_session_attrs=read-write, or libpq keywords)");
  cli.addOption("lang", "LANG", "user interface language: zh_CN or en (default: the system locale)");
  cli.addOption("export-styles", "DIR", "write the built-in map styles as QGIS .qml files into DIR, then exit");
  cli.addOption("focus", "TEXT", "on start, find and zoom to a grid (code or name), a case number or a place");
  cli.addOption("screenshot", "FILE", "save a PNG of the main window once it is shown, then quit");
  cli.addOption("screenshot-delay", "MS", "wait this long before the screenshot (default 1500)");
  cli.addOption("operator", "NAME", "who is at the console: the actor of every step and whose window layout is used (default: the login name)");
  cli.addOption("theme", "NAME", "light or dark (default: the last one chosen)");
  cli.addOption("seat", "ID", "the seat this console sits at (griddispatch-ctl seat add): it sees and acts only in "
                             "that seat's grid subtree and department. On PostgreSQL the seat is the one the database "
                             "login belongs to, held there by the database; on a GeoPackage file this option is the "
                             "only limit (a single-seat store: whoever has the file has all of it)");
  cli.addOption("tour", "DIR", "after --screenshot-delay, walk through queue, intake, duplicate, dispatch and save screenshots into DIR, then quit");
  if (const auto exitCode = cli.handleStandard(cli.parse(argc, argv)))
    return *exitCode;

  bool delayOk = true;
  const int screenshotDelay = QString::fromStdString(cli.value("screenshot-delay", "1500")).toInt(&delayOk);
  if (!delayOk || screenshotDelay < 0)
  {
    std::cerr << "griddispatch: --screenshot-delay needs a whole number of milliseconds, got '"
              << cli.value("screenshot-delay", "") << "'\n";
    return 2;
  }
  const QString theme = QString::fromStdString(cli.value("theme", ""));
  if (!theme.isEmpty() && theme != QLatin1String("light") && theme != QLatin1String("dark"))
  {
    std::cerr << "griddispatch: --theme takes light or dark, got '" << theme.toStdString() << "'\n";
    return 2;
  }
  const QString lang = QString::fromStdString(cli.value("lang", ""));
  if (!lang.isEmpty() && lang != QLatin1String("zh_CN") && lang != QLatin1String("en"))
  {
    std::cerr << "griddispatch: --lang takes zh_CN or en, got '" << lang.toStdString() << "'\n";
    return 2;
  }

  QString listenHost = QStringLiteral("127.0.0.1");
  quint16 listenPort = 7401;
  if (const auto listen = cli.value("listen"))
  {
    const QString text = QString::fromStdString(*listen);
    const int colon = text.lastIndexOf(QLatin1Char(':'));
    bool portOk = false;
    const uint port = colon > 0 ? text.mid(colon + 1).toUInt(&portOk) : 0;
    if (colon <= 0 || !portOk || port > 65535)
    {
      std::cerr << "griddispatch: --listen needs HOST:PORT, got '" << *listen << "'\n";
      return 2;
    }
    listenHost = text.left(colon);
    listenPort = static_cast<quint16>(port);
  }
  gd::console::EmbeddedGatewayOptions gatewayOptions;
  gatewayOptions.host = listenHost;
  gatewayOptions.port = listenPort;
  gatewayOptions.tlsCertFile = QString::fromStdString(cli.value("tls-cert", ""));
  gatewayOptions.tlsKeyFile = QString::fromStdString(cli.value("tls-key", ""));
  gatewayOptions.allowPlaintext = cli.has("allow-plaintext");
  if (gatewayOptions.tlsCertFile.isEmpty() != gatewayOptions.tlsKeyFile.isEmpty())
  {
    std::cerr << "griddispatch: --tls-cert and --tls-key go together\n";
    return 2;
  }
  bool terminalsOk = true;
  const int terminals = QString::fromStdString(cli.value("terminals", "200")).toInt(&terminalsOk);
  if (!terminalsOk || terminals < 0 || terminals > 20000)
  {
    std::cerr << "griddispatch: --terminals needs a number from 0 to 20000\n";
    return 2;
  }

  QgsApplication app(argc, argv, true);
  QCoreApplication::setOrganizationName(QStringLiteral("GridDispatch"));
  QCoreApplication::setApplicationName(QStringLiteral("griddispatch"));
  gd::map::QgisEnvironment qgis;
  gd::console::installTranslations(app, gd::console::localeFor(lang));

  if (const auto dir = cli.value("export-styles"))
  {
    QString error;
    const QStringList written = gd::map::exportBuiltInStyles(QString::fromStdString(*dir), &error);
    for (const QString &path : written)
      std::cout << path.toStdString() << '\n';
    if (!error.isEmpty())
    {
      std::cerr << "griddispatch: cannot write a style: " << error.toStdString() << '\n';
      return 1;
    }
    return 0;
  }

  const QStringList missing = gd::map::QgisEnvironment::missingProviders();
  if (!missing.isEmpty())
    std::cerr << "griddispatch: warning: QGIS providers not loaded: " << missing.join(", ").toStdString()
              << " (prefix " << gd::map::QgisEnvironment::prefixPath().toStdString() << ")\n";

  // SIGTERM/SIGINT (kill, Ctrl+C, a session ending) close the console as Ctrl+Q does: the
  // layout is saved, the simulator stopped, the gateway's last frames committed, the store
  // closed. Installed before anything is started that must be stopped.
  bool signalled = false;
  QPointer<gd::console::MainWindow> mainWindow;
  gd::apps::installShutdownSignals([&signalled, &mainWindow](int signal) {
    std::cerr << "griddispatch: " << (signal == SIGINT ? "SIGINT" : signal == SIGHUP ? "SIGHUP" : "SIGTERM")
              << ": shutting down\n";
    signalled = true;
    if (mainWindow)
      mainWindow->close();
    QCoreApplication::quit();
  });

  gd::console::applyTheme(theme.isEmpty() ? QSettings().value(QStringLiteral("ui/theme"), QStringLiteral("light")).toString() : theme);
  gd::console::MainWindow window;
  mainWindow = &window;
  if (const auto name = cli.value("operator"))
    window.setOperatorName(QString::fromStdString(*name));

  QString storePath = QString::fromStdString(cli.value("db", ""));
  // --db is a file or a database (postgresql://…); what is printed never holds its password.
  const bool onDatabase = gd::store::StoreLocation::looksLikeConnectionString(storePath.toStdString());
  const std::string shownStore =
    onDatabase ? gd::store::StoreLocation::redact(storePath.toStdString()) : storePath.toStdString();
  // The simulated terminals' credentials live beside a demo file; for a database, with the user's data.
  const QString credentials = onDatabase ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                                             QStringLiteral("/demo-terminals.credentials")
                                         : storePath + QStringLiteral(".credentials");
  if (cli.has("demo"))
  {
    if (storePath.isEmpty())
      storePath = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/demo.gpkg");
    try
    {
      if (onDatabase)
        QDir().mkpath(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation));
      gd::console::prepareDemoStore(storePath, terminals, onDatabase ? credentials : storePath + QStringLiteral(".credentials"));
    }
    catch (const std::exception &e)
    {
      std::cerr << "griddispatch: cannot prepare the demo store " << (storePath == QString::fromStdString(cli.value("db", "")) ? shownStore : storePath.toStdString())
                << ": " << e.what() << '\n';
      return 1;
    }
  }
  // A store with accounts (issue 17) asks who is at the console before anything of it shows:
  // the logged-in account is the operator, not a name given on the command line. A store
  // without accounts (the demo's, an old one) runs as before.
  // The seat (issue 17): its grid subtree and department limit every read and step.
  std::optional<gd::console::SeatInfo> seat;
  if (!storePath.isEmpty())
  {
    try
    {
      seat = gd::console::readSeat(storePath, QString::fromStdString(cli.value("seat", "")));
    }
    catch (const std::exception &e)
    {
      std::cerr << "griddispatch: " << e.what() << '\n';
      return 1;
    }
  }
  else if (cli.has("seat"))
  {
    std::cerr << "griddispatch: --seat needs a store (--db or --demo)\n";
    return 2;
  }
  gd::console::OperatorRights rights;
  if (seat)
  {
    rights.gridScope = seat->grid;
    rights.department = seat->department;
  }
  std::unique_ptr<gd::console::LoginController> login;
  if (!storePath.isEmpty())
  {
    try
    {
      login = gd::console::LoginController::forStore(storePath, QString());
    }
    catch (const std::exception &e)
    {
      std::cerr << "griddispatch: cannot read the accounts of " << (onDatabase ? shownStore : storePath.toStdString())
                << ": " << e.what() << '\n';
      return 1;
    }
  }
  if (login)
  {
    if (cli.value("operator"))
      std::cerr << "griddispatch: --operator is ignored: this store has accounts, the operator is who logs in\n";
    gd::console::LoginDialog dialog(login.get(), gd::console::LoginDialog::Mode::Login);
    if (dialog.exec() != QDialog::Accepted || !login->loggedIn())
      return 0; // nobody logged in: nothing of the store was shown
    window.setOperatorName(login->accountId());
    if (const QString refusal = gd::console::LoginController::seatRefusal(login->roles(), rights.department); !refusal.isEmpty())
    {
      QMessageBox::critical(nullptr, QStringLiteral("GridDispatch"), refusal);
      std::cerr << "griddispatch: " << refusal.toStdString() << '\n';
      return 1;
    }
    rights.accountId = login->accountId();
    rights.displayName = login->displayName();
    rights.roles = login->roles();
    rights.permissions = login->settings().permissions;
    new gd::console::SessionGuard(&window, login.get());
    login->watchIdle();
  }
  window.session()->setRights(std::move(rights));
  // The operator sees at which seat, and so in which part of the district, the console works.
  if (seat)
    window.setWindowTitle(QCoreApplication::translate("gd::console::MainWindow", "%1 — seat: %2").arg(window.windowTitle(), seat->name));
  if (!storePath.isEmpty())
  {
    QString error;
    if (!window.openStore(storePath, &error))
    {
      std::cerr << "griddispatch: cannot open " << (onDatabase ? shownStore : storePath.toStdString()) << ": "
                << error.toStdString() << '\n';
      return 1;
    }
    // A configuration file changed, added or removed since the last start: a config_change row
    // in the audit log, as the OS user on this host (issue 17).
    try
    {
      gd::store::Database auditDb(gd::console::storeLocation(storePath));
      gd::store::audit::recordConfigChanges(auditDb, gd::store::ConfigDirectory::defaultPath(),
                                            gd::store::audit::osActor());
    }
    catch (const std::exception &e)
    {
      std::cerr << "griddispatch: warning: configuration changes could not be audited: " << e.what() << '\n';
    }
  }
  std::unique_ptr<QProcess> simulator;
  if (!storePath.isEmpty() && !cli.has("no-gateway"))
  {
    QString error;
    if (!window.session()->startGateway(gatewayOptions, &error))
    {
      std::cerr << "griddispatch: " << error.toStdString() << '\n';
      return 1;
    }
    if (cli.has("demo") && terminals > 0)
      simulator = startSimulator(window.session()->gateway()->port(), terminals,
                                 onDatabase ? credentials : storePath + QStringLiteral(".credentials"));
  }
  if (const QString baseMap = QSettings().value(QStringLiteral("map/baseMap")).toString(); !baseMap.isEmpty())
  {
    QString error;
    if (!window.mapView()->setBaseMap(baseMap, &error))
      std::cerr << "griddispatch: warning: " << error.toStdString() << " (View > Base map… to change it)\n";
  }
  window.showOnScreen();
  if (const auto focus = cli.value("focus"))
    gd::apps::focusWhenLoaded(window, QString::fromStdString(*focus));

  int exitCode = 0;
  if (const auto tourDir = cli.value("tour"))
  {
    QTimer::singleShot(screenshotDelay, &window, [&window, &exitCode, dir = QString::fromStdString(*tourDir)] {
      gd::apps::startTour(window, dir, &exitCode);
    });
  }
  else if (const auto screenshot = cli.value("screenshot"))
  {
    QTimer::singleShot(screenshotDelay, &window, [&window, &exitCode, path = QString::fromStdString(*screenshot)] {
      if (!saveScreenshot(window, path))
      {
        std::cerr << "griddispatch: could not write screenshot " << path.toStdString() << '\n';
        exitCode = 1;
      }
      QCoreApplication::quit();
    });
  }
  // A signal that came while the store was being prepared is handled as soon as the loop runs.
  const int loopResult = QgsApplication::exec();
  if (simulator)
  {
    // It stops generating and waits (up to 5 s) for the acks of what it sent: the gateway
    // still runs until the window goes.
    simulator->terminate();
    if (!simulator->waitForFinished(8000))
    {
      simulator->kill();
      simulator->waitForFinished(2000);
    }
  }
  if (const gd::console::EmbeddedGateway *gateway = window.session()->gateway())
  {
    // What the feed did, for the log: frames stored apart from those answered dup.
    const gd::console::FeedHealth health = gateway->health();
    std::cerr << "griddispatch: feed: " << health.framesStored << " frames stored, " << health.duplicates
              << " duplicates, " << health.rejects << " rejected\n";
  }
  if (signalled)
    return 0; // asked to stop, and stopped in order
  return exitCode != 0 ? exitCode : loopResult;
}
