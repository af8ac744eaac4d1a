#include "store/audit/auditlog.h"

#include "store/accounts/accountstore.h"

#include "store/database.h"
#include "store/storeerror.h"
#include "store/timetext.h"

#include <openssl/rand.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <limits>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <thread>
#include <mutex>
#include <exception>
#include <deque>
#include <condition_variable>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>

namespace gd::store::audit {

namespace {

constexpr const char *kColumns = "id, at, actor_id, actor_name, host, action, object, detail, outcome, reason, link";
//! Rows read per query by the walk: bounded memory on PostgreSQL, whose results arrive whole.
constexpr std::int64_t kPage = 50000;

Row readRow(Statement &s)
{
  Row r;
  r.id = s.columnInt(0);
  r.at = s.columnText(1);
  r.actorId = s.columnText(2);
  r.actorName = s.columnText(3);
  r.host = s.columnText(4);
  r.action = s.columnText(5);
  r.object = s.columnText(6);
  r.detail = s.columnText(7);
  r.outcome = s.columnText(8);
  r.reason = s.columnText(9);
  const std::vector<std::uint8_t> blob = s.columnBlob(10);
  if (!fromBytes(blob.data(), blob.size(), r.link))
    r.link.fill(0); // a link of the wrong size never matches: the walk names the row
  return r;
}

std::vector<std::uint8_t> bytes(const Digest &d)
{
  return {d.begin(), d.end()};
}

Seal readSeal(Statement &s)
{
  Seal out;
  out.id = s.columnInt(0);
  out.kind = s.columnText(1);
  out.throughId = s.columnInt(2);
  const auto chain = s.columnBlob(3);
  if (!fromBytes(chain.data(), chain.size(), out.chain))
    out.chain.fill(0);
  out.at = s.columnText(4);
  out.sealedBy = s.columnText(5);
  out.archive = s.columnText(6);
  const auto mac = s.columnBlob(7);
  if (!fromBytes(mac.data(), mac.size(), out.mac))
    out.mac.fill(0);
  return out;
}

// What a seal's MAC covers: all its fields and the MAC of the seal before it, so a seal taken
// out of the middle breaks the next one's MAC.
Digest sealMac(const std::string &key, const Seal &s, const Digest &previousMac)
{
  std::string m;
  const auto number = [&m](std::int64_t v) {
    for (int i = 0; i < 8; ++i)
      m += static_cast<char>(static_cast<std::uint64_t>(v) >> (56 - 8 * i));
  };
  const auto field = [&](std::string_view text) {
    number(static_cast<std::int64_t>(text.size()));
    m.append(text);
  };
  field("GridDispatch audit seal");
  number(s.id);
  field(s.kind);
  number(s.throughId);
  m.append(reinterpret_cast<const char *>(s.chain.data()), s.chain.size());
  field(s.at);
  field(s.sealedBy);
  field(s.archive);
  m.append(reinterpret_cast<const char *>(previousMac.data()), previousMac.size());
  return hmacSm3(key, m);
}

std::string rangeText(std::int64_t first, std::int64_t last)
{
  return first == last ? "row " + std::to_string(first) : "rows " + std::to_string(first) + "–" + std::to_string(last);
}

// Why \a row (whose link does not follow \a previous, the stored link of the row before it)
// is wrong, judged by the row after it.
Problem diagnose(Database &db, const std::string &next, const Row &row, const Digest &previous)
{
  Sm3 h;
  std::optional<Row> after;
  {
    auto n = db.query(next);
    n.bindAll(row.id);
    if (n.step())
      after = readRow(*n);
  }
  const auto follows = [&](const Digest &before, const Row &r, std::int64_t asId) {
    Row moved = r;
    moved.id = asId;
    return link(h, before, moved) == r.link;
  };
  // Rows deleted and the later ones renumbered down: the row after still follows this
  // one's stored link, under its old id (up to kRenumbered rows taken out).
  constexpr std::int64_t kRenumbered = 16;
  std::int64_t removed = 0;
  if (after && !follows(row.link, *after, after->id))
    for (std::int64_t d = 1; d <= kRenumbered && !removed; ++d)
      if (follows(row.link, *after, after->id + d))
        removed = d;
  Problem p{row.id, row.at, "", ""};
  const std::string self = "row " + std::to_string(row.id) + " (" + row.at + ", " + row.action + ")";
  if (removed)
  {
    p.kind = "deleted";
    p.what = rangeText(row.id, row.id + removed - 1) + " missing (deleted): the row now numbered " +
             std::to_string(row.id) + " (" + row.at + ", " + row.action + ") was row " +
             std::to_string(row.id + removed) + ", the later rows renumbered";
  }
  else if (after && follows(row.link, *after, after->id))
  {
    p.kind = "edited";
    p.what = self + " was edited: its fields no longer give the link stored with it";
  }
  else if (after && follows(previous, *after, row.id))
  {
    p.kind = "inserted";
    p.what = self + " was inserted: the row after it follows row " + std::to_string(row.id - 1) +
             " (it was row " + std::to_string(row.id) + " before the later rows were renumbered)";
  }
  else if (!after)
  {
    p.kind = "inserted";
    p.what = self + " does not follow row " + std::to_string(row.id - 1) +
             ": added at the end without the program, or edited together with its link";
  }
  else
  {
    p.kind = "edited";
    p.what = self + " does not follow row " + std::to_string(row.id - 1) +
             ": edited together with its link, or rows inserted or deleted around it";
  }
  return p;
}

/**
 * The walk over a chain in \a table of \a db from row \a start after \a previous: stops at the
 * first row that is wrong and writes it into \a report (rows, lastId too). \a onRow hears each
 * row whose link holds (on another thread). Returns the last good link.
 *
 * Each row's link is checked against the stored link of the row before it, which up to the
 * first wrong row is the computed one: so reading a page (on this thread) and hashing the one
 * before (on a second) overlap, and verify costs about the larger of the two, not their sum.
 */
Digest walkChain(Database &db, const std::string &table, std::int64_t start, Digest previous, VerifyReport &report,
                 const std::function<void(const Row &)> &onRow)
{
  report.lastId = start - 1;
  // The table name is "audit_log" (live or archive file), never input.
  const std::string page = std::string("SELECT ") + kColumns + " FROM " + table + " WHERE id >= ? ORDER BY id LIMIT ?";
  const std::string next = std::string("SELECT ") + kColumns + " FROM " + table + " WHERE id > ? ORDER BY id LIMIT 1";

  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::vector<Row>> pages;
  bool done = false;
  bool stop = false;
  std::exception_ptr failure;
  std::optional<Row> wrong;     // the first row whose link does not follow
  std::optional<Row> afterGap;  // the first row after missing ids
  std::int64_t expected = start;
  Digest last = previous;

  std::thread hasher([&] {
    try
    {
      Sm3 h;
      for (;;)
      {
        std::vector<Row> rows;
        {
          std::unique_lock lock(mutex);
          changed.wait(lock, [&] { return !pages.empty() || done; });
          if (pages.empty())
            return;
          rows = std::move(pages.front());
          pages.pop_front();
        }
        changed.notify_all();
        for (Row &row : rows)
        {
          if (row.id != expected)
            afterGap = std::move(row);
          else if (link(h, last, row) != row.link)
            wrong = std::move(row);
          if (afterGap || wrong)
          {
            std::lock_guard lock(mutex);
            stop = true;
            break;
          }
          last = row.link;
          report.lastId = row.id;
          ++expected;
          if (onRow)
            onRow(row);
        }
        if (afterGap || wrong)
        {
          changed.notify_all();
          return;
        }
      }
    }
    catch (...)
    {
      {
        std::lock_guard lock(mutex);
        failure = std::current_exception();
        stop = true;
      }
      changed.notify_all();
    }
  });
  const auto finish = [&] {
    {
      std::lock_guard lock(mutex);
      done = true;
    }
    changed.notify_all();
    hasher.join();
  };
  try
  {
    std::int64_t from = start;
    for (;;)
    {
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return pages.size() < 2 || stop; });
        if (stop)
          break;
      }
      std::vector<Row> rows;
      rows.reserve(static_cast<std::size_t>(kPage));
      {
        auto q = db.query(page);
        q.bindAll(from, kPage);
        while (q.step())
          rows.push_back(readRow(*q));
      }
      const bool full = static_cast<std::int64_t>(rows.size()) == kPage;
      if (!rows.empty())
        from = rows.back().id + 1;
      report.rows += static_cast<std::int64_t>(rows.size());
      {
        std::lock_guard lock(mutex);
        pages.push_back(std::move(rows));
      }
      changed.notify_all();
      if (!full)
        break;
    }
  }
  catch (...)
  {
    {
      std::lock_guard lock(mutex);
      stop = true;
    }
    finish();
    throw;
  }
  finish();
  if (failure)
    std::rethrow_exception(failure);
  if (afterGap)
    report.problem = Problem{expected, afterGap->at, "deleted",
                             rangeText(expected, afterGap->id - 1) + " missing (deleted): row " +
                               std::to_string(afterGap->id) + " of " + afterGap->at + " follows row " +
                               std::to_string(expected - 1)};
  else if (wrong)
    report.problem = diagnose(db, next, *wrong, last);
  return last;
}

