// The audit viewer (issue 17, §8.1.4 安全审计), offscreen on both backends: it is there only for
// rights with audit.read; it lists the newest rows first, filters by period, actor, action,
// outcome and text, pages through the rows by keyset, names the first bad row of a tampered log,
// exports the filtered rows for inspectors, and leaves audit_view / audit_export rows itself.

#include "console/audit/auditcontroller.h"
#include "console/audit/auditview.h"
#include "store/audit/auditlog.h"
#include "store/database.h"
#include "store/schema.h"
#include "storebackend.h"
#include "../../store/audit/audittamper.h"
#include "../uitestsupport.h"

#include <gtest/gtest.h>

#include <QDockWidget>
#include <QFile>
#include <QMainWindow>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>

using namespace gd;
using namespace gd::console;
namespace audit = gd::store::audit;

namespace {

// 2026-12-01 10:00 Beijing.
const core::TimePoint kDay1 = core::TimePoint(std::chrono::seconds(1'796'090'400));

class AuditViewerTest : public ::testing::Test
{
  protected:
    QTemporaryDir dir;
    store::test::TestStore store{std::filesystem::path(dir.filePath(QStringLiteral("s.gpkg")).toStdString())};
    QMainWindow window;
    std::unique_ptr<AuditController> controller;

    void SetUp() override
    {
      auto db = store::Schema::openOrCreate(store.location());
      audit::AuditLog log(*db);
      // 450 rows over three days: logins of two accounts, a refused step every tenth row.
      for (int i = 0; i < 450; ++i)
      {
        audit::Entry e;
        e.actor = i % 2 ? audit::Actor{"li", "李四", "seat-2"} : audit::Actor{"zhang", "张三", "seat-1"};
        e.action = i % 10 == 9 ? "case_assign" : "login_ok";
        e.object = i % 10 == 9 ? "2026120100" + std::to_string(i) : "";
        e.outcome = i % 10 == 9 ? audit::Outcome::Refused : audit::Outcome::Ok;
        e.reason = i % 10 == 9 ? "forbidden" : "";
        e.detail = i == 123 ? "needle 100% here" : "";
        e.at = kDay1 + std::chrono::hours(24 * (i / 150)) + std::chrono::seconds(i);
        log.record(e);
      }
      controller = std::make_unique<AuditController>(&window, nullptr);
      ASSERT_TRUE(controller->open(store.location(), OperatorRights{}, QStringLiteral("auditor")));
    }

    void waitFor(void (AuditController::*signal)())
    {
      QSignalSpy spy(controller.get(), signal);
      controller->drain();
      ASSERT_TRUE(spy.count() > 0 || spy.wait(30000));
    }

    void show(const AuditQuery &q)
    {
      controller->view()->setQuery(q);
      controller->apply();
      waitFor(&AuditController::pageShown);
    }

    QString cell(int row, int column) { return controller->view()->table()->item(row, column)->text(); }

    std::vector<audit::Row> rowsOf(const std::string &action)
    {
      auto db = std::make_unique<store::Database>(store.location());
      audit::Filter f;
      f.action = action;
      return audit::AuditLog(*db).list(f);
    }
};

TEST_F(AuditViewerTest, ItIsADockOnlyForRightsThatReadTheAudit)
{
  ASSERT_TRUE(controller->dock());
  EXPECT_EQ(controller->dock()->objectName(), QStringLiteral("auditViewer"));

  QMainWindow other;
  AuditController refused(&other, nullptr);
  OperatorRights dispatcher;
  dispatcher.accountId = QStringLiteral("d1");
  dispatcher.roles = {core::Role::Dispatcher};
  dispatcher.permissions = core::PermissionMatrix::parse("audit.read | auditadmin\ncase.view | dispatcher\n",
                                                         "test");
  EXPECT_FALSE(refused.open(store.location(), dispatcher, QString()));
  EXPECT_EQ(other.findChild<QDockWidget *>(QStringLiteral("auditViewer")), nullptr);
}

TEST_F(AuditViewerTest, ItListsTheNewestRowsFirstAndPagesByKeyset)
{
  show(AuditQuery{});
  QTableWidget *t = controller->view()->table();
  ASSERT_EQ(t->rowCount(), AuditController::kPageSize);
  EXPECT_EQ(cell(0, 0), QStringLiteral("450"));
  EXPECT_EQ(cell(0, 2), QStringLiteral("李四 (li)"));
  EXPECT_EQ(cell(0, 3), QStringLiteral("seat-2"));
  EXPECT_EQ(cell(0, 1), QStringLiteral("2026-12-03 10:07:29"));

  controller->older();
  waitFor(&AuditController::pageShown);
  EXPECT_EQ(cell(0, 0), QStringLiteral("250"));
  controller->older();
  waitFor(&AuditController::pageShown);
  ASSERT_EQ(t->rowCount(), 50);
  EXPECT_EQ(cell(49, 0), QStringLiteral("1"));
  EXPECT_NE(controller->view()->pageText().indexOf(QStringLiteral("50–1")), -1) << controller->view()->pageText().toStdString();
  controller->newer();
  waitFor(&AuditController::pageShown);
  EXPECT_EQ(cell(0, 0), QStringLiteral("250"));
}

TEST_F(AuditViewerTest, ItFiltersByPeriodActorActionOutcomeAndText)
{
  AuditQuery q;
  q.from = QDate(2026, 12, 2);
  q.to = QDate(2026, 12, 2);
  show(q);
  QTableWidget *t = controller->view()->table();
  ASSERT_EQ(t->rowCount(), 150);
  EXPECT_EQ(cell(0, 0), QStringLiteral("300"));
  EXPECT_EQ(cell(149, 0), QStringLiteral("151"));

  q = AuditQuery{};
  q.actor = QStringLiteral("李四");
  q.outcome = QStringLiteral("refused");
  q.action = QStringLiteral("case_assign");
  show(q);
  ASSERT_EQ(t->rowCount(), 45);
  // The action in words, its code in the tooltip (as ctl audit list and the export name it).
  for (int r = 0; r < t->rowCount(); ++r)
  {
    EXPECT_EQ(cell(r, 4), auditActionTitle(QStringLiteral("case_assign")));
    EXPECT_EQ(t->item(r, 4)->toolTip(), QStringLiteral("case_assign"));
  }
  EXPECT_NE(cell(0, 7).indexOf(QStringLiteral("forbidden")), -1);

  q = AuditQuery{};
  q.text = QStringLiteral("100%");
  show(q);
  ASSERT_EQ(t->rowCount(), 1);
  EXPECT_EQ(cell(0, 0), QStringLiteral("124"));

  // Each filtering is itself recorded, with the filters.
  const auto views = rowsOf("audit_view");
  ASSERT_EQ(views.size(), 3u);
  EXPECT_EQ(views[0].actorId, "auditor");
  EXPECT_NE(views[1].detail.find("outcome refused"), std::string::npos) << views[1].detail;
}

TEST_F(AuditViewerTest, VerifySaysIntactOrNamesTheFirstTamperedRow)
{
  controller->verify();
  waitFor(&AuditController::verified);
  EXPECT_NE(controller->view()->verifyText().indexOf(QStringLiteral("intact")), -1)
    << controller->view()->verifyText().toStdString();

  store::test::tamperAudit(store, "UPDATE audit_log SET detail = 'nothing happened' WHERE id = 77");
  controller->verify();
  waitFor(&AuditController::verified);
  const QString text = controller->view()->verifyText();
  EXPECT_NE(text.indexOf(QStringLiteral("row 77")), -1) << text.toStdString();
  EXPECT_NE(text.indexOf(QStringLiteral("edited")), -1) << text.toStdString();
}

TEST_F(AuditViewerTest, ExportWritesTheFilteredRowsNamedWithThePeriodAndIsAudited)
{
  AuditQuery q;
  q.from = QDate(2026, 12, 1);
  q.to = QDate(2026, 12, 3);
  q.outcome = QStringLiteral("refused");
  EXPECT_EQ(q.exportFileName(), QStringLiteral("audit-20261201-20261203.csv"));
  controller->view()->setQuery(q);
  const QString file = dir.filePath(q.exportFileName());
  controller->exportTo(file);
  waitFor(&AuditController::exported);
  QFile f(file);
  ASSERT_TRUE(f.open(QIODevice::ReadOnly));
  const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
  ASSERT_EQ(lines.size(), 1 + 45);
  EXPECT_EQ(lines[0], QStringLiteral("id,at,actor_id,actor_name,host,action,object,detail,outcome,reason,link"));
  EXPECT_TRUE(lines[1].startsWith(QStringLiteral("10,"))) << lines[1].toStdString();
  EXPECT_NE(lines[1].indexOf(QStringLiteral(",refused,forbidden,")), -1) << lines[1].toStdString();
  const auto exports = rowsOf("audit_export");
  ASSERT_EQ(exports.size(), 1u);
  EXPECT_EQ(exports[0].object, file.toStdString());
  EXPECT_EQ(exports[0].detail.rfind("45 row(s)", 0), 0u) << exports[0].detail;
}

} // namespace

// Found in the walk: the viewer showed the audit's codes (login_failed, device_revoke …) on a
// Chinese console. Every action of the vocabulary, and a case or department step, reads as words.
TEST(AuditActionTitle, EveryActionReadsInChineseOnAChineseConsole)
{
  gd::consoletest::ChineseUi zh;
  QStringList codes;
  for (const std::string_view a : audit::actions())
    codes << QString::fromLatin1(a.data(), static_cast<int>(a.size()));
  codes << QStringLiteral("case_assign") << QStringLiteral("case_urge") << QStringLiteral("case_dept_sign")
        << QStringLiteral("case_extension_approve") << QStringLiteral("case_notice_acknowledge");
  for (const QString &code : codes)
  {
    const QString title = auditActionTitle(code);
    bool latin = false;
    for (const QChar c : title)
      latin = latin || (c.unicode() < 0x80 && c.isLetter());
    EXPECT_FALSE(latin) << code.toStdString() << " reads " << title.toStdString();
  }
  EXPECT_EQ(auditActionTitle(QStringLiteral("case_assign")), QStringLiteral("案件：分拨交办"));
}
