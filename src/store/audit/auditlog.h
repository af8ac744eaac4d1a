#pragma once
// The audit trail (issue 17, GB/T 22239-2019 §8.1.4 安全审计): who did what, when, from which
// seat, and with what outcome, in an append-only table on both backends.
//
// Tamper evidence, in three layers:
//  - Append-only in the database: audit_log and audit_seals refuse UPDATE and DELETE (triggers
//    on both backends, TRUNCATE too on PostgreSQL, where UPDATE and TRUNCATE are also revoked
//    from the store's role). The one exception is an archive: rows at or below the newest
//    archive anchor may be deleted, because they were just written to the archive file.
//  - A hash chain with SM3: row n's link = SM3(link of row n-1 || its fields, each
//    length-prefixed, its id first). Ids are dense (1, 2, 3 …), so an edited row, a deleted
//    one (a gap, or the later rows renumbered) and an inserted one each break the chain at that
//    row; verify() names it.
//  - Seals: a row of audit_seals holding (through id, the chain value there, time) and an
//    HMAC-SM3 under a key the audit administrator keeps outside the database (a key file). The
//    seal's MAC also covers the previous seal's MAC. Someone who can write the database but
//    lacks the key can recompute the chain, but not a seal: with the key, verify() catches a
//    rewritten chain up to the newest seal, and rows deleted from the tail below a seal (the
//    log ends before the seal's through id). Rows after the newest seal can be cut away, with
//    that seal kept, without a trace in the database: the docs say so, and sealing often (and
//    keeping the printed seal lines) narrows that window.

#include "core/timeutil.h"
#include "store/audit/sm3.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gd::store {
class Database;
}

namespace gd::store::audit {

//! Done, refused (by a rule, a permission, a check), or failed (an error).
enum class Outcome { Ok, Refused, Failed };
std::string_view outcomeName(Outcome outcome);

//! Who acted: an account (id and display name) or, for griddispatch-ctl, the OS user; and the seat's host.
struct Actor
{
    std::string id;
    std::string name;
    std::string host;
};

//! One thing to record.
struct Entry
{
    Actor actor;
    std::string action; //!< from actions()
    std::string object; //!< what it was done to: a device id, a case number, a file …
    std::string detail;
    Outcome outcome = Outcome::Ok;
    std::string reason; //!< why it was refused or failed
    std::optional<core::TimePoint> at; //!< when; now when empty
};

//! The fixed vocabulary of actions; a case action is "case_" and the case event's action.
const std::vector<std::string_view> &actions();
bool isKnownAction(std::string_view action);

//! One stored row.
struct Row
{
    std::int64_t id = 0;
    std::string at;
    std::string actorId;
    std::string actorName;
    std::string host;
    std::string action;
    std::string object;
    std::string detail;
    std::string outcome;
    std::string reason;
    Digest link{};
};

//! The link of \a row after \a previous (the chain; see the file comment). \a h is reused.
Digest link(Sm3 &h, const Digest &previous, const Row &row);
//! The link before row 1.
Digest genesis();

//! A seal or an archive anchor.
struct Seal
{
    std::int64_t id = 0;
    std::string kind; //!< "seal" or "archive"
    std::int64_t throughId = 0;
    Digest chain{};
    std::string at;
    std::string sealedBy;
    std::string archive; //!< the archive file (kind "archive")
    Digest mac{};
};

struct Filter
{
    std::optional<core::TimePoint> from; //!< at or after
    std::optional<core::TimePoint> to;   //!< before
    std::string actor;                   //!< account id, display name or OS user
    std::string action;
    std::string outcome; //!< "ok", "refused" or "failed"; empty: any
    std::string text;    //!< a substring of the actor, action, subject, detail or reason; empty: any
    std::int64_t limit = 0; //!< 0: all
};

struct Problem
{
    std::int64_t id = 0; //!< the first row that is wrong
    std::string at;      //!< its time (or, for deleted rows, the time of the row after the gap)
    std::string kind;    //!< "edited", "deleted", "inserted", "truncated"
    std::string what;    //!< a sentence for the administrator
};

struct SealCheck
{
    Seal seal;
    bool holds = false;
    std::string note; //!< why it does not hold, or "" when it does
};

struct VerifyReport
{
    std::int64_t startId = 1;   //!< the first row the live log should hold (after the newest archive)
    std::int64_t lastId = 0;    //!< the last row it holds
    std::int64_t rows = 0;      //!< rows read
    bool keyChecked = false;    //!< seals' MACs checked under a key
    std::optional<Problem> problem;
    std::vector<SealCheck> seals;
    std::vector<std::string> notes; //!< not failures: rows after the newest seal, no key given …
    bool ok() const;
};

struct ArchiveResult
{
    std::int64_t firstId = 0;
    std::int64_t throughId = 0; //!< 0 when nothing was old enough
    std::filesystem::path file;
};

//! The least age of a row an archive may move out of the live log (GB/T 22239: ≥ 6 months).
inline constexpr int kRetentionDays = 180;

class AuditLog
{
  public:
    explicit AuditLog(Database &db);