// Each seal's MAC under \a key, in id order, with seals missing from the sequence named.
void checkSealMacs(std::vector<SealCheck> &checks, const std::optional<std::string> &key)
{
  Digest previousMac{};
  std::int64_t expected = 1;
  for (SealCheck &c : checks)
  {
    c.holds = true;
    if (c.seal.id != expected)
    {
      c.holds = false;
      c.note = "seal " + rangeText(expected, c.seal.id - 1) + " before it missing (deleted)";
    }
    else if (key && sealMac(*key, c.seal, previousMac) != c.seal.mac)
    {
      c.holds = false;
      c.note = "its MAC does not match under this key (a wrong key, or the seal was forged or altered)";
    }
    previousMac = c.seal.mac;
    expected = c.seal.id + 1;
  }
}

struct Last
{
    std::int64_t id = 0;
    Digest link{};
};

// The row the next one follows: the newest row, else the newest archive anchor, else nothing.
Last lastLink(Database &db)
{
  {
    auto q = db.query("SELECT id, link FROM audit_log ORDER BY id DESC LIMIT 1");
    if (q.step())
    {
      Last l;
      l.id = q->columnInt(0);
      const auto blob = q->columnBlob(1);
      if (!fromBytes(blob.data(), blob.size(), l.link))
        throw StoreError(0, "audit_log row " + std::to_string(l.id) + " has no valid link: run 'griddispatch-ctl audit verify'");
      return l;
    }
  }
  auto a = db.query("SELECT through_id, chain FROM audit_seals WHERE kind = 'archive' ORDER BY id DESC LIMIT 1");
  if (a.step())
  {
    Last l;
    l.id = a->columnInt(0);
    const auto blob = a->columnBlob(1);
    fromBytes(blob.data(), blob.size(), l.link);
    return l;
  }
  return Last{0, genesis()};
}

