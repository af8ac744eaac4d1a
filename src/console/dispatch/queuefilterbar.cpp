#include "console/dispatch/queuefilterbar.h"

#include "console/dispatch/casequeuemodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDateEdit>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>

namespace gd::console {

namespace {

// State groups an operator filters by, then every single state.
struct StateGroup
{
  const char *title;
  QStringList states;
};

const std::vector<StateGroup> &stateGroups()
{
  static const std::vector<StateGroup> groups{
    {QT_TRANSLATE_NOOP("gd::console::QueueFilterBar", "Waiting for dispatch"),
     {QStringLiteral("reported"), QStringLiteral("registered"), QStringLiteral("accepted")}},
    {QT_TRANSLATE_NOOP("gd::console::QueueFilterBar", "With a department"), {QStringLiteral("assigned"), QStringLiteral("in_handling")}},
    {QT_TRANSLATE_NOOP("gd::console::QueueFilterBar", "Waiting to close or visit"), {QStringLiteral("handled"), QStringLiteral("closed")}},
  };
  return groups;
}

//! The states a state-filter item stands for; empty for "all states" (never {""}).
QStringList statesOf(const QVariant &value)
{
  QStringList states = value.toStringList();
  states.removeAll(QString());
  return states;
}

} // namespace

QueueFilterBar::QueueFilterBar(QWidget *parent)
  : QWidget(parent)
{
  setObjectName(QStringLiteral("queueFilterBar"));
  auto *grid = new QGridLayout(this);
  grid->setContentsMargins(0, 0, 0, 0);
  grid->setHorizontalSpacing(4);
  grid->setVerticalSpacing(2);

  mText = new QLineEdit(this);
  mText->setObjectName(QStringLiteral("caseFilterEdit"));
  mText->setPlaceholderText(tr("Filter: number, category, title, address, grid code…"));
  mText->setClearButtonEnabled(true);
  // Four columns, and the wide date range over two of them (beside the text), so the queue dock
  // can be narrow enough to leave the map room on a 1366-pixel screen (issue 13).
  grid->addWidget(mText, 0, 0, 1, 2);
  auto *resetButton = new QToolButton(this);
  resetButton->setObjectName(QStringLiteral("resetFiltersButton"));
  resetButton->setText(tr("Reset filters"));
  grid->addWidget(resetButton, 2, 3);

  auto combo = [this](const char *name, const QString &all) {
    auto *box = new QComboBox(this);
    box->setObjectName(QString::fromLatin1(name));
    box->addItem(all, QString());
    box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    box->setMinimumContentsLength(8);
    return box;
  };
  mState = combo("stateFilter", tr("All states"));
  // Every state item carries a string list, "all" the empty one: the combo's generic "all"
  // value is an empty QString, and QVariant(QString()).toStringList() is {""} — one empty
  // state, which no case has, so the queue emptied as soon as anything re-read the criteria.
  mState->setItemData(0, QStringList());
  for (const StateGroup &group : stateGroups())
    mState->addItem(tr(group.title), group.states);
  for (const char *state : {"reported", "registered", "accepted", "assigned", "in_handling", "handled", "closed", "parked"})
    mState->addItem(CaseQueueModel::stateTitle(QString::fromLatin1(state)), QStringList{QString::fromLatin1(state)});
  mCategory = combo("categoryFilter", tr("All categories"));
  mGrid = combo("gridFilter", tr("Whole district"));
  mGrid->setEditable(true);
  mGrid->setInsertPolicy(QComboBox::NoInsert);
  mGrid->completer()->setFilterMode(Qt::MatchContains);
  mGrid->completer()->setCompletionMode(QCompleter::PopupCompletion);
  mDepartment = combo("departmentFilter", tr("All departments"));
  mSource = combo("sourceFilter", tr("All sources"));
  for (const char *source : {"patrol", "hotline", "police", "video", "citizen", "sensor"})
    mSource->addItem(CaseQueueModel::sourceTitle(QString::fromLatin1(source)), QString::fromLatin1(source));
  mPriority = combo("priorityFilter", tr("All priorities"));
  for (const char *priority : {"normal", "urgent", "emergency"})
    mPriority->addItem(priorityTitle(QString::fromLatin1(priority)), QString::fromLatin1(priority));
  mDue = combo("dueFilter", tr("Any deadline"));
  mDue->addItem(tr("Overdue"), QStringLiteral("red"));
  mDue->addItem(tr("Overdue or due soon"), QStringLiteral("yellow"));

  grid->addWidget(mState, 1, 0);
  grid->addWidget(mCategory, 1, 1);
  grid->addWidget(mGrid, 1, 2);
  grid->addWidget(mDepartment, 1, 3);
  grid->addWidget(mSource, 2, 0);
  grid->addWidget(mPriority, 2, 1);
  grid->addWidget(mDue, 2, 2);
  auto *dates = new QWidget(this);
  auto *datesLayout = new QHBoxLayout(dates);
  datesLayout->setContentsMargins(0, 0, 0, 0);
  mDates = new QCheckBox(tr("Reported"), dates);
  mDates->setObjectName(QStringLiteral("dateFilter"));
  mFrom = new QDateEdit(QDate::currentDate().addDays(-7), dates);
  mTo = new QDateEdit(QDate::currentDate(), dates);
  for (QDateEdit *edit : {mFrom, mTo})
  {
    edit->setCalendarPopup(true);
    edit->setEnabled(false);
  }
  datesLayout->addWidget(mDates);
  datesLayout->addWidget(mFrom);
  datesLayout->addWidget(new QLabel(QStringLiteral("–"), dates));
  datesLayout->addWidget(mTo);
  datesLayout->addStretch(1); // packed together, not spread over the two columns
  grid->addWidget(dates, 0, 2, 1, 2);

  connect(mText, &QLineEdit::textChanged, this, &QueueFilterBar::emitChanged);
  for (QComboBox *box : {mState, mCategory, mGrid, mDepartment, mSource, mPriority, mDue})
    connect(box, qOverload<int>(&QComboBox::currentIndexChanged), this, &QueueFilterBar::emitChanged);
  connect(mDates, &QCheckBox::toggled, this, [this](bool on) {
    mFrom->setEnabled(on);
    mTo->setEnabled(on);
    emitChanged();
  });
  connect(mFrom, &QDateEdit::dateChanged, this, &QueueFilterBar::emitChanged);
  connect(mTo, &QDateEdit::dateChanged, this, &QueueFilterBar::emitChanged);
  connect(resetButton, &QToolButton::clicked, this, &QueueFilterBar::reset);
}

void QueueFilterBar::setChoices(const std::vector<Choice> &families, const std::vector<Choice> &categories,
                                const std::vector<Choice> &departments, const std::vector<Choice> &grids)
{
  mQuiet = true;
  for (const Choice &family : families)
  {
    mCategory->addItem(QStringLiteral("%1 %2").arg(family.code, family.name), family.code);
    for (const Choice &category : categories)
      if (category.code.startsWith(family.code))
        mCategory->addItem(QStringLiteral("    %1 %2").arg(category.code, category.name), category.code);
  }
  for (const Choice &department : departments)
    mDepartment->addItem(department.name, department.code);
  for (const Choice &g : grids)
    mGrid->addItem(QStringLiteral("%1%2 %3").arg(g.extra, g.name, g.code), g.code);
  mQuiet = false;
}

CaseQueueCriteria QueueFilterBar::criteria() const
{
  CaseQueueCriteria c;
  c.states = statesOf(mState->currentData());
  c.category = mCategory->currentData().toString();
  // The grid box takes a typed code as well as a chosen entry.
  const int gridIndex = mGrid->findText(mGrid->currentText());
  c.gridPrefix = gridIndex > 0 ? mGrid->itemData(gridIndex).toString()
                               : (mGrid->currentText().trimmed() == mGrid->itemText(0) ? QString() : mGrid->currentText().trimmed());
  c.department = mDepartment->currentData().toString();
  c.source = mSource->currentData().toString();
  c.priority = mPriority->currentData().toString();
  c.overdueOnly = mDue->currentData().toString() == QLatin1String("red");
  c.dueSoonOrOverdue = mDue->currentData().toString() == QLatin1String("yellow");
  if (mDates->isChecked())
  {
    c.reportedFrom = mFrom->date().startOfDay();
    c.reportedTo = mTo->date().addDays(1).startOfDay();
  }
  c.text = mText->text().trimmed();
  return c;
}

void QueueFilterBar::setCriteria(const CaseQueueCriteria &c)
{
  mQuiet = true;
  auto pick = [](QComboBox *box, const QVariant &value) {
    const int index = box->findData(value);
    box->setCurrentIndex(index < 0 ? 0 : index);
  };
  mState->setCurrentIndex(0);
  for (int i = 1; i < mState->count(); ++i)
    if (statesOf(mState->itemData(i)) == c.states)
      mState->setCurrentIndex(i);
  pick(mCategory, c.category);
  pick(mGrid, c.gridPrefix);
  if (!c.gridPrefix.isEmpty() && mGrid->findData(c.gridPrefix) < 0)
    mGrid->setEditText(c.gridPrefix);
  pick(mDepartment, c.department);
  pick(mSource, c.source);
  pick(mPriority, c.priority);
  pick(mDue, c.overdueOnly ? QStringLiteral("red") : c.dueSoonOrOverdue ? QStringLiteral("yellow") : QString());
  mDates->setChecked(c.reportedFrom.isValid());
  if (c.reportedFrom.isValid())
    mFrom->setDate(c.reportedFrom.date());
  if (c.reportedTo.isValid())
    mTo->setDate(c.reportedTo.date().addDays(-1));
  mText->setText(c.text);
  mQuiet = false;
  emitChanged();
}

void QueueFilterBar::reset()
{
  setCriteria(CaseQueueCriteria());
}

void QueueFilterBar::emitChanged()
{
  if (!mQuiet)
    emit criteriaChanged(criteria());
}

} // namespace gd::console