    /**
     * Appends \a entry; returns its id. Inside the caller's transaction when one is open (so the
     * row commits or rolls back with what it records), else in one of its own. Throws
     * std::invalid_argument for an action outside actions().
     */
    std::int64_t record(const Entry &entry);

    std::vector<Row> list(const Filter &filter);
    /**
     * One page of \a filter's rows, newest first: those with an id below \a beforeId (0: from the
     * newest), at most \a limit. Keyset paging on the id: a page of millions of rows costs what
     * the first does (no OFFSET).
     */
    std::vector<Row> page(const Filter &filter, std::int64_t beforeId, int limit);
    //! Every row matching \a filter, in id order, without holding them all (export).
    void forEach(const Filter &filter, const std::function<void(const Row &)> &visit);
    std::vector<Seal> seals();

    /**
     * Walks the chain from the newest archive anchor (or row 1) and names the first row that
     * is wrong; checks each seal's chain value, and with \a key each seal's MAC.
     */
    VerifyReport verify(const std::optional<std::string> &key = std::nullopt);

    /**
     * Seals the log as it stands: records an audit_seal row by \a by, then a seal through it.
     * Refused (StoreRefusal) when the chain does not verify under \a key.
     */
    Seal seal(const std::string &key, const Actor &by);

    /**
     * Seals when the newest seal is older than \a every and rows came since: what a gateway or
     * console does on its schedule. Returns whether it sealed.
     */
    bool sealIfDue(const std::string &key, const Actor &by, std::chrono::seconds every);

    /**
     * Moves the rows older than \a before into the new file \a out (an SQLite file holding them
     * with their links and the link before the first), then, in one transaction, records an
     * audit_archive row, an archive anchor (MAC under \a key) and deletes the archived rows.
     * Refused when \a before is younger than kRetentionDays at \a now, when the live chain does
     * not verify, or when \a out exists.
     */
    ArchiveResult archive(core::TimePoint before, const std::filesystem::path &out, const std::string &key,
                          const Actor &by, core::TimePoint now);

  private:
    Database &mDb;
};

/**
 * Verifies an archive file: its rows' chain from the link it starts after, and, when \a live is
 * given, that the live log's anchor for it holds the same chain value at the same row.
 */
VerifyReport verifyArchive(const std::filesystem::path &file, Database *live, const std::optional<std::string> &key);

//! Writes a new key (32 random bytes as hex) to \a path, mode 0600; refuses an existing file.
void writeNewKey(const std::filesystem::path &path);
//! Reads a key file; refuses one readable by group or others.
std::string readKey(const std::filesystem::path &path);

//! The OS user (login name; the full name from the password database) and this host.
Actor osActor();
//! This machine's name, the audit rows' host ("?" when it cannot be read).
std::string thisHost();

/**
 * What one seat (a console) records: its steps under the logged-in account (or the operator
 * name a store without accounts runs under) on this host, the account's display name looked up
 * once. record() writes in the connection's open transaction when there is one (the step and its
 * row commit or roll back together), else in one of its own.
 */
class SeatAudit
{
  public:
    SeatAudit(Database &db, std::string actorId);

    void record(const std::string &action, const std::string &object, const std::string &detail,
                Outcome outcome = Outcome::Ok, const std::string &reason = {});
    //! record() of something that did not happen, never throwing: a failure to record is said on
    //! standard error (the operator hears of the refusal anyway).
    void recordQuietly(const std::string &action, const std::string &object, const std::string &reason,
                       Outcome outcome = Outcome::Refused) noexcept;

    const std::string &host() const { return mActor.host; }

  private:
    Database &mDb;
    Actor mActor;
    bool mNamed = false;
};

} // namespace gd::store::audit