// Where the live log starts: after the newest archive anchor, or at row 1.
std::pair<std::int64_t, Digest> liveStart(const std::vector<Seal> &seals)
{
  std::int64_t start = 1;
  Digest previous = genesis();
  for (const Seal &s : seals)
    if (s.kind == "archive" && s.throughId + 1 > start)
    {
      start = s.throughId + 1;
      previous = s.chain;
    }
  return {start, previous};
}

std::string filterSql(const Filter &f, std::vector<std::string> &args)
{
  std::string where;
  const auto add = [&where](const std::string &clause) { where += (where.empty() ? " WHERE " : " AND ") + clause; };
  if (f.from)
  {
    add("at >= ?");
    args.push_back(toDbTime(*f.from));
  }
  if (f.to)
  {
    add("at < ?");
    args.push_back(toDbTime(*f.to));
  }
  if (!f.actor.empty())
  {
    add("(actor_id = ? OR actor_name = ?)");
    args.push_back(f.actor);
    args.push_back(f.actor);
  }
  if (!f.action.empty())
  {
    add("action = ?");
    args.push_back(f.action);
  }
  if (!f.outcome.empty())
  {
    add("outcome = ?");
    args.push_back(f.outcome);
  }
  if (!f.text.empty())
  {
    // LIKE on both backends, the text's own % _ and \ escaped: it is found as it is typed.
    std::string escaped;
    for (const char c : f.text)
    {
      if (c == '%' || c == '_' || c == '\\')
        escaped += '\\';
      escaped += c;
    }
    std::string clause = "(";
    for (const char *column : {"actor_id", "actor_name", "action", "object", "detail", "reason"})
    {
      clause += std::string(clause.size() > 1 ? " OR " : "") + column + " LIKE '%' || ? || '%' ESCAPE '\\'";
      args.push_back(escaped);
    }
    add(clause + ")");
  }
  return where;
}


