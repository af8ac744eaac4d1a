#pragma once

#include "console/dispatch/caseservice.h"

#include <QDialog>

#include <functional>

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
  std::vector<WorkerReachView> workerReach; //!< whether an order reaches each of workers (same order)
  RouteSuggestion suggestion;         //!< the suggested lead department
  //! Merge targets with what tells them apart: a single case's duplicate candidates (best
  //! first), or the other selected cases of a bulk merge (distanceM < 0: not measured).
  std::vector<DuplicateSuggestion> mergeCandidates;
  //! A bulk dispatch: each case's own suggestion (category name in Choice::name).
  std::vector<std::pair<Choice, RouteSuggestion>> perCase;
};

//! A merge candidate at least this likely (DuplicateSuggestion::score) and this alike in its
//! words (textSimilarity) is preselected; any other the operator chooses.
constexpr double kLikelyDuplicateScore = 0.5;
constexpr double kLikelyDuplicateText = 0.25;
//! The lead "department" of a bulk dispatch that gives each case its own suggestion.
inline const QString kEachCasesSuggestion = QStringLiteral("*suggested*");

/**
 * Makes Ctrl+Enter and Ctrl+Return run \a submit anywhere in \a dialog, also from a text box
 * where Enter starts a new line (every workflow dialog submits this way).
 */
void submitOnCtrlEnter(QDialog *dialog, std::function<void()> submit);

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
    //! What the operator is warned of before OK (a worker no order can reach), or "".
    QString warning() const;

    /**
     * Accepts the form, unless it names a worker no order can reach and the operator has not
     * yet confirmed it: then the dialog says so and asks; a second accept() dispatches anyway.
     */
    void accept() override;

    /**
     * Makes OK run \a handler instead of closing: the window runs the step and closes the
     * dialog when it is done, or shows the refusal in it (showRefusal) and leaves it open.
     */
    void setSubmitHandler(std::function<void()> handler);
    //! Shows why the step was refused, in the dialog, and lets the operator change the form.
    void showRefusal(const QString &message);

  private:
    void updateOk();
    void updateWarning();
    QString mergeTarget() const;

    QString mAction;
    QStringList mNumbers;
    QLabel *mProblem = nullptr;
    QDialogButtonBox *mButtons = nullptr;
    QPlainTextEdit *mNote = nullptr;
    bool mNoteRequired = false;
    QComboBox *mLead = nullptr;
    QListWidget *mAssisting = nullptr;
    QComboBox *mWorker = nullptr;
    QLabel *mWarning = nullptr;
    bool mConfirmed = false; //!< the operator confirmed a dispatch to an unreachable worker
    std::function<void()> mSubmit;
    bool mSubmitting = false;
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
