#pragma once

#include "console/dispatch/casequeuefilter.h"
#include "console/dispatch/caseservice.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QLineEdit;

namespace gd::console {

/**
 * The case queue's filters: state, category, grid subtree (any level), lead department,
 * source, priority, overdue, reporting date range and free text. Every change emits the
 * complete criteria at once.
 */
class QueueFilterBar : public QWidget
{
    Q_OBJECT

  public:
    explicit QueueFilterBar(QWidget *parent = nullptr);

    /**
     * Fills the choices: category families and subcategories, departments, and the grid
     * subtree choices (\a grids: townships and communities, "code"/"name"/level indent).
     */
    void setChoices(const std::vector<Choice> &families, const std::vector<Choice> &categories,
                    const std::vector<Choice> &departments, const std::vector<Choice> &grids);

    CaseQueueCriteria criteria() const;
    //! Shows \a criteria in the widgets (and emits criteriaChanged once).
    void setCriteria(const CaseQueueCriteria &criteria);
    //! Clears every filter.
    void reset();
    //! The free-text field (focused by Ctrl+F).
    QLineEdit *textEdit() const { return mText; }

  signals:
    void criteriaChanged(const gd::console::CaseQueueCriteria &criteria);

  private:
    void emitChanged();

    QComboBox *mState = nullptr;
    QComboBox *mCategory = nullptr;
    QComboBox *mGrid = nullptr;
    QComboBox *mDepartment = nullptr;
    QComboBox *mSource = nullptr;
    QComboBox *mPriority = nullptr;
    QComboBox *mDue = nullptr;
    QCheckBox *mDates = nullptr;
    QDateEdit *mFrom = nullptr;
    QDateEdit *mTo = nullptr;
    QLineEdit *mText = nullptr;
    bool mQuiet = false;
};

} // namespace gd::console