//! Appends a seal (or an archive anchor) after \a seals, its MAC chained to the last one's.
Seal appendSeal(Database &db, const std::string &key, const std::vector<Seal> &seals, const std::string &kind,
                std::int64_t throughId, const Digest &chain, const std::string &sealedBy, const std::string &archive)
{
  Seal s;
  s.id = seals.empty() ? 1 : seals.back().id + 1;
  s.kind = kind;
  s.throughId = throughId;
  s.chain = chain;
  s.at = toDbTime(nowUtc());
  s.sealedBy = sealedBy;
  s.archive = archive;
  s.mac = sealMac(key, s, seals.empty() ? Digest{} : seals.back().mac);
  auto q = db.query("INSERT INTO audit_seals (id, kind, through_id, chain, at, sealed_by, archive, mac) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  q.bindAll(s.id, s.kind, s.throughId);
  q->bindBlob(4, bytes(s.chain));
  q->bind(5, s.at);
  q->bind(6, s.sealedBy);
  q->bind(7, s.archive);
  q->bindBlob(8, bytes(s.mac));
  q.run();
  return s;
}

} // namespace

std::string_view outcomeName(Outcome outcome)
{
  switch (outcome)
  {
    case Outcome::Ok: return "ok";
    case Outcome::Refused: return "refused";
    case Outcome::Failed: return "failed";
  }
  return "failed";
}

const std::vector<std::string_view> &actions()
{
  static const std::vector<std::string_view> list = {
    "login_ok", "login_failed", "logout", "lock", "unlock",
    "account_create", "account_change", "account_disable", "account_enable", "account_unlock", "account_password",
    "role_grant", "role_revoke", "config_change",
    "device_add", "device_revoke", "seat_add", "seat_disable",
    "grid_import", "case_import", "calendar_import", "export", "unmask",
    "supervision_change", "emergency_change", "store_copy",
    "audit_seal", "audit_archive", "audit_export", "audit_view",
    "store_backup", "store_restore",
  };
  return list;
}

bool isKnownAction(std::string_view action)
{
  if (action.size() > 5 && action.substr(0, 5) == "case_")
    return true; // case_<event action>: the case events' own vocabulary (core)
  const auto &list = actions();
  return std::find(list.begin(), list.end(), action) != list.end();
}

Digest genesis()
{
  Sm3 h;
  h.field("GridDispatch audit log");
  return h.finish();
}

Digest link(Sm3 &h, const Digest &previous, const Row &row)
{
  h.raw(previous);
  h.number(row.id);
  h.field(row.at);
  h.field(row.actorId);
  h.field(row.actorName);
  h.field(row.host);
  h.field(row.action);
  h.field(row.object);
  h.field(row.detail);
  h.field(row.outcome);
  h.field(row.reason);
  return h.finish();
}

bool VerifyReport::ok() const
{
  if (problem)
    return false;
  return std::all_of(seals.begin(), seals.end(), [](const SealCheck &c) { return c.holds; });
}

AuditLog::AuditLog(Database &db)
  : mDb(db)
{
}

