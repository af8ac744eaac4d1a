#pragma once

#include "console/caseservice.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTimer;

namespace gd::console {

/**
 * Manual intake (人工受理) for 12345/110 calls and walk-ins. Not modal: the operator keeps the
 * map to pick the location. While the operator types, the window looks for duplicates and
 * shows them here (duplicatesWanted → setDuplicates); one button attaches the call to an
 * existing case instead of opening a new one.
 */
class IntakeDialog : public QDialog
{
    Q_OBJECT

  public:
    IntakeDialog(const std::vector<Choice> &categories, QWidget *parent = nullptr);

    //! The form as filled in.
    IntakeForm form() const;
    //! Fills the form (a 12345 work order handed over, a scripted demo, tests).
    void setForm(const IntakeForm &form);
    //! Sets the location (from the map or a search) and the place it names.
    void setLocation(double lon, double lat, const QString &where);
    //! Shows the duplicate candidates for the form as it was when asked.
    void setDuplicates(const std::vector<DuplicateSuggestion> &suggestions);
    //! Shows \a message under the form (a refusal, a missing field).
    void setProblem(const QString &message);
    //! The candidates shown (numbers, best first).
    QStringList duplicateNumbers() const;
    //! Selects candidate \a number in the list (tests, keyboard users).
    void selectDuplicate(const QString &number);

  signals:
    //! The operator wants to click the location on the map.
    void pickOnMapRequested();
    //! The operator looks a place up (address, grid name or code).
    void findRequested(const QString &text);
    //! The form changed enough to look for duplicates again (debounced).
    void duplicatesWanted(const gd::console::IntakeForm &form);
    //! Register the call as a new case.
    void submitRequested(const gd::console::IntakeForm &form);
    //! Attach the call to case \a target (多头反映).
    void attachRequested(const gd::console::IntakeForm &form, const QString &target);

  private:
    void formChanged();
    void updateButtons();

    QComboBox *mSource = nullptr;
    QLineEdit *mCaller = nullptr;
    QLineEdit *mPhone = nullptr;
    QLineEdit *mAddress = nullptr;
    QComboBox *mCategory = nullptr;
    QComboBox *mPriority = nullptr;
    QLineEdit *mTitle = nullptr;
    QPlainTextEdit *mDescription = nullptr;
    QLineEdit *mFind = nullptr;
    QLabel *mLocation = nullptr;
    QListWidget *mDuplicates = nullptr;
    QPushButton *mAttach = nullptr;
    QPushButton *mSubmit = nullptr;
    QLabel *mProblem = nullptr;
    QTimer *mDebounce = nullptr;
    std::optional<double> mLon;
    std::optional<double> mLat;
};

} // namespace gd::console
