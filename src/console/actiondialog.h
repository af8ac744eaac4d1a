#pragma once

#include "console/caseservice.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QSpinBox;

namespace gd::console {

//! What an action dialog needs to know beside the case.
struct ActionContext
{
  std::vector<Choice> departments;
  std::vector<Choice> workers;        //!< the case's grid workers
  RouteSuggestion suggestion;         //!< the suggested lead department
  QStringList mergeTargets;           //!< likely targets for a merge (duplicates first)
};

/**
 * Asks for what one workflow step needs (a reason, a department, an approver …) and nothing
 * more. OK stays disabled until the required fields are filled, and says which are missing.
 * "dispatch" is the combined register → accept → assign step with the suggestion preselected,
 * so Enter accepts it.
 */
class ActionDialog : public QDialog
{
    Q_OBJECT

  public:
    ActionDialog(const QString &action, const CaseDetail &detail, const ActionContext &context, QWidget *parent = nullptr);

    QString action() const { return mAction; }
    //! The case(s) the dialog acts on (several for a bulk action).
    void setCaseNumbers(const QStringList &numbers);
    QStringList caseNumbers() const { return mNumbers; }

    //! The request as filled in (for every action but "dispatch").
    ActionRequest request() const;
    //! For "dispatch" and "assign": the chosen lead department, assisting departments and worker.
    QString lead() const;
    QStringList assisting() const;
    QString worker() const;

    //! Why OK is disabled, or an empty string when the form is complete.
    QString missing() const;

  private:
    void updateOk();

    QString mAction;
    QStringList mNumbers;
    QLabel *mProblem = nullptr;
    QDialogButtonBox *mButtons = nullptr;
    QPlainTextEdit *mNote = nullptr;
    bool mNoteRequired = false;
    QComboBox *mLead = nullptr;
    QListWidget *mAssisting = nullptr;
    QComboBox *mWorker = nullptr;
    QLineEdit *mApprover = nullptr;
    QSpinBox *mAmount = nullptr;
    QComboBox *mUnit = nullptr;
    QComboBox *mTarget = nullptr;
    QLineEdit *mResult = nullptr;
    QComboBox *mMediation = nullptr;
    QComboBox *mSatisfaction = nullptr;
    QComboBox *mReworkTo = nullptr;
};

} // namespace gd::console