std::int64_t AuditLog::record(const Entry &entry)
{
  if (!isKnownAction(entry.action))
    throw std::invalid_argument("audit: unknown action '" + entry.action + "'");
  std::unique_ptr<Transaction> own;
  if (!mDb.inTransaction())
    own = std::make_unique<Transaction>(mDb);
  const Last last = lastLink(mDb);
  Row r;
  r.id = last.id + 1;
  r.at = toDbTime(entry.at.value_or(nowUtc()));
  r.actorId = entry.actor.id;
  r.actorName = entry.actor.name;
  r.host = entry.actor.host;
  r.action = entry.action;
  r.object = entry.object;
  r.detail = entry.detail;
  r.outcome = std::string(outcomeName(entry.outcome));
  r.reason = entry.reason;
  thread_local Sm3 h;
  r.link = link(h, last.link, r);
  auto q = mDb.query("INSERT INTO audit_log (id, at, actor_id, actor_name, host, action, object, detail, outcome, reason, "
                     "link) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q.bindAll(r.id, r.at, r.actorId, r.actorName, r.host, r.action, r.object, r.detail, r.outcome, r.reason);
  q->bindBlob(11, bytes(r.link));
  q.run();
  if (own)
    own->commit();
  return r.id;
}

void AuditLog::forEach(const Filter &filter, const std::function<void(const Row &)> &visit)
{
  std::vector<std::string> args;
  const std::string where = filterSql(filter, args);
  std::int64_t after = 0;
  std::int64_t left = filter.limit > 0 ? filter.limit : -1;
  // Paged by id, so an export of millions of rows holds one page at a time.
  const std::string sql = std::string("SELECT ") + kColumns + " FROM audit_log" + where +
                          (where.empty() ? " WHERE " : " AND ") + "id > ? ORDER BY id LIMIT ?";
  for (;;)
  {
    auto q = mDb.query(sql);
    int index = 0;
    for (const std::string &a : args)
      q->bind(++index, a);
    q->bind(++index, after);
    q->bind(++index, left < 0 ? kPage : std::min(left, kPage));
    std::int64_t read = 0;
    while (q.step())
    {
      const Row row = readRow(*q);
      after = row.id;
      ++read;
      visit(row);
    }
    if (left > 0)
      left -= read;
    if (read < kPage || left == 0)
      return;
  }
}

std::vector<Row> AuditLog::list(const Filter &filter)
{
  std::vector<Row> out;
  forEach(filter, [&out](const Row &r) { out.push_back(r); });
  return out;
}

std::vector<Row> AuditLog::page(const Filter &filter, std::int64_t beforeId, int limit)
{
  std::vector<std::string> args;
  const std::string where = filterSql(filter, args);
  const std::string sql = std::string("SELECT ") + kColumns + " FROM audit_log" + where +
                          (where.empty() ? " WHERE " : " AND ") + "id < ? ORDER BY id DESC LIMIT ?";
  auto q = mDb.query(sql);
  int index = 0;
  for (const std::string &a : args)
    q->bind(++index, a);
  q->bind(++index, beforeId > 0 ? beforeId : std::numeric_limits<std::int64_t>::max());
  q->bind(++index, static_cast<std::int64_t>(std::max(limit, 1)));
  std::vector<Row> out;
  while (q.step())
    out.push_back(readRow(*q));
  return out;
}

std::vector<Seal> AuditLog::seals()
{
  std::vector<Seal> out;
  auto q = mDb.query("SELECT id, kind, through_id, chain, at, sealed_by, archive, mac FROM audit_seals ORDER BY id");
  while (q.step())
    out.push_back(readSeal(*q));
  return out;
}

VerifyReport AuditLog::verify(const std::optional<std::string> &key)
{
  VerifyReport report;
  // One snapshot: a log being appended to is verified as of one moment.
  Transaction snapshot(mDb, Transaction::Kind::Deferred);
  const std::vector<Seal> seals = this->seals();
  for (const Seal &s : seals)
    report.seals.push_back(SealCheck{s, true, ""});
  checkSealMacs(report.seals, key);
  report.keyChecked = key.has_value();
  const auto [start, previous] = liveStart(seals);
  report.startId = start;

  std::multimap<std::int64_t, SealCheck *> byThrough;
  for (SealCheck &c : report.seals)
    if (c.seal.throughId >= start || (c.seal.kind == "archive" && c.seal.throughId == start - 1))
      byThrough.emplace(c.seal.throughId, &c);
  // The anchor the live log starts from: its chain value is where the walk begins.
  walkChain(mDb, "audit_log", start, previous, report, [&byThrough](const Row &row) {
    const auto [first, last] = byThrough.equal_range(row.id);
    for (auto it = first; it != last; ++it)
      if (it->second->seal.chain != row.link && it->second->holds)
      {
        it->second->holds = false;
        it->second->note = "its chain value differs from row " + std::to_string(row.id) + "'s link";
      }
  });
  snapshot.commit();

  for (SealCheck &c : report.seals)
  {
    if (c.seal.throughId < start || (c.seal.kind == "archive" && c.seal.throughId == start - 1))
      continue; // covers archived rows: its MAC is what can be checked
    if (report.problem && c.seal.throughId >= report.problem->id)
    {
      if (c.holds)
      {
        c.holds = false;
        c.note = "the chain breaks at row " + std::to_string(report.problem->id) + ", before its row " +
                 std::to_string(c.seal.throughId);
      }
    }
    else if (!report.problem && c.seal.throughId > report.lastId)
    {
      c.holds = false;
      c.note = "the log ends at row " + std::to_string(report.lastId) + ", before its row " + std::to_string(c.seal.throughId);
      if (!report.problem || report.problem->id > report.lastId + 1)
        report.problem = Problem{report.lastId + 1, c.seal.at, "truncated",
                                 rangeText(report.lastId + 1, c.seal.throughId) +
                                   " missing (deleted from the end): seal " + std::to_string(c.seal.id) + " of " +
                                   c.seal.at + " covers the log through row " + std::to_string(c.seal.throughId)};
    }
  }
  if (!key && !report.seals.empty())
    report.notes.push_back("seal MACs not checked (no key given): a chain recomputed by hand would pass; give --key");
  std::int64_t sealedThrough = start - 1;
  for (const SealCheck &c : report.seals)
    sealedThrough = std::max(sealedThrough, c.seal.throughId);
  if (!report.problem && report.lastId > sealedThrough)
    report.notes.push_back(rangeText(sealedThrough + 1, report.lastId) +
                           " after the newest seal: rows cut from the end of the log after a seal leave no trace");
  return report;
}

Seal AuditLog::seal(const std::string &key, const Actor &by)
{
  Transaction tx(mDb);
  const std::vector<Seal> seals = this->seals();
  std::vector<SealCheck> checks;
  for (const Seal &s : seals)
    checks.push_back(SealCheck{s, true, ""});
  checkSealMacs(checks, key);
  for (const SealCheck &c : checks)
    if (!c.holds)
      throw StoreRefusal("audit_seal_invalid", "seal " + std::to_string(c.seal.id) + " of " + c.seal.at + ": " + c.note +
                                                 "; nothing was sealed");
  // Only the rows since the newest seal are walked (the write lock is held): the seal's chain
  // value is where they continue.
  auto [start, previous] = liveStart(seals);
  if (!seals.empty() && seals.back().throughId >= start)
  {
    const Seal &newest = seals.back();
    auto q = mDb.query("SELECT link FROM audit_log WHERE id = ?");
    q.bindAll(newest.throughId);
    Digest there{};
    bool holds = false;
    if (q.step())
    {
      const auto blob = q->columnBlob(0);
      holds = fromBytes(blob.data(), blob.size(), there) && there == newest.chain;
    }
    if (!holds)
      throw StoreRefusal("audit_chain_broken", "row " + std::to_string(newest.throughId) + " does not hold the chain value seal " +
                                                 std::to_string(newest.id) + " recorded: run 'griddispatch-ctl audit verify'; "
                                                 "nothing was sealed");
    start = newest.throughId + 1;
    previous = newest.chain;
  }
  VerifyReport walked;
  walkChain(mDb, "audit_log", start, previous, walked, {});
  if (walked.problem)
    throw StoreRefusal("audit_chain_broken", walked.problem->what + ": nothing was sealed");

  Entry e;
  e.actor = by;
  e.action = "audit_seal";
  e.object = "audit_log";
  const std::int64_t through = record(e);
  const Seal s = appendSeal(mDb, key, seals, "seal", through, lastLink(mDb).link, by.id, {});
  tx.commit();
  return s;
}

bool AuditLog::sealIfDue(const std::string &key, const Actor &by, std::chrono::seconds every)
{
  {
    auto q = mDb.query("SELECT at, through_id FROM audit_seals ORDER BY id DESC LIMIT 1");
    if (q.step())
    {
      const auto at = fromDbTime(q->columnText(0));
      const std::int64_t through = q->columnInt(1);
      if (at && nowUtc() - *at < every)
        return false;
      if (mDb.scalarInt("SELECT coalesce(max(id), 0) FROM audit_log") <= through)
        return false; // nothing new since
    }
    else if (mDb.scalarInt("SELECT count(*) FROM audit_log") == 0)
      return false;
  }
  seal(key, by);
  return true;
}

ArchiveResult AuditLog::archive(core::TimePoint before, const std::filesystem::path &out, const std::string &key,
                                const Actor &by, core::TimePoint now)
{
  const core::TimePoint youngest = now - std::chrono::hours(24 * kRetentionDays);
  if (before > youngest)
    throw StoreRefusal("audit_retention", "rows are kept in the live log for " + std::to_string(kRetentionDays) +
                                            " days: --before must be on or before " + toDbTime(youngest) +
                                            "; nothing was archived");
  if (std::filesystem::exists(out))
    throw StoreRefusal("audit_archive_exists", out.string() + " exists: an archive is always a new file; nothing was archived");
  const VerifyReport report = verify(key);
  if (report.problem)
    throw StoreRefusal("audit_chain_broken", "the live log does not verify (" + report.problem->what + "): nothing was archived");
  for (const SealCheck &c : report.seals)
    if (!c.holds)
      throw StoreRefusal("audit_seal_invalid", "seal " + std::to_string(c.seal.id) + ": " + c.note + "; nothing was archived");

  ArchiveResult result;
  result.file = out;
  result.firstId = report.startId;
  std::int64_t through = report.lastId;
  {
    auto q = mDb.query("SELECT min(id) FROM audit_log WHERE at >= ? AND id >= ?");
    q.bindAll(toDbTime(before), report.startId);
    if (q.step() && !q->isNull(0))
      through = std::min(through, q->columnInt(0) - 1);
  }
  if (through < report.startId)
    return result; // nothing old enough

  // The archive file: the rows with their links, and the link the first follows.
  const std::vector<Seal> seals = this->seals();
  const Digest previous = liveStart(seals).second;
  Digest throughLink{};
  try
  {
    Database file(out, Database::Mode::ReadWriteCreate);
    file.exec(R"sql(
CREATE TABLE archive_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at DATETIME NOT NULL,
  actor_id TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  host TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  detail TEXT NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT NOT NULL,
  link BLOB NOT NULL);
)sql");
    Transaction fileTx(file);
    auto rows = mDb.query(std::string("SELECT ") + kColumns + " FROM audit_log WHERE id >= ? AND id <= ? ORDER BY id");
    rows.bindAll(report.startId, through);
    while (rows.step())
    {
      const Row r = readRow(*rows);
      auto w = file.query("INSERT INTO audit_log (id, at, actor_id, actor_name, host, action, object, detail, outcome, "
                          "reason, link) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      w.bindAll(r.id, r.at, r.actorId, r.actorName, r.host, r.action, r.object, r.detail, r.outcome, r.reason);
      w->bindBlob(11, bytes(r.link));
      w.run();
      throughLink = r.link;
    }
    const std::pair<const char *, std::string> info[] = {
      {"format", "GridDispatch audit archive 1"},
      {"store", mDb.path().string()},
      {"first_id", std::to_string(report.startId)},
      {"previous_link", hex(previous)},
      {"through_id", std::to_string(through)},
      {"through_link", hex(throughLink)},
      {"before", toDbTime(before)},
      {"created_at", toDbTime(nowUtc())},
      {"created_by", by.id},
    };
    for (const auto &[k, v] : info)
      file.query("INSERT INTO archive_info (key, value) VALUES (?, ?)").bindAll(k, v).run();
    fileTx.commit();
  }
  catch (...)
  {
    std::error_code ignored;
    for (const char *suffix : {"", "-wal", "-shm", "-journal"})
      std::filesystem::remove(out.string() + suffix, ignored);
    throw;
  }

  try
  {
    Transaction tx(mDb);
    if (liveStart(this->seals()).first != report.startId)
      throw StoreRefusal("audit_archive_raced", "another archive ran meanwhile; nothing was archived");
    Entry e;
    e.actor = by;
    e.action = "audit_archive";
    e.object = out.filename().string();
    e.detail = rangeText(report.startId, through) + " before " + toDbTime(before);
    record(e);
    appendSeal(mDb, key, seals, "archive", through, throughLink, by.id, out.filename().string());
    // Allowed by the delete trigger only because the anchor above covers these rows.
    mDb.query("DELETE FROM audit_log WHERE id >= ? AND id <= ?").bindAll(report.startId, through).run();
    tx.commit();
  }
  catch (...)
  {
    std::error_code ignored;
    for (const char *suffix : {"", "-wal", "-shm", "-journal"})
      std::filesystem::remove(out.string() + suffix, ignored);
    throw;
  }
  result.throughId = through;
  return result;
}

VerifyReport verifyArchive(const std::filesystem::path &file, Database *live, const std::optional<std::string> &key)
{
  if (!std::filesystem::exists(file))
    throw StoreError(0, file.string() + ": no such archive file");
  Database db(file, Database::Mode::ReadOnly);
  std::map<std::string, std::string> info;
  {
    auto q = db.query("SELECT key, value FROM archive_info");
    while (q.step())
      info[q->columnText(0)] = q->columnText(1);
  }
  if (info["format"] != "GridDispatch audit archive 1")
    throw StoreError(0, file.string() + " is not a GridDispatch audit archive");
  VerifyReport report;
  report.startId = std::stoll(info["first_id"]);
  const std::int64_t through = std::stoll(info["through_id"]);
  Digest previous{};
  Digest throughLink{};
  if (!fromHex(info["previous_link"], previous) || !fromHex(info["through_link"], throughLink))
    throw StoreError(0, file.string() + ": archive_info has no valid links");
  const Digest last = walkChain(db, "audit_log", report.startId, previous, report, {});
  if (!report.problem && (report.lastId != through || last != throughLink))
    report.problem = Problem{report.lastId + 1, "", "truncated",
                             "the archive ends at row " + std::to_string(report.lastId) + ", not at row " +
                               std::to_string(through) + " with the link it records"};
  if (report.startId == 1 && previous != genesis() && !report.problem)
    report.problem = Problem{1, "", "edited", "row 1 does not start from the log's first link"};
  if (live)
  {
    AuditLog log(*live);
    std::vector<SealCheck> checks;
    for (const Seal &s : log.seals())
      checks.push_back(SealCheck{s, true, ""});
    checkSealMacs(checks, key);
    report.keyChecked = key.has_value();
    bool anchored = false;
    bool follows = report.startId == 1;
    for (SealCheck &c : checks)
    {
      if (c.seal.kind != "archive")
        continue;
      if (c.seal.throughId == through)
      {
        anchored = true;
        if (c.seal.chain != throughLink)
        {
          c.holds = false;
          c.note = "its chain value differs from the archive's last link";
        }
        report.seals.push_back(c);
      }
      if (c.seal.throughId == report.startId - 1 && c.seal.chain == previous)
        follows = true;
    }
    if (!anchored && !report.problem)
      report.problem = Problem{through, "", "deleted", "the live log has no archive anchor through row " + std::to_string(through)};
    if (!follows && !report.problem)
      report.problem = Problem{report.startId, "", "inserted",
                               "the archive does not start where an earlier archive of the live log ends"};
  }
  return report;
}

void writeNewKey(const std::filesystem::path &path)
{
  unsigned char raw[32];
  if (RAND_bytes(raw, sizeof raw) != 1)
    throw StoreError(0, "OpenSSL: no random bytes for a key");
  Digest d{};
  std::memcpy(d.data(), raw, sizeof raw);
  const std::string text = hex(d) + "\n";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    throw StoreError(0, path.string() + ": " + std::strerror(errno) + " (a key file is never overwritten)");
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced)
    throw StoreError(0, path.string() + ": the key could not be written");
}

