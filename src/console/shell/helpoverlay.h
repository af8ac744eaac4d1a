#pragma once

#include <QAction>
#include <QPointer>
#include <QWidget>

class QAction;

namespace gd::console {

/**
 * The keyboard help (F1): every action of the window that has a shortcut, grouped by menu,
 * drawn over the window. Esc, F1 or a click closes it.
 */
class HelpOverlay : public QWidget
{
    Q_OBJECT

  public:
    explicit HelpOverlay(QWidget *parent);

    //! Lists \a actions under \a group.
    void addGroup(const QString &group, const QList<QAction *> &actions);
    //! The lines shown ("group: text — shortcut"), for tests.
    QStringList lines() const;

    //! Shows the overlay over the whole parent, or hides it.
    void toggle();

  protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

  private:
    struct Entry
    {
      QString text;
      QString shortcut;
      QPointer<QAction> action;
      //! Listed while its action is visible (a step the seat may not do is hidden).
      bool shown() const { return !action || action->isVisible(); }
    };
    std::vector<std::pair<QString, std::vector<Entry>>> mGroups;
};

} // namespace gd::console
