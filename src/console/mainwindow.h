#pragma once

#include <QMainWindow>

#include <memory>

class QgsMapCanvas;
class QgsVectorLayer;
class QLabel;
class QSortFilterProxyModel;
class QTimer;

namespace Ui {
class MainWindowBase;
}

namespace gd::console {

class CaseQueueModel;

/**
 * The console's main window: the map in the centre, the case queue dock, and a status bar
 * with the feed's health and the clock SLAs are measured against.
 */
class MainWindow : public QMainWindow
{
    Q_OBJECT

  public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    //! Returns the map canvas (owned by the window).
    QgsMapCanvas *mapCanvas() const;

    //! Returns the case queue model (owned by the window).
    CaseQueueModel *caseQueueModel() const { return mCaseQueueModel; }

    //! Returns the district layer currently shown (owned by the window).
    QgsVectorLayer *districtLayer() const { return mDistrictLayer.get(); }

    //! Shows the feed's state in the status bar.
    void setFeedStatus(const QString &text);

  public slots:
    void zoomToDistrict();

  private:
    void setUpStatusBar();
    void updateClock();
    void showAbout();
    void updateEmptyHint();

    std::unique_ptr<Ui::MainWindowBase> mUi;
    std::unique_ptr<QgsVectorLayer> mDistrictLayer;
    CaseQueueModel *mCaseQueueModel = nullptr;
    QSortFilterProxyModel *mCaseQueueProxy = nullptr;
    QLabel *mFeedLabel = nullptr;
    QLabel *mClockLabel = nullptr;
    QTimer *mClockTimer = nullptr;
};

} // namespace gd::console
