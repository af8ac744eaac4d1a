#pragma once
// One-key emergency dispatch (一键直达) dock: declare from a case or a map point, what lies
// within the radius (field workers by live position, police posts, cameras with their
// streams, risk sites, affected grids and communities), dispatch to several departments at
// once, the alert broadcast with acknowledgements tracked live, the video conference, notes,
// the timeline and its export. Also the presenter's controls of the conference view.

#include "console/command/commandservice.h"

#include <QUrl>
#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTableWidget;
class QTimer;

namespace gd::console {

class EmergencyPanel : public QWidget
{
    Q_OBJECT
  public:
    explicit EmergencyPanel(CommandServiceThread *service = nullptr, QWidget *parent = nullptr);
    //! The service of the open store (nullptr: none; the panel stays empty).
    void setService(CommandServiceThread *service) { mService = service; }

    void setDepartments(const std::vector<std::pair<QString, QString>> &departments);
    //! The emergency types to declare (code, name), as emergency.conf lists them.
    void setIncidentTypes(const std::vector<std::pair<QString, QString>> &types);
    //! The type a new declaration uses ("" unspecified); a case's category may decide instead.
    QString incidentType() const;
    void setIncidentType(const QString &code);
    //! How links are opened (the system browser / player by default; tests record them).
    void setUrlOpener(std::function<void(const QUrl &)> opener);

    //! The radius a new declaration uses (metres): a plain click on the map takes it.
    double radius() const;
    void setRadius(double metres);

    void declareFromCase(const QString &number);
    //! Declares at a map point; a \a radiusM below 50 m (a click, not a drag) takes radius().
    void declareAt(double lon, double lat, double radiusM, const QString &title = {});
    //! Shows emergency \a incident (reloads what is near, alerts and timeline).
    void showEmergency(const QString &incident);

    void dispatchTo(const QStringList &departments, const QString &message);
    void broadcast(const QString &message);
    void joinConference();
    void addNote(const QString &text);
    void exportTimeline(const QString &file);
    void closeEmergency(const QString &note);
    //! Opens camera \a row's stream (of the sites list) with the system's player.
    bool openStream(int row);

    const EmergencyView &current() const { return mCurrent; }
    const NearbyView &nearby() const { return mNearby; }
    const std::vector<AlertView> &alerts() const { return mAlerts; }
    const std::vector<EmergencyEvent> &timeline() const { return mTimeline; }
    QString lastMessage() const;
    //! The departments ticked in the dispatch list.
    QStringList checkedDepartments() const;
    void setCheckedDepartments(const QStringList &codes);

  public slots:
    //! Reloads the current emergency (what is near, acknowledgements, timeline).
    void reload();
    void reloadOpenEmergencies();

  signals:
    //! The shown emergency or what is near it changed (map rings, conference view).
    void emergencyChanged(const gd::console::EmergencyView &emergency, const gd::console::NearbyView &nearby);
    void timelineChanged(const std::vector<gd::console::EmergencyEvent> &timeline);
    //! A command finished: \a ok, and what to tell the operator.
    void commandFinished(bool ok, const QString &message);
    //! The operator asked to show or hide the conference view.
    void conferenceViewRequested(bool show);
    //! Presenter control: zoom the conference view in (+1) or out (-1), 0 back to the incident.
    void conferenceZoomRequested(int step);
    void caseActivated(const QString &number);

  private:
    void run(std::function<CommandReply(CommandService &)> job);
    void fillResources();
    void fillAlerts();
    void fillTimeline();
    void updateHeader();

    CommandServiceThread *mService = nullptr;
    std::function<void(const QUrl &)> mOpenUrl;
    QComboBox *mOpen = nullptr;
    QLabel *mHeader = nullptr;
    QSpinBox *mRadius = nullptr;
    QComboBox *mType = nullptr;
    QTabWidget *mTabs = nullptr;
    QTableWidget *mWorkers = nullptr;
    QTableWidget *mSites = nullptr;
    QListWidget *mAreas = nullptr;
    QListWidget *mDepartments = nullptr;
    QLineEdit *mDispatchMessage = nullptr;
    QLineEdit *mAlertMessage = nullptr;
    QTableWidget *mAcks = nullptr;
    QLabel *mAckSummary = nullptr;
    QListWidget *mTimelineList = nullptr;
    QLineEdit *mNote = nullptr;
    QLabel *mStatus = nullptr;
    QList<QPushButton *> mNeedEmergency;
    QTimer *mAckPoll = nullptr;
    EmergencyView mCurrent;
    NearbyView mNearby;
    std::vector<AlertView> mAlerts;
    std::vector<EmergencyEvent> mTimeline;
    QString mLastMessage;
    QString mEmittedIncident; //!< the emergency the map and conference view last heard of
};

} // namespace gd::console

Q_DECLARE_METATYPE(gd::console::EmergencyView)
Q_DECLARE_METATYPE(gd::console::NearbyView)
Q_DECLARE_METATYPE(std::vector<gd::console::EmergencyEvent>)
