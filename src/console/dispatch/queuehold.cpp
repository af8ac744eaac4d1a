#include "console/dispatch/queuehold.h"

#include "console/dispatch/casequeuefilter.h"

#include <QAbstractItemView>
#include <QEvent>
#include <QMouseEvent>
#include <QPushButton>

#include <utility>

namespace gd::console {

QueueHold::QueueHold(QAbstractItemView *view, CaseQueueModel *model, CaseQueueFilter *proxy, QObject *parent)
  : QObject(parent)
  , mView(view)
  , mModel(model)
  , mProxy(proxy)
{
  // A child of the view, not of its viewport: the viewport's children scroll with the rows.
  // Hovering it still counts as hovering the queue, so a click on it lands where it was aimed.
  mBar = new QPushButton(view);
  mBar->setObjectName(QStringLiteral("queueHoldBar"));
  mBar->setCursor(Qt::PointingHandCursor);
  mBar->setFocusPolicy(Qt::NoFocus);
  mBar->setToolTip(tr("Held while the pointer is over the queue, so that rows do not move under it. "
                      "Click, or move the pointer away, to put them in."));
  mBar->setStyleSheet(QStringLiteral("QPushButton { background:#1565c0; color:white; border:none; border-radius:10px;"
                                     " padding:3px 14px; font-weight:bold }"
                                     "QPushButton:hover { background:#0d47a1 }"));
  mBar->hide();
  connect(mBar, &QPushButton::clicked, this, &QueueHold::release);
  view->installEventFilter(this);
  view->viewport()->installEventFilter(this);
}

void QueueHold::apply(const std::vector<CaseQueueRow> &upserts, const QStringList &removedNumbers)
{
  if (!isHolding())
  {
    mModel->applyChanges(upserts, removedNumbers);
    return;
  }
  // The same order as CaseQueueModel::applyChanges: removals, then upserts (a case in both
  // came back).
  for (const QString &number : removedNumbers)
  {
    mHeldRows.erase(number);
    if (mModel->rowOf(number) >= 0)
      mHeldRemovals.insert(number);
  }
  std::vector<CaseQueueRow> inPlace;
  for (const CaseQueueRow &row : upserts)
  {
    if (mModel->rowOf(row.number) >= 0)
    {
      mHeldRemovals.remove(row.number);
      mUpdatedInPlace.insert(row.number);
      inPlace.push_back(row);
    }
    else
    {
      mHeldRows[row.number] = row;
    }
  }
  if (!inPlace.empty())
  {
    freeze();
    mModel->applyChanges(inPlace, {});
  }
  updateBar();
}

void QueueHold::freeze()
{
  // Without dynamic sorting and filtering the proxy passes a changed row's new cells on
  // where the row stands (Qt re-sorts and re-filters nothing until it is switched back on).
  if (!mFrozen && mProxy->dynamicSortFilter())
  {
    mProxy->setDynamicSortFilter(false);
    mFrozen = true;
  }
}

void QueueHold::release()
{
  if (mHeldRows.empty() && mHeldRemovals.isEmpty() && mUpdatedInPlace.isEmpty() && !mFrozen)
    return;
  std::vector<CaseQueueRow> rows;
  rows.reserve(mHeldRows.size() + static_cast<std::size_t>(mUpdatedInPlace.size()));
  if (mFrozen)
  {
    mProxy->setDynamicSortFilter(true);
    mFrozen = false;
  }
  // The rows changed in place go through the model once more, now that the proxy sorts and
  // filters again: each moves to its place, or out when it no longer matches the filters.
  for (const QString &number : std::as_const(mUpdatedInPlace))
    if (const int row = mModel->rowOf(number); row >= 0 && !mHeldRemovals.contains(number))
      rows.push_back(mModel->row(row));
  for (auto &[number, row] : mHeldRows)
    rows.push_back(std::move(row));
  const QStringList removals(mHeldRemovals.begin(), mHeldRemovals.end());
  mHeldRows.clear();
  mHeldRemovals.clear();
  mUpdatedInPlace.clear();
  mModel->applyChanges(rows, removals);
  updateBar();
  emit released();
}

void QueueHold::clear()
{
  mHeldRows.clear();
  mHeldRemovals.clear();
  mUpdatedInPlace.clear();
  if (mFrozen)
  {
    mProxy->setDynamicSortFilter(true);
    mFrozen = false;
  }
  updateBar();
}

QString QueueHold::barText() const
{
  return mBar->isHidden() ? QString() : mBar->text();
}

void QueueHold::updateBar()
{
  QStringList parts;
  if (!mHeldRows.empty())
    parts << tr("%n new case(s)", nullptr, heldNewCases());
  if (!mHeldRemovals.isEmpty())
    parts << tr("%n case(s) left the queue", nullptr, heldRemovals());
  const QString text = parts.join(QStringLiteral(" · "));
  if (text != mBar->text())
    mBar->setText(text);
  mBar->setVisible(!text.isEmpty());
  if (!text.isEmpty())
    placeBar();
  emit heldChanged(heldNewCases(), heldRemovals());
}

void QueueHold::placeBar()
{
  // Centred at the top of the rows, just under the header.
  const QRect rows = mView->viewport()->geometry();
  const QSize size = mBar->sizeHint().boundedTo(QSize(rows.width() - 8, rows.height()));
  mBar->setGeometry(rows.x() + (rows.width() - size.width()) / 2, rows.y() + 4, size.width(), size.height());
  mBar->raise();
}

bool QueueHold::eventFilter(QObject *watched, QEvent *event)
{
  if (watched == mView)
  {
    switch (event->type())
    {
      case QEvent::Enter:
        mHovered = true;
        break;
      case QEvent::Leave:
        mHovered = false;
        if (!isHolding())
          release();
        break;
      case QEvent::Hide:
        mHovered = false;
        mDragging = false;
        release();
        break;
      case QEvent::Resize:
        if (mBar->isVisible())
          placeBar();
        break;
      default:
        break;
    }
  }
  else if (watched == mView->viewport())
  {
    // A selection drag holds the rows until the button is let go, wherever the pointer is then.
    if (event->type() == QEvent::MouseButtonPress)
    {
      mDragging = true;
    }
    else if (event->type() == QEvent::MouseButtonRelease)
    {
      if (static_cast<QMouseEvent *>(event)->buttons() == Qt::NoButton)
      {
        mDragging = false;
        if (!isHolding())
          release();
      }
    }
  }
  return QObject::eventFilter(watched, event);
}

} // namespace gd::console
