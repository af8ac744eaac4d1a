#pragma once

#include "console/dispatch/caseservice.h"

#include <QDialog>

#include <map>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QKeyEvent;
class QTimer;

namespace Ui {
class IntakeDialog;
}

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
    /**
     * \a keywords: what callers call each category (by code); typing one finds the category
     * (井盖 → 市政设施损坏).
     */
    IntakeDialog(const std::vector<Choice> &categories, const std::map<QString, QStringList> &keywords = {},
                 QWidget *parent = nullptr);
    ~IntakeDialog() override;

    //! The form as filled in.
    IntakeForm form() const;
    //! Fills the form (a 12345 work order handed over, a scripted demo, tests).
    void setForm(const IntakeForm &form);
    /**
     * Sets the location (from the map or a search): \a where says how it was found (shown
     * beside the coordinates); \a address, when given (a place or address found by name), also
     * fills the address field if the operator left it empty. locationChanged follows.
     */
    void setLocation(double lon, double lat, const QString &where, const QString &address = QString());
    //! Shows the duplicate candidates for the form as it was when asked.
    void setDuplicates(const std::vector<DuplicateSuggestion> &suggestions);
    //! Shows \a message under the form (a refusal, a missing field).
    void setProblem(const QString &message);
    //! The candidates shown (numbers, best first).
    QStringList duplicateNumbers() const;
    //! Selects candidate \a number in the list (tests, keyboard users).
    void selectDuplicate(const QString &number);
    //! True when the form holds anything the operator entered (closing it then asks first).
    bool isFilled() const;
    //! Closes the form without asking (the report was registered or attached).
    void finish();
    //! Closing asks first when the form is filled; the question is a child of the dialog.
    void reject() override;

  protected:
    //! Enter never registers the case (it runs the search in the location box); Ctrl+Enter does.
    void keyPressEvent(QKeyEvent *event) override;

  signals:
    //! The operator wants to click the location on the map.
    void pickOnMapRequested();
    //! The location was set (CGCS2000): the map marks it while the form is open.
    void locationChanged(double lon, double lat);
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

    std::unique_ptr<Ui::IntakeDialog> mUi; //!< the fixed form (ui/intakedialog.ui)
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
    bool mFinished = false;
    std::optional<double> mLon;
    std::optional<double> mLat;
};

} // namespace gd::console
