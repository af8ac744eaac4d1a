#pragma once
// The views meant for other eyes than the operator's: the command hall's big screen and the
// clean view shared into a video conference. Both draw the console's own live layers on a
// canvas of their own, so pins move on them as they do on the operator's map.

#include "console/command/commandservice.h"

#include <QWidget>

#include <memory>

class QgsMapCanvas;
class QgsMapLayer;
class QgsRectangle;
class QgsRubberBand;
class QgsVertexMarker;
class QLabel;
class QListWidget;
class QTimer;

namespace gd::console {

//! The incident's centre and radius rings (full, two thirds, one third) on a canvas.
class EmergencyRings
{
  public:
    explicit EmergencyRings(QgsMapCanvas *canvas);
    ~EmergencyRings();
    //! Draws rings around \a lon, \a lat (CGCS2000) up to \a radiusM; a radius of 0 hides them.
    void show(double lon, double lat, double radiusM);
    void hide();
    bool isShown() const;
    //! The outer ring's extent in the canvas CRS (empty when hidden).
    QgsRectangle extent() const;

  private:
    QgsMapCanvas *mCanvas = nullptr;
    std::vector<std::unique_ptr<QgsRubberBand>> mRings;
    std::unique_ptr<QgsVertexMarker> mCentre;
};

//! A line of text moving right to left (the overdue ticker).
class TickerLine : public QWidget
{
    Q_OBJECT
  public:
    explicit TickerLine(QWidget *parent = nullptr);
    void setText(const QString &text);
    QString text() const { return mText; }

  protected:
    void paintEvent(QPaintEvent *event) override;

  private:
    QString mText;
    int mOffset = 0;
    QTimer *mTimer = nullptr;
};

/**
 * The big screen of the command hall: full screen, high contrast, type sized from the
 * screen's height so it reads from across a room at 1920×1080 and 3840×2160 alike. The live
 * map, today's headline figures (new, closed, overdue, on-time rate), the overdue ticker, and
 * optionally a tour of the townships.
 */
class BigScreen : public QWidget
{
    Q_OBJECT
  public:
    BigScreen(const QString &title, QWidget *parent = nullptr);
    ~BigScreen() override;

    QgsMapCanvas *canvas() const { return mCanvas; }
    //! Draws \a layers (the console's live layers, not owned) with \a crsAuthId, over \a extent.
    void setLayers(const QList<QgsMapLayer *> &layers, const QString &crsAuthId, const QgsRectangle &extent);
    void setFigures(const TodayFigures &figures);
    void setOverdue(const std::vector<WallRow> &rows, qint64 total);
    /**
     * The open emergencies, newest first: a blinking banner names each, and the map shows the
     * newest with its rings (the tour pauses on it). Empty: no banner, the tour resumes.
     */
    void setEmergencies(const std::vector<EmergencyView> &open);
    //! The overdue alarm the operator has not acknowledged yet ("" none): blinks under the header.
    void setAlarm(const QString &text);
    QString alarmText() const;
    //! The banner's text ("" when no emergency is open), for tests.
    QString emergencyText() const;
    bool emergencyShown() const;
    const EmergencyRings &rings() const { return *mRings; }
    //! Townships (name, extent in the canvas CRS) to tour; every \a seconds (0: no tour).
    void setTour(const std::vector<std::pair<QString, QgsRectangle>> &townships, int seconds);
    //! Shows the next township of the tour (the whole district after the last).
    void nextTownship();
    QString currentArea() const;

    //! What the headline tiles say now, for tests: new, closed, overdue, on-time rate.
    QStringList tileTexts() const;
    QString tickerText() const;

  protected:
    void resizeEvent(QResizeEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

  private:
    void applySizes();
    void updateClock();
    void updateEmergencyBanner();

    QgsMapCanvas *mCanvas = nullptr;
    std::unique_ptr<EmergencyRings> mRings;
    QLabel *mEmergencyBanner = nullptr;
    QLabel *mAlarmBanner = nullptr;
    std::vector<EmergencyView> mEmergencies;
    bool mBlinkOn = false;
    QLabel *mTitle = nullptr;
    QLabel *mClock = nullptr;
    QLabel *mArea = nullptr;
    std::vector<std::pair<QLabel *, QLabel *>> mTiles; //!< value, caption
    TickerLine *mTicker = nullptr;
    QTimer *mClockTimer = nullptr;
    QTimer *mTourTimer = nullptr;
    std::unique_ptr<QgsRectangle> mDistrictExtent;
    std::vector<std::pair<QString, QgsRectangle>> mTownships;
    int mTourIndex = -1;
};

/**
 * The view shared into a video conference during an emergency: the incident zoomed on the
 * map with its radius rings, the resources within the radius, and the dispatch timeline. It
 * has no controls of its own; the presenter drives it from the emergency dock.
 */
class ConferenceView : public QWidget
{
    Q_OBJECT
  public:
    explicit ConferenceView(QWidget *parent = nullptr);
    ~ConferenceView() override;

    QgsMapCanvas *canvas() const { return mCanvas; }
    void setLayers(const QList<QgsMapLayer *> &layers, const QString &crsAuthId);
    void setEmergency(const EmergencyView &emergency, const NearbyView &nearby);
    void setTimeline(const std::vector<EmergencyEvent> &timeline);
    //! Presenter control: +1 zooms in, -1 out, 0 back to the incident and its rings.
    void zoom(int step);

    const EmergencyRings &rings() const { return *mRings; }
    QStringList resourceTexts() const;
    QStringList timelineTexts() const;

  protected:
    void resizeEvent(QResizeEvent *event) override;

  private:
    void applySizes();
    void updateElapsed();

    QgsMapCanvas *mCanvas = nullptr;
    std::unique_ptr<EmergencyRings> mRings;
    QLabel *mHeadline = nullptr;
    QLabel *mElapsed = nullptr;
    QListWidget *mResources = nullptr;
    QListWidget *mTimeline = nullptr;
    QLabel *mResourcesTitle = nullptr;
    QLabel *mTimelineTitle = nullptr;
    QTimer *mElapsedTimer = nullptr;
    EmergencyView mEmergency;
};

} // namespace gd::console
