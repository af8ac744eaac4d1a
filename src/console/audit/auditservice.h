#pragma once
// The audit viewer's reads and writes of the store (issue 17, §8.1.4 安全审计: the audit
// administrator reads, checks and exports the trail), on a connection of its own that lives on a
// service thread (ServiceThread<AuditService>): the GUI never waits on the disk. What it reads
// comes back as Qt values; reading and exporting are themselves recorded (audit_view,
// audit_export) as the account at this seat.

#include "store/audit/auditlog.h"
#include "store/storelocation.h"

#include <QDate>
#include <QString>
#include <QVector>

#include <memory>

namespace gd::store {
class Database;
}

namespace gd::console {

//! The viewer's filters: a period of whole days (Beijing time), who, what, how it ended, free text.
struct AuditQuery
{
    QDate from;      //!< from this day's start; invalid: no lower bound
    QDate to;        //!< through this day's end; invalid: no upper bound
    QString actor;   //!< account id or name, OS user
    QString action;  //!< one of store::audit::actions(), or a case_ action; empty: any
    QString outcome; //!< ok, refused, failed; empty: any
    QString text;    //!< a substring of the actor, subject, detail or reason

    store::audit::Filter filter() const;
    //! What the filters are, for the audit_view / audit_export rows.
    QString describe() const;
    //! The export's file name, with the period: audit-20261101-20261207.csv.
    QString exportFileName() const;
};

struct AuditRowView
{
    qint64 id = 0;
    QString at; //!< Beijing time, yyyy-MM-dd HH:mm:ss
    QString actorId;
    QString actorName;
    QString host;
    QString action;
    QString subject;
    QString outcome;
    QString detail; //!< the detail, and the reason of a refusal or failure
};

struct AuditPage
{
    QVector<AuditRowView> rows; //!< newest first
    bool more = false;          //!< older rows match too
    QString error;
};

struct AuditVerifyResult
{
    bool ok = false;
    qint64 rows = 0;
    qint64 firstId = 0;
    qint64 lastId = 0;
    qint64 badId = 0; //!< the first row that is wrong (0: none)
    QString badAt;
    QString kind; //!< edited, deleted, inserted, truncated
    QString what;
    QString error;
};

struct AuditExportResult
{
    qint64 rows = 0;
    QString file;
    QString error;
};

class AuditService
{
  public:
    //! Opens its own connection to \a location; \a viewer is who the audit_view rows name.
    AuditService(const store::StoreLocation &location, store::audit::Actor viewer);
    ~AuditService();

    //! One page of \a query's rows older than \a beforeId (0: the newest); \a record: an audit_view row.
    AuditPage page(const AuditQuery &query, qint64 beforeId, int limit, bool record);
    AuditVerifyResult verify();
    //! Every row of \a query into \a file as CSV (the columns of `griddispatch-ctl audit export`).
    AuditExportResult exportCsv(const AuditQuery &query, const QString &file);

  private:
    std::unique_ptr<store::Database> mDb;
    store::audit::Actor mViewer;
};

} // namespace gd::console
