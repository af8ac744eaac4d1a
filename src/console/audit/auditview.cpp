#include "console/audit/auditview.h"

#include "console/common/readonlytable.h"
#include "console/dispatch/caseservice.h"
#include "store/audit/auditlog.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDateEdit>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <map>

namespace gd::console {

/**
 * An audit action in words (the audit vocabulary, store::audit::actions(), and "case_" with a case
 * or department step): the auditor reads 登录失败, not login_failed. The code stays in the tooltip.
 */
QString auditActionTitle(const QString &action)
{
  static const std::map<QString, const char *> titles{
    {QStringLiteral("login_ok"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Login")},
    {QStringLiteral("login_failed"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Failed login")},
    {QStringLiteral("logout"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Logout")},
    {QStringLiteral("lock"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Screen locked")},
    {QStringLiteral("unlock"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Screen unlocked")},
    {QStringLiteral("account_create"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Account created")},
    {QStringLiteral("account_change"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Account changed")},
    {QStringLiteral("account_disable"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Account disabled")},
    {QStringLiteral("account_enable"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Account enabled")},
    {QStringLiteral("account_unlock"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Account unlocked")},
    {QStringLiteral("account_password"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Password changed")},
    {QStringLiteral("role_grant"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Role given")},
    {QStringLiteral("role_revoke"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Role taken away")},
    {QStringLiteral("config_change"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Configuration changed")},
    {QStringLiteral("device_add"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Terminal added")},
    {QStringLiteral("device_revoke"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Terminal revoked")},
    {QStringLiteral("grid_import"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Grids imported")},
    {QStringLiteral("case_import"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Cases imported")},
    {QStringLiteral("calendar_import"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Calendar imported")},
    {QStringLiteral("export"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Export")},
    {QStringLiteral("unmask"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Personal data revealed")},
    {QStringLiteral("supervision_change"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Supervision")},
    {QStringLiteral("emergency_change"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Emergency")},
    {QStringLiteral("store_copy"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Store copied")},
    {QStringLiteral("audit_seal"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Audit sealed")},
    {QStringLiteral("audit_archive"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Audit archived")},
    {QStringLiteral("audit_export"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Audit exported")},
    {QStringLiteral("audit_view"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Audit viewed")},
    {QStringLiteral("store_backup"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Backup")},
    {QStringLiteral("store_restore"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Restore")},
    {QStringLiteral("seat_add"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Seat added")},
    {QStringLiteral("seat_disable"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Seat disabled")},
    // A case's steps beyond the workflow's own (console/dispatch actionTitle()).
    {QStringLiteral("notice_acknowledge"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Notice acknowledged")},
    {QStringLiteral("dept_sign"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Signed for by the department")},
    {QStringLiteral("dept_acknowledge"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Department replied to a notice")},
    {QStringLiteral("dept_note"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Department handling note")},
    {QStringLiteral("dept_feedback"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Department reported it handled")},
    {QStringLiteral("dept_extension_request"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Department asked for an extension")},
    {QStringLiteral("dept_return"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Department returned the case")},
    {QStringLiteral("extension_approve"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Extension approved")},
    {QStringLiteral("extension_refuse"), QT_TRANSLATE_NOOP("gd::console::AuditView", "Extension refused")},
  };
  const auto title = [](const QString &code) -> QString {
    const auto it = titles.find(code);
    return it == titles.end() ? QString() : QCoreApplication::translate("gd::console::AuditView", it->second);
  };
  if (const QString t = title(action); !t.isEmpty())
    return t;
  if (action.startsWith(QLatin1String("case_")))
  {
    const QString step = action.mid(5);
    const QString t = title(step);
    return QCoreApplication::translate("gd::console::AuditView", "Case: %1").arg(t.isEmpty() ? actionTitle(step) : t);
  }
  return action;
}

namespace {

// The first day a QDateEdit offers: shown as "any" (no bound).
const QDate kNoBound(2000, 1, 1);

QDateEdit *dayEdit(const QDate &day, QWidget *parent)
{
  auto *edit = new QDateEdit(parent);
  edit->setCalendarPopup(true);
  edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
  edit->setMinimumDate(kNoBound);
  edit->setSpecialValueText(AuditView::tr("any"));
  edit->setDate(day.isValid() ? day : kNoBound);
  return edit;
}

} // namespace

AuditView::AuditView(QWidget *parent)
  : QWidget(parent)
{
  auto *layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);

  auto *filters = new QHBoxLayout;
  filters->addWidget(new QLabel(tr("From"), this));
  mFrom = dayEdit(QDate::currentDate().addDays(-30), this);
  mFrom->setToolTip(tr("The first day shown (Beijing time); \"any\": from the first row"));
  filters->addWidget(mFrom);
  filters->addWidget(new QLabel(tr("to"), this));
  mTo = dayEdit(QDate(), this);
  mTo->setToolTip(tr("The last day shown; \"any\": up to now"));
  filters->addWidget(mTo);
  mActor = new QLineEdit(this);
  mActor->setPlaceholderText(tr("Actor"));
  mActor->setToolTip(tr("An account id or name, or the OS user of griddispatch-ctl"));
  mActor->setClearButtonEnabled(true);
  filters->addWidget(mActor, 1);
  mAction = new QComboBox(this);
  mAction->addItem(tr("All actions"), QString());
  for (const std::string_view a : store::audit::actions())
  {
    const QString code = QString::fromLatin1(a.data(), static_cast<int>(a.size()));
    mAction->addItem(auditActionTitle(code), code);
  }
  filters->addWidget(mAction);
  mOutcome = new QComboBox(this);
  mOutcome->addItem(tr("All outcomes"), QString());
  mOutcome->addItem(tr("Done"), QStringLiteral("ok"));
  mOutcome->addItem(tr("Refused"), QStringLiteral("refused"));
  mOutcome->addItem(tr("Failed"), QStringLiteral("failed"));
  filters->addWidget(mOutcome);
  mText = new QLineEdit(this);
  mText->setPlaceholderText(tr("Text in subject or detail"));
  mText->setClearButtonEnabled(true);
  filters->addWidget(mText, 2);
  mApply = new QPushButton(tr("Filter"), this);
  mApply->setDefault(true);
  filters->addWidget(mApply);
  layout->addLayout(filters);

  mTable = readOnlyTable({tr("No."), tr("Time"), tr("Actor"), tr("Seat host"), tr("Action"), tr("Subject"),
                          tr("Outcome"), tr("Detail")},
                         this);
  mTable->setObjectName(QStringLiteral("auditTable"));
  mTable->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
  mTable->horizontalHeader()->setStretchLastSection(true);
  layout->addWidget(mTable, 1);

  auto *bottom = new QHBoxLayout;
  mNewer = new QPushButton(tr("◀ Newer"), this);
  mOlder = new QPushButton(tr("Older ▶"), this);
  mPage = new QLabel(this);
  mPage->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  bottom->addWidget(mNewer);
  bottom->addWidget(mOlder);
  bottom->addWidget(mPage, 1);
  mVerify = new QPushButton(tr("Verify audit chain"), this);
  mVerify->setToolTip(tr("Walk the SM3 chain of the whole audit log and name the first row edited, deleted or inserted"));
  bottom->addWidget(mVerify);
  mExport = new QPushButton(tr("Export for inspectors…"), this);
  mExport->setToolTip(tr("Write the filtered rows as CSV, with their chain links"));
  bottom->addWidget(mExport);
  layout->addLayout(bottom);
  // The results on lines of their own, wrapped: a long one must not widen the dock (and with
  // it the window) past the screen.
  for (QLabel **label : {&mVerifyResult, &mExportResult})
  {
    *label = new QLabel(this);
    (*label)->setTextInteractionFlags(Qt::TextSelectableByMouse);
    (*label)->setWordWrap(true);
    (*label)->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    (*label)->hide();
    layout->addWidget(*label);
  }

  connect(mApply, &QPushButton::clicked, this, &AuditView::applyRequested);
  connect(mActor, &QLineEdit::returnPressed, this, &AuditView::applyRequested);
  connect(mText, &QLineEdit::returnPressed, this, &AuditView::applyRequested);
  connect(mOlder, &QPushButton::clicked, this, &AuditView::olderRequested);
  connect(mNewer, &QPushButton::clicked, this, &AuditView::newerRequested);
  connect(mVerify, &QPushButton::clicked, this, &AuditView::verifyRequested);
  connect(mExport, &QPushButton::clicked, this, &AuditView::exportRequested);
  mNewer->setEnabled(false);
  mOlder->setEnabled(false);
}

AuditQuery AuditView::query() const
{
  AuditQuery q;
  if (mFrom->date() != kNoBound)
    q.from = mFrom->date();
  if (mTo->date() != kNoBound)
    q.to = mTo->date();
  q.actor = mActor->text();
  q.action = mAction->currentData().toString();
  q.outcome = mOutcome->currentData().toString();
  q.text = mText->text();
  return q;
}

void AuditView::setQuery(const AuditQuery &query)
{
  mFrom->setDate(query.from.isValid() ? query.from : kNoBound);
  mTo->setDate(query.to.isValid() ? query.to : kNoBound);
  mActor->setText(query.actor);
  mAction->setCurrentIndex(std::max(0, mAction->findData(query.action)));
  mOutcome->setCurrentIndex(std::max(0, mOutcome->findData(query.outcome)));
  mText->setText(query.text);
}

void AuditView::showPage(const AuditPage &page, int number)
{
  mNumber = number;
  mMore = page.more;
  mTable->setRowCount(0);
  if (!page.error.isEmpty())
  {
    mPage->setText(tr("The audit log could not be read: %1").arg(page.error));
    mNewer->setEnabled(false);
    mOlder->setEnabled(false);
    return;
  }
  mTable->setRowCount(page.rows.size());
  for (int i = 0; i < page.rows.size(); ++i)
  {
    const AuditRowView &r = page.rows[i];
    const QString actor = r.actorName == r.actorId || r.actorId.isEmpty()
                            ? r.actorName
                            : QStringLiteral("%1 (%2)").arg(r.actorName, r.actorId);
    const QString outcome = r.outcome == QLatin1String("ok")        ? tr("Done")
                            : r.outcome == QLatin1String("refused") ? tr("Refused")
                            : r.outcome == QLatin1String("failed")  ? tr("Failed")
                                                                    : r.outcome;
    const QStringList cells{QString::number(r.id), r.at, actor, r.host, auditActionTitle(r.action), r.subject, outcome, r.detail};
    for (int c = 0; c < cells.size(); ++c)
      mTable->setItem(i, c, readOnlyCell(cells[c], r.id));
    mTable->item(i, 4)->setToolTip(r.action); // the code, as griddispatch-ctl audit list and the export name it
    if (r.outcome != QLatin1String("ok"))
      mTable->item(i, 6)->setForeground(QColor(0xc6, 0x28, 0x28));
  }
  mTable->resizeColumnsToContents();
  // Long details stay in their (last, stretched) column; a row's full text is in its tooltip.
  // Capped so the outcome and the detail stay in sight on a 1366-pixel screen: a backup's path or
  // an actor's long name is cut (its full text in the cell's tooltip).
  static constexpr int kMaxWidth[] = {70, 160, 190, 110, 150, 170, 70};
  for (int c = 0; c < mTable->columnCount() - 1; ++c)
    mTable->setColumnWidth(c, std::min(mTable->columnWidth(c), kMaxWidth[c]));
  for (int i = 0; i < page.rows.size(); ++i)
  {
    mTable->item(i, 5)->setToolTip(page.rows[i].subject);
    mTable->item(i, 7)->setToolTip(page.rows[i].detail);
  }
  if (page.rows.isEmpty())
    mPage->setText(number == 1 ? tr("No audit rows match the filters") : tr("No older rows"));
  else
    mPage->setText(tr("Page %1: rows %2–%3%4")
                     .arg(number)
                     .arg(page.rows.front().id)
                     .arg(page.rows.back().id)
                     .arg(page.more ? tr(", older rows follow") : tr(", the oldest matching")));
  mNewer->setEnabled(number > 1);
  mOlder->setEnabled(page.more);
}

void AuditView::showVerify(const AuditVerifyResult &result)
{
  QString text;
  if (!result.error.isEmpty())
    text = tr("The audit chain could not be checked: %1").arg(result.error);
  else if (result.ok)
    text = tr("Audit chain intact: rows %1–%2 (%3 rows) verified").arg(result.firstId).arg(result.lastId).arg(result.rows);
  else if (result.badId > 0)
    text = tr("Audit chain BROKEN at row %1 (%2): %3 — %4").arg(result.badId).arg(result.badAt, result.kind, result.what);
  else
    text = tr("A seal does not hold: %1").arg(result.what);
  mVerifyResult->setText(text);
  mVerifyResult->setStyleSheet(result.ok ? QStringLiteral("color: #2e7d32; font-weight: bold")
                                         : QStringLiteral("color: #c62828; font-weight: bold"));
  mVerifyResult->show();
}

void AuditView::showExport(const AuditExportResult &result)
{
  mExportResult->setText(result.error.isEmpty()
                           ? tr("Exported %1 audit rows to %2").arg(result.rows).arg(result.file)
                           : tr("The export failed: %1").arg(result.error));
  mExportResult->show();
}

void AuditView::setBusy(bool busy)
{
  for (QPushButton *b : {mApply, mVerify, mExport})
    b->setEnabled(!busy);
  if (busy)
  {
    mNewer->setEnabled(false);
    mOlder->setEnabled(false);
  }
  else
  {
    mNewer->setEnabled(mNumber > 1);
    mOlder->setEnabled(mMore);
  }
}

QString AuditView::pageText() const
{
  return mPage->text();
}

QString AuditView::verifyText() const
{
  return mVerifyResult->text();
}

QString AuditView::exportText() const
{
  return mExportResult->text();
}

} // namespace gd::console