std::string readKey(const std::filesystem::path &path)
{
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0)
    throw StoreError(0, path.string() + ": " + std::strerror(errno));
  if (st.st_mode & 077)
    throw StoreError(0, path.string() + " may be read by others (mode " + [&] {
      char mode[8];
      std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
      return std::string(mode);
    }() + "): the audit key must be the audit administrator's alone; chmod 600 it");
  std::ifstream in(path);
  std::string text;
  std::getline(in, text);
  Digest d{};
  if (!fromHex(text, d))
    throw StoreError(0, path.string() + " is not an audit key (64 hex digits, from 'griddispatch-ctl audit keygen')");
  return std::string(reinterpret_cast<const char *>(d.data()), d.size());
}

std::string thisHost()
{
  char host[256] = {};
  return ::gethostname(host, sizeof host - 1) == 0 ? std::string(host) : std::string("?");
}

Actor osActor()
{
  Actor a;
  if (const passwd *pw = ::getpwuid(::geteuid()))
  {
    a.id = pw->pw_name;
    const std::string gecos = pw->pw_gecos ? pw->pw_gecos : "";
    a.name = gecos.empty() || gecos.front() == ',' ? a.id : gecos.substr(0, gecos.find(','));
  }
  else
  {
    a.id = "uid " + std::to_string(::geteuid());
    a.name = a.id;
  }
  a.host = thisHost();
  return a;
}

SeatAudit::SeatAudit(Database &db, std::string actorId)
  : mDb(db)
{
  mActor.id = std::move(actorId);
  mActor.host = thisHost();
}

void SeatAudit::record(const std::string &action, const std::string &object, const std::string &detail,
                       Outcome outcome, const std::string &reason)
{
  if (!mNamed)
  {
    mActor.name = AccountStore::displayNameOf(mDb, mActor.id).value_or(mActor.id);
    mNamed = true;
  }
  Entry entry;
  entry.actor = mActor;
  entry.action = action;
  entry.object = object;
  entry.detail = detail;
  entry.outcome = outcome;
  entry.reason = reason;
  AuditLog(mDb).record(entry);
}

void SeatAudit::recordQuietly(const std::string &action, const std::string &object, const std::string &reason,
                              Outcome outcome) noexcept
{
  try
  {
    record(action, object, {}, outcome, reason);
  }
  catch (const std::exception &e)
  {
    std::fprintf(stderr, "griddispatch: the audit trail could not record a %s %s of %s: %s\n",
                 std::string(outcomeName(outcome)).c_str(), action.c_str(), object.c_str(), e.what());
  }
}

} // namespace gd::store::audit
