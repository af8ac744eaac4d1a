#include "console/audit/auditservice.h"

#include "console/common/storetext.h"
#include "core/csvtext.h"
#include "core/timeutil.h"
#include "store/database.h"

#include <QDateTime>
#include <QFile>
#include <QTimeZone>

#include <fstream>

namespace gd::console {

namespace audit = store::audit;

namespace {

const QTimeZone &beijing()
{
  static const QTimeZone zone(QByteArrayLiteral("Asia/Shanghai"));
  return zone;
}

core::TimePoint dayStart(const QDate &day)
{
  const QDateTime start(day, QTime(0, 0), beijing());
  return core::TimePoint(std::chrono::seconds(start.toSecsSinceEpoch()));
}

QString shownTime(const std::string &at)
{
  const auto t = core::parseRfc3339(at);
  if (!t)
    return QString::fromStdString(at);
  return QDateTime::fromSecsSinceEpoch(t->time_since_epoch().count(), beijing())
    .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

AuditRowView view(const audit::Row &r)
{
  AuditRowView v;
  v.id = r.id;
  v.at = shownTime(r.at);
  v.actorId = QString::fromStdString(r.actorId);
  v.actorName = QString::fromStdString(r.actorName.empty() ? r.actorId : r.actorName);
  v.host = QString::fromStdString(r.host);
  v.action = QString::fromStdString(r.action);
  v.subject = QString::fromStdString(r.object);
  v.outcome = QString::fromStdString(r.outcome);
  v.detail = QString::fromStdString(r.detail);
  if (!r.reason.empty())
    v.detail += (v.detail.isEmpty() ? QString() : QStringLiteral("; ")) + QString::fromStdString(r.reason);
  return v;
}

} // namespace

audit::Filter AuditQuery::filter() const
{
  audit::Filter f;
  if (from.isValid())
    f.from = dayStart(from);
  if (to.isValid())
    f.to = dayStart(to.addDays(1));
  f.actor = str(actor.trimmed());
  f.action = str(action);
  f.outcome = str(outcome);
  f.text = str(text.trimmed());
  return f;
}

QString AuditQuery::describe() const
{
  QStringList parts;
  parts << QStringLiteral("from %1").arg(from.isValid() ? from.toString(Qt::ISODate) : QStringLiteral("the start"));
  parts << QStringLiteral("to %1").arg(to.isValid() ? to.toString(Qt::ISODate) : QStringLiteral("now"));
  if (!actor.trimmed().isEmpty())
    parts << QStringLiteral("actor %1").arg(actor.trimmed());
  if (!action.isEmpty())
    parts << QStringLiteral("action %1").arg(action);
  if (!outcome.isEmpty())
    parts << QStringLiteral("outcome %1").arg(outcome);
  if (!text.trimmed().isEmpty())
    parts << QStringLiteral("text \"%1\"").arg(text.trimmed());
  return parts.join(QStringLiteral(", "));
}

QString AuditQuery::exportFileName() const
{
  const QString first = from.isValid() ? from.toString(QStringLiteral("yyyyMMdd")) : QStringLiteral("start");
  const QString last = (to.isValid() ? to : QDate::currentDate()).toString(QStringLiteral("yyyyMMdd"));
  return QStringLiteral("audit-%1-%2.csv").arg(first, last);
}

AuditService::AuditService(const store::StoreLocation &location, audit::Actor viewer)
  : mDb(std::make_unique<store::Database>(location))
  , mViewer(std::move(viewer))
{
}

AuditService::~AuditService() = default;

AuditPage AuditService::page(const AuditQuery &query, qint64 beforeId, int limit, bool record)
{
  AuditPage out;
  try
  {
    audit::AuditLog log(*mDb);
    const audit::Filter f = query.filter();
    if (!f.action.empty() && !audit::isKnownAction(f.action))
      throw std::invalid_argument("'" + f.action + "' is not an audit action");
    // One more than shown: whether an older page exists.
    auto rows = log.page(f, beforeId, limit + 1);
    out.more = static_cast<int>(rows.size()) > limit;
    if (out.more)
      rows.pop_back();
    for (const auto &r : rows)
      out.rows.push_back(view(r));
    if (record)
    {
      audit::Entry e;
      e.actor = mViewer;
      e.action = "audit_view";
      e.object = "audit_log";
      e.detail = str(query.describe());
      log.record(e);
    }
  }
  catch (const std::exception &e)
  {
    out.error = QString::fromUtf8(e.what());
  }
  return out;
}

AuditVerifyResult AuditService::verify()
{
  AuditVerifyResult out;
  try
  {
    const audit::VerifyReport report = audit::AuditLog(*mDb).verify();
    out.ok = report.ok();
    out.rows = report.rows;
    out.firstId = report.startId;
    out.lastId = report.lastId;
    if (report.problem)
    {
      out.badId = report.problem->id;
      out.badAt = shownTime(report.problem->at);
      out.kind = QString::fromStdString(report.problem->kind);
      out.what = QString::fromStdString(report.problem->what);
    }
    else
      for (const auto &c : report.seals)
        if (!c.holds)
        {
          out.kind = QStringLiteral("seal");
          out.what = QString::fromStdString(c.seal.kind + " " + std::to_string(c.seal.id) + ": " + c.note);
          break;
        }
  }
  catch (const std::exception &e)
  {
    out.error = QString::fromUtf8(e.what());
  }
  return out;
}

AuditExportResult AuditService::exportCsv(const AuditQuery &query, const QString &file)
{
  AuditExportResult out;
  out.file = file;
  try
  {
    std::ofstream sink(QFile::encodeName(file).toStdString(), std::ios::binary | std::ios::trunc);
    if (!sink)
      throw std::runtime_error("cannot write " + str(file));
    sink << "id,at,actor_id,actor_name,host,action,object,detail,outcome,reason,link\n";
    audit::AuditLog log(*mDb);
    log.forEach(query.filter(), [&](const audit::Row &r) {
      sink << r.id << ',' << r.at << ',' << core::csvField(r.actorId) << ',' << core::csvField(r.actorName) << ','
           << core::csvField(r.host) << ',' << r.action << ',' << core::csvField(r.object) << ','
           << core::csvField(r.detail) << ',' << r.outcome << ',' << core::csvField(r.reason) << ','
           << audit::hex(r.link) << '\n';
      ++out.rows;
    });
    sink.close();
    if (!sink)
      throw std::runtime_error("cannot write " + str(file));
    audit::Entry e;
    e.actor = mViewer;
    e.action = "audit_export";
    e.object = str(file);
    e.detail = std::to_string(out.rows) + " row(s): " + str(query.describe());
    log.record(e);
  }
  catch (const std::exception &e)
  {
    out.error = QString::fromUtf8(e.what());
  }
  return out;
}

} // namespace gd::console
