#include "store/schema.h"

#include "store/database.h"
#include "store/cases/eventchain.h"
#include "store/geopackage.h"
#include "store/postgres/pgschema.h"
#include "store/storeerror.h"

#include <sqlite3.h>

#include <array>
#include <condition_variable>
#include <limits>
#include <map>
#include <thread>
#include <mutex>
#include <set>
#include <optional>
#include <string>

namespace gd::store {

namespace {


// Revision 1: the GeoPackage core, grids, cases and their append-only events.
void revision1(Database &db)
{
  db.exec("PRAGMA application_id = 1196444487"); // 'GPKG'
  geopackage::createCoreTables(db);
  db.exec(R"sql(
CREATE TABLE gd_store_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO gd_store_info (key, value) VALUES ('application', 'GridDispatch');
)sql");
  for (const auto &[table, description] : kGridTables)
  {
    // The table names come from the constant list above, never from input.
    db.exec(std::string("CREATE TABLE ") + table + R"sql( (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  geom MULTIPOLYGON,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  parent_code TEXT,
  households INTEGER NOT NULL DEFAULT 0,
  leader_id TEXT,
  leader_name TEXT,
  leader_phone TEXT))sql");
    geopackage::registerFeatureTable(db, table, "MULTIPOLYGON", table, description);
  }

  // cases and case_events have no AUTOINCREMENT (it costs a sqlite_sequence update per row):
  // neither ever deletes a row, so rowids are never reused, which is what GeoPackage 1.2+
  // asks of a primary key without AUTOINCREMENT.
  db.exec(R"sql(
CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  geom POINT,
  number TEXT NOT NULL UNIQUE,
  category TEXT NOT NULL,
  state TEXT NOT NULL,
  priority TEXT NOT NULL,
  source TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  reporter_name TEXT,
  reporter_phone TEXT,
  lon REAL NOT NULL,
  lat REAL NOT NULL,
  grid_code TEXT,
  district_code TEXT,
  township_code TEXT,
  community_code TEXT,
  grid_level3_code TEXT,
  microgrid_code TEXT,
  responsible_grid TEXT,
  lead_dept TEXT,
  assisting_depts TEXT,
  worker_id TEXT,
  reported_at DATETIME NOT NULL,
  accepted_at DATETIME,
  assigned_at DATETIME,
  handled_at DATETIME,
  closed_at DATETIME,
  stage TEXT,
  stage_started_at DATETIME,
  warn_at DATETIME,
  deadline DATETIME,
  supervised INTEGER NOT NULL DEFAULT 0,
  urge_count INTEGER NOT NULL DEFAULT 0,
  satisfaction TEXT,
  merged_into TEXT,
  last_seq INTEGER NOT NULL,
  updated_at DATETIME NOT NULL);

CREATE TABLE case_events (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  seq INTEGER NOT NULL,
  action TEXT NOT NULL,
  actor TEXT NOT NULL,
  at DATETIME NOT NULL,
  from_state TEXT,
  to_state TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT '{}',
  UNIQUE (case_id, seq));

CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only: events cannot be updated'); END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only: events cannot be deleted'); END;

CREATE TABLE case_number_counters (
  admin_code TEXT NOT NULL,
  day TEXT NOT NULL,
  last INTEGER NOT NULL,
  PRIMARY KEY (admin_code, day)) WITHOUT ROWID;

-- 97 % of a mature store is closed: the working set lives in partial indexes over open cases.
-- (deadline, grid_code, state) and (grid_code, deadline, state) cover "overdue counts per grid"
-- without touching the table (state is listed so the NOT IN term is answered from the index).
CREATE INDEX cases_open_deadline ON cases (deadline, grid_code, state)
  WHERE state NOT IN ('closed','visited','archived','voided','merged');
CREATE INDEX cases_open_dept_deadline ON cases (lead_dept, deadline)
  WHERE state NOT IN ('closed','visited','archived','voided','merged');
CREATE INDEX cases_open_grid ON cases (grid_code, deadline, state)
  WHERE state NOT IN ('closed','visited','archived','voided','merged');
CREATE INDEX cases_open_state ON cases (state, reported_at)
  WHERE state NOT IN ('closed','visited','archived','voided','merged');
CREATE INDEX cases_reported_at ON cases (reported_at);
CREATE INDEX cases_grid_reported ON cases (grid_code, reported_at);
)sql");
  geopackage::registerFeatureTable(db, "cases", "POINT", "cases", "案件 cases (current state; projection of case_events)");
  geopackage::registerAttributeTable(db, "case_events", "case_events", "案件事件 append-only case history");
}

// Revision 2: field terminals — devices, frame dedup, orders, positions — and POIs.
void revision2(Database &db)
{
  db.exec(R"sql(
CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  token_salt BLOB NOT NULL,
  token_hash BLOB NOT NULL,
  worker_id TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0,
  last_seq INTEGER NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL);

CREATE TABLE applied_frames (
  device_id TEXT NOT NULL REFERENCES devices(id),
  seq INTEGER NOT NULL,
  applied_at DATETIME NOT NULL,
  result TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (device_id, seq)) WITHOUT ROWID;

CREATE TABLE orders (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  device_id TEXT NOT NULL REFERENCES devices(id),
  kind TEXT NOT NULL CHECK (kind IN ('assign','urge','alert')),
  case_id INTEGER REFERENCES cases(id),
  message TEXT NOT NULL DEFAULT '',
  deadline DATETIME,
  created_at DATETIME NOT NULL,
  acked_at DATETIME);
CREATE INDEX orders_pending ON orders (device_id, id) WHERE acked_at IS NULL;

CREATE TABLE positions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  geom POINT,
  device_id TEXT NOT NULL,
  worker_id TEXT NOT NULL,
  at DATETIME NOT NULL,
  lon REAL NOT NULL,
  lat REAL NOT NULL,
  accuracy_m REAL);
CREATE INDEX positions_worker_at ON positions (worker_id, at);

CREATE TABLE worker_positions (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  geom POINT,
  worker_id TEXT NOT NULL UNIQUE,
  device_id TEXT NOT NULL,
  at DATETIME NOT NULL,
  lon REAL NOT NULL,
  lat REAL NOT NULL,
  accuracy_m REAL);

CREATE TABLE pois (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  geom POINT,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  stream_url TEXT,
  attributes TEXT NOT NULL DEFAULT '{}');
CREATE INDEX pois_kind ON pois (kind);
)sql");
  geopackage::registerFeatureTable(db, "positions", "POINT", "positions", "定位 position fixes of field terminals");
  geopackage::registerFeatureTable(db, "worker_positions", "POINT", "worker_positions", "网格员位置 latest position per worker");
  geopackage::registerFeatureTable(db, "pois", "POINT", "pois", "兴趣点 points of interest (cameras, alarm pillars, ...)");
  geopackage::registerAttributeTable(db, "orders", "orders", "指令 orders sent to field terminals");
}

// Revision 3: GeoPackage R-tree spatial indexes, so QGIS draws a 1,000,000-case layer by
// extent without scanning it. Positions (a long, append-mostly track) get none: their writes
// must stay cheap.
void revision3(Database &db)
{
  for (const auto &[table, description] : kGridTables)
    geopackage::createSpatialIndex(db, table, "fid");
  geopackage::createSpatialIndex(db, "cases", "id");
  geopackage::createSpatialIndex(db, "pois", "fid");
  geopackage::createSpatialIndex(db, "worker_positions", "fid");
}

// Revision 4: the grid workers (网格员) of each grid, so the grid tree round-trips whole.
void revision4(Database &db)
{
  db.exec(R"sql(
CREATE TABLE grid_workers (
  grid_code TEXT NOT NULL,
  worker_id TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (grid_code, worker_id)) WITHOUT ROWID;
CREATE INDEX grid_workers_worker ON grid_workers (worker_id);
)sql");
}

// Revision 5: supervision (督办/催办) and emergencies (一键直达).
//  - supervisions: who urged or supervised a case, when, with what opinion and response deadline.
//  - department_notices: what a department is told (an urge on its case, an emergency dispatch),
//    until someone there acknowledges it.
//  - rule_firings: each automatic rule fires once per (case, rule, occurrence): the primary key
//    is the guarantee, for repeated runs, restarts and concurrent runners alike.
//  - rule_cursors: how far the rework rule has read the event log, and with which parameters.
//  - emergencies (a point layer), their timeline, and the alert orders each one sent.
//  - cases_open_warn: the supervision wall reads open cases past their 80 % mark by warn_at; its
//    scope (grid, department) and light (deadline) are answered from the index too (state is
//    listed so that the partial index's own predicate is as well).
void revision5(Database &db)
{
  db.exec(R"sql(
CREATE TABLE supervisions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  kind TEXT NOT NULL CHECK (kind IN ('urge','supervise')),
  actor TEXT NOT NULL,
  at DATETIME NOT NULL,
  opinion TEXT NOT NULL DEFAULT '',
  deadline DATETIME,
  event_seq INTEGER NOT NULL);
CREATE INDEX supervisions_case ON supervisions (case_id, id);
CREATE INDEX supervisions_at ON supervisions (at);

CREATE TABLE emergencies (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  geom POINT,
  number TEXT NOT NULL UNIQUE,
  case_id INTEGER REFERENCES cases(id),
  title TEXT NOT NULL DEFAULT '',
  lon REAL NOT NULL,
  lat REAL NOT NULL,
  radius_m REAL NOT NULL CHECK (radius_m > 0),
  declared_by TEXT NOT NULL,
  declared_at DATETIME NOT NULL,
  conference_url TEXT NOT NULL DEFAULT '',
  closed_by TEXT,
  closed_at DATETIME);
CREATE INDEX emergencies_open ON emergencies (declared_at) WHERE closed_at IS NULL;

CREATE TABLE emergency_timeline (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  emergency_id INTEGER NOT NULL REFERENCES emergencies(id),
  at DATETIME NOT NULL,
  actor TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('declared','dispatched','alert','conference','note','closed')),
  message TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT '{}');
CREATE INDEX emergency_timeline_emergency ON emergency_timeline (emergency_id, at);
CREATE TRIGGER emergency_timeline_no_update BEFORE UPDATE ON emergency_timeline
BEGIN SELECT RAISE(ABORT, 'emergency_timeline is append-only: entries cannot be updated'); END;
CREATE TRIGGER emergency_timeline_no_delete BEFORE DELETE ON emergency_timeline
BEGIN SELECT RAISE(ABORT, 'emergency_timeline is append-only: entries cannot be deleted'); END;

CREATE TABLE emergency_orders (
  order_id INTEGER PRIMARY KEY REFERENCES orders(id),
  emergency_id INTEGER NOT NULL REFERENCES emergencies(id),
  worker_id TEXT NOT NULL,
  distance_m REAL NOT NULL);
CREATE INDEX emergency_orders_emergency ON emergency_orders (emergency_id, order_id);

CREATE TABLE department_notices (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  department TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('urge','supervise','emergency')),
  case_id INTEGER REFERENCES cases(id),
  emergency_id INTEGER REFERENCES emergencies(id),
  message TEXT NOT NULL DEFAULT '',
  link TEXT NOT NULL DEFAULT '',
  deadline DATETIME,
  created_at DATETIME NOT NULL,
  acknowledged_by TEXT,
  acknowledged_at DATETIME);
CREATE INDEX department_notices_pending ON department_notices (department, id) WHERE acknowledged_at IS NULL;
CREATE INDEX department_notices_case ON department_notices (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX department_notices_emergency ON department_notices (emergency_id) WHERE emergency_id IS NOT NULL;

CREATE TABLE rule_firings (
  case_id INTEGER NOT NULL REFERENCES cases(id),
  rule TEXT NOT NULL,
  occurrence TEXT NOT NULL,
  fired_at DATETIME NOT NULL,
  action TEXT NOT NULL,
  event_seq INTEGER NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (case_id, rule, occurrence)) WITHOUT ROWID;
CREATE INDEX rule_firings_fired_at ON rule_firings (fired_at);

CREATE TABLE rule_cursors (
  rule TEXT PRIMARY KEY,
  parameters TEXT NOT NULL,
  last_event_id INTEGER NOT NULL) WITHOUT ROWID;

CREATE INDEX cases_open_warn ON cases (warn_at, deadline, grid_code, lead_dept, state)
  WHERE state NOT IN ('closed','visited','archived','voided','merged');
)sql");
  geopackage::registerFeatureTable(db, "emergencies", "POINT", "emergencies", "突发事件 emergencies (一键直达)");
  geopackage::createSpatialIndex(db, "emergencies", "id");
  geopackage::registerAttributeTable(db, "supervisions", "supervisions", "督办催办 supervision records");
  geopackage::registerAttributeTable(db, "department_notices", "department_notices", "部门通知 notices to departments");
  geopackage::registerAttributeTable(db, "emergency_timeline", "emergency_timeline", "应急时间线 emergency timeline");
}

// Revision 6: a cheaper write path for cases (issue 3).
//  - cases.is_open (1 while the case is worked on, 0 once closed/visited/archived/voided/merged),
//    written with the projection. The partial indexes over open cases used to say
//    `state NOT IN (5 values)`: SQLite evaluates such a list through an ephemeral table built for
//    every row written (about 2.4 µs an index, 12 µs a case for the five, measured), where
//    `is_open = 1` is one comparison. Queries over open cases say `is_open = 1` so the planner
//    still picks these indexes. Existing rows get their value from their state.
//  - case_histories: the whole history of a case written at once, as one row, by a bulk import
//    of a case that is no longer open (a migration brings mostly closed history). A JSON array
//    of events, each [action, actor, at, from_state, to_state, note, data], seq 1..event_count;
//    later events of that case (a visit, an archive) go to case_events with seq event_count+1 on.
//    Append-only like case_events. Two rows a case instead of ten is what lets an import write
//    200,000 cases a second. The view case_event_log shows both tables as one event list.
void revision6(Database &db)
{
  db.exec(R"sql(
ALTER TABLE cases ADD COLUMN is_open INTEGER NOT NULL DEFAULT 1;
UPDATE cases SET is_open = 0 WHERE state IN ('closed','visited','archived','voided','merged');

DROP INDEX cases_open_deadline;
DROP INDEX cases_open_dept_deadline;
DROP INDEX cases_open_grid;
DROP INDEX cases_open_state;
DROP INDEX cases_open_warn;
CREATE INDEX cases_open_deadline ON cases (deadline, grid_code, state) WHERE is_open = 1;
CREATE INDEX cases_open_dept_deadline ON cases (lead_dept, deadline) WHERE is_open = 1;
CREATE INDEX cases_open_grid ON cases (grid_code, deadline, state) WHERE is_open = 1;
CREATE INDEX cases_open_state ON cases (state, reported_at) WHERE is_open = 1;
CREATE INDEX cases_open_warn ON cases (warn_at, deadline, grid_code, lead_dept, state) WHERE is_open = 1;

CREATE TABLE case_histories (
  case_id INTEGER PRIMARY KEY REFERENCES cases(id),
  event_count INTEGER NOT NULL CHECK (event_count > 0),
  events TEXT NOT NULL);
CREATE TRIGGER case_histories_no_update BEFORE UPDATE ON case_histories
BEGIN SELECT RAISE(ABORT, 'case_histories is append-only: histories cannot be updated'); END;
CREATE TRIGGER case_histories_no_delete BEFORE DELETE ON case_histories
BEGIN SELECT RAISE(ABORT, 'case_histories is append-only: histories cannot be deleted'); END;

-- Every event of every case, wherever it is kept: for SQL users, exports and audits.
CREATE VIEW case_event_log (case_id, seq, action, actor, at, from_state, to_state, note, data) AS
  SELECT case_id, seq, action, actor, at, from_state, to_state, note, data FROM case_events
  UNION ALL
  SELECT h.case_id, j.key + 1, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4,
         j.value ->> 5, j.value -> 6
  FROM case_histories h, json_each(h.events) j;
)sql");
  geopackage::registerAttributeTable(db, "case_histories", "case_histories",
                                     "案件历史 whole histories of imported closed cases (JSON arrays of events)");
}

// Revision 7: a track that is cheap to write (issue 5).
//  - positions_worker_at (worker_id, at) is replaced by positions_at (at). The feed writes a
//    fix per frame; with the worker first in the key, a group commit of N fixes from N workers
//    dirtied N leaf pages of that index (one per worker, ~250 KB of WAL for a 60-frame group,
//    written again by the checkpoint): at 10,000 frames/s that index alone was most of the WAL,
//    of the writer's fsync time, and of the p99 ack latency (measured in docs/performance.md).
//    With time first, a group's fixes land at the index's right edge: a page or two a commit.
//    A worker's track over a time window is read through positions_at (a range of time,
//    filtered by worker) — an operator's occasional query, where the write path runs per frame.
//  - gd_store_info 'track_published_id': every fix with a positions.id at or below it is in the
//    workers' latest positions (worker_positions) or older than what is there. The gateway
//    publishes latest positions at most every 250 ms and moves this mark with them; after a
//    crash it catches up from the fixes above the mark (PositionStore::catchUpLatest) instead
//    of finding each worker's newest fix through the old index. Set here from that index, while
//    it still exists: just below the oldest newest-fix that worker_positions is behind on.
void revision7(Database &db)
{
  db.exec(R"sql(
INSERT OR REPLACE INTO gd_store_info (key, value)
SELECT 'track_published_id', CAST(coalesce(
  (SELECT min(p.id) - 1
     FROM (SELECT DISTINCT worker_id FROM devices) d
     JOIN positions p ON p.id = (SELECT id FROM positions WHERE worker_id = d.worker_id ORDER BY at DESC, id DESC LIMIT 1)
     LEFT JOIN worker_positions w ON w.worker_id = d.worker_id
    WHERE w.at IS NULL OR w.at < p.at),
  (SELECT coalesce(max(id), 0) FROM positions)) AS TEXT);
DROP INDEX positions_worker_at;
CREATE INDEX positions_at ON positions (at);
)sql");
}

// Revision 8: a device's last_seq is not written with every frame (issue 5).
//  - positions.seq: the frame seq of each fix (NULL for fixes stored before this revision), so
//    the track itself says which frames it holds. The gateway keeps each device's last_seq in
//    memory and writes devices.last_seq only when it publishes latest positions (at most every
//    250 ms, in the same transaction that moves track_published_id), not in every commit: at
//    10,000 frames/s a group commit of ~10 frames from ~10 terminals dirtied ~10 scattered
//    devices pages (wide rows: salt, token hash, worker), half of the commit's WAL, written
//    again by the checkpoint (docs/performance.md, issue 5, round 5).
//  - The mark track_published_id (revision 7) now also says: every fix at or below it has its
//    seq at or below its device's devices.last_seq. Above it, the durable last_seq of a device
//    is the highest of devices.last_seq, the seqs of its fixes above the mark and the seqs in
//    applied_frames (every other sequenced frame is recorded there, in the transaction that
//    applies it); DeviceRegistry::recoverLastSeq() writes that back after a crash, and
//    DeviceRegistry::durableLastSeq()/list() read it that way.
//  No row changes: the fixes already stored have no seq, and every one of them is covered by
//  devices.last_seq, which revision 7 wrote with each frame.
void revision8(Database &db)
{
  db.exec("ALTER TABLE positions ADD COLUMN seq INTEGER");
}

// The append-only guards: name and the table they guard (issue 14: verify checks they are all
// there and still abort).
constexpr std::array<std::pair<const char *, const char *>, 10> kAppendOnlyTriggers = {{
  {"case_events_no_update", "case_events"},
  {"case_events_no_delete", "case_events"},
  {"case_histories_no_update", "case_histories"},
  {"case_histories_no_delete", "case_histories"},
  {"emergency_timeline_no_update", "emergency_timeline"},
  {"emergency_timeline_no_delete", "emergency_timeline"},
  {"audit_log_no_update", "audit_log"},
  {"audit_log_no_delete", "audit_log"},
  {"audit_seals_no_update", "audit_seals"},
  {"audit_seals_no_delete", "audit_seals"},
}};

// Revision 9: the hash chain over every case's history (issue 14, see eventchain.h).
//  - case_events.chain and case_histories.chain: the SHA-256 link of the row. Filled here for
//    the rows already stored (the append-only update trigger is lifted for that one UPDATE and
//    put back as it was, in this step's transaction).
void revision9(Database &db)
{
  db.exec(R"sql(
ALTER TABLE case_events ADD COLUMN chain BLOB;
ALTER TABLE case_histories ADD COLUMN chain BLOB;
DROP TRIGGER case_events_no_update;
DROP TRIGGER case_histories_no_update;
)sql");
  {
    auto cases = db.query("SELECT c.id, c.number, h.event_count, h.events FROM cases c "
                          "LEFT JOIN case_histories h ON h.case_id = c.id ORDER BY c.id");
    auto events = db.query("SELECT id, seq, action, actor, at, from_state, to_state, note, data FROM case_events "
                           "WHERE case_id = ? ORDER BY seq");
    while (cases.step())
    {
      const std::int64_t caseId = cases->columnInt(0);
      eventchain::Digest chain = eventchain::genesis(cases->columnText(1));
      if (!cases->isNull(2))
      {
        chain = eventchain::historyLink(chain, cases->columnInt(2), cases->columnText(3));
        auto u = db.query("UPDATE case_histories SET chain = ? WHERE case_id = ?");
        u->bindBlob(1, chain);
        u->bind(2, caseId);
        u.run();
      }
      events->reset();
      events->bind(1, caseId);
      while (events.step())
      {
        const std::string from = events->columnText(5);
        chain = eventchain::link(chain, events->columnInt(1), events->columnText(2), events->columnText(3),
                                 events->columnText(4),
                                 events->isNull(5) ? std::nullopt : std::optional<std::string_view>(from),
                                 events->columnText(6), events->columnText(7), events->columnText(8));
        auto u = db.query("UPDATE case_events SET chain = ? WHERE id = ?");
        u->bindBlob(1, chain);
        u->bind(2, events->columnInt(0));
        u.run();
      }
    }
  }
  db.exec(R"sql(
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events is append-only: events cannot be updated'); END;
CREATE TRIGGER case_histories_no_update BEFORE UPDATE ON case_histories
BEGIN SELECT RAISE(ABORT, 'case_histories is append-only: histories cannot be updated'); END;
)sql");
}

// Revision 10: a dispatch tells the departments it names (issue 13). department_notices.kind
// also takes 'assign' (派遣通知: a case dispatched to the department, shown on the case until
// someone there acknowledges it). SQLite cannot change a CHECK in place: the table is built
// anew with the wider CHECK and its rows copied over, ids and all. orders_case: a case shows
// its orders (sent, acknowledged), read by case on every detail load.
void revision10(Database &db)
{
  db.exec(R"sql(
CREATE TABLE department_notices_10 (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  department TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('urge','supervise','emergency','assign')),
  case_id INTEGER REFERENCES cases(id),
  emergency_id INTEGER REFERENCES emergencies(id),
  message TEXT NOT NULL DEFAULT '',
  link TEXT NOT NULL DEFAULT '',
  deadline DATETIME,
  created_at DATETIME NOT NULL,
  acknowledged_by TEXT,
  acknowledged_at DATETIME);
INSERT INTO department_notices_10 (id, department, kind, case_id, emergency_id, message, link, deadline, created_at,
                                  acknowledged_by, acknowledged_at)
  SELECT id, department, kind, case_id, emergency_id, message, link, deadline, created_at, acknowledged_by,
         acknowledged_at FROM department_notices;
DROP TABLE department_notices;
ALTER TABLE department_notices_10 RENAME TO department_notices;
CREATE INDEX department_notices_pending ON department_notices (department, id) WHERE acknowledged_at IS NULL;
CREATE INDEX department_notices_case ON department_notices (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX department_notices_emergency ON department_notices (emergency_id) WHERE emergency_id IS NOT NULL;
CREATE INDEX orders_case ON orders (case_id) WHERE case_id IS NOT NULL;
)sql");
}

// Revision 11: the type of an emergency (issue 13): emergencies.incident_type, the code of an
// emergency.conf type ('fire', 'mass' ...), so an emergency is a 火灾 or a 群体性事件 and not
// just a 突发事件. Emergencies declared before it keep '' (unspecified): nothing recorded
// their type, and a guess from the case's category would put words in the operator's mouth.
void revision11(Database &db)
{
  db.exec("ALTER TABLE emergencies ADD COLUMN incident_type TEXT NOT NULL DEFAULT ''");
}

// Revision 12: one connection per device across gateways (issue 16). A gateway that lets a
// terminal in takes its session: the row names that gateway and a generation that rises with
// every hello let in anywhere, so the other gateways, polling the rows above the generation
// they saw, close their older connection of the device, and stop applying its frames (the
// drain reads the holder in the same transaction). Runtime state: not copied by
// griddispatch-ctl copy, not part of a store's digest.
void revision12(Database &db)
{
  db.exec(R"sql(
CREATE TABLE device_sessions (
  device_id TEXT PRIMARY KEY,
  gateway TEXT NOT NULL,
  generation INTEGER NOT NULL,
  since DATETIME NOT NULL);
CREATE INDEX device_sessions_generation ON device_sessions (generation);
)sql");
}

// Revision 13: the center's gateways say how they are (issue 16). Each running gateway (the
// console's embedded one too) writes its row every few seconds: where it listens, its
// terminals online, what it stores and how late its acks are. Every console's feed monitor
// reads the rows, so a center with several gateways sees all its terminals, and a gateway
// that stopped writing (killed, its machine down, cut from the database) shows as silent
// rather than vanishing. Runtime state: not copied, not part of the digest.
void revision13(Database &db)
{
  db.exec(R"sql(
CREATE TABLE gateway_heartbeats (
  instance TEXT PRIMARY KEY,
  host TEXT NOT NULL,
  listen TEXT NOT NULL,
  started_at DATETIME NOT NULL,
  seen_at DATETIME NOT NULL,
  stopped_at DATETIME,
  terminals_online INTEGER NOT NULL,
  frames_stored INTEGER NOT NULL,
  duplicates INTEGER NOT NULL,
  rejects INTEGER NOT NULL,
  stored_per_second REAL NOT NULL,
  ack_lag_ms REAL NOT NULL,
  store_down INTEGER NOT NULL);
)sql");
}

// Revision 14: the audit trail (issue 17, store/audit/auditlog.h). audit_log: one row per
// audited action with its SM3 chain link; ids are dense and given by the program (the chain
// covers them), so the table has no AUTOINCREMENT. audit_seals: seals and archive anchors, each
// with an HMAC-SM3 under the audit administrator's key. Both append-only; the one delete the
// triggers let through is of rows at or below the newest archive anchor (they were written to
// the archive file in the same step). Not registered in gpkg_contents: no map layer.
void revision14(Database &db)
{
  db.exec(R"sql(
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at DATETIME NOT NULL,
  actor_id TEXT NOT NULL,
  actor_name TEXT NOT NULL DEFAULT '',
  host TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  object TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'refused', 'failed')),
  reason TEXT NOT NULL DEFAULT '',
  link BLOB NOT NULL);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE TABLE audit_seals (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('seal', 'archive')),
  through_id INTEGER NOT NULL,
  chain BLOB NOT NULL,
  at DATETIME NOT NULL,
  sealed_by TEXT NOT NULL,
  archive TEXT NOT NULL DEFAULT '',
  mac BLOB NOT NULL);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be updated'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN OLD.id > (SELECT coalesce(max(through_id), 0) FROM audit_seals WHERE kind = 'archive')
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: rows leave it only by an archive'); END;
CREATE TRIGGER audit_seals_no_update BEFORE UPDATE ON audit_seals
BEGIN SELECT RAISE(ABORT, 'audit_seals is append-only: seals cannot be updated'); END;
CREATE TRIGGER audit_seals_no_delete BEFORE DELETE ON audit_seals
BEGIN SELECT RAISE(ABORT, 'audit_seals is append-only: seals cannot be deleted'); END;
)sql");
}

// Revision 15: accounts, their roles and their previous passwords (issue 17, see
// accounts/accountstore.h). password_hash is an Argon2id PHC string; totp_secret the TOTP
// secret sealed under a key derived from the password (accounts/totp.h), never the secret
// itself; totp_last_step the time step of the last code accepted, so a code is good once.
// Roles are rows, not a list in a column, so "who holds secadmin" is one indexed query.
void revision15(Database &db)
{
  db.exec(R"sql(
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  password_changed_at DATETIME NOT NULL,
  must_change INTEGER NOT NULL DEFAULT 1,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until DATETIME,
  totp_secret BLOB,
  totp_last_step INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL);
CREATE TABLE account_roles (
  account_id TEXT NOT NULL REFERENCES accounts(id),
  role TEXT NOT NULL,
  PRIMARY KEY (account_id, role));
CREATE INDEX account_roles_role ON account_roles (role);
CREATE TABLE password_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  changed_at DATETIME NOT NULL,
  password_hash TEXT NOT NULL);
CREATE INDEX password_history_account ON password_history (account_id, id);
)sql");
}

// Revision 16: 延期申请, a department's request for more time on a case it leads (issue 17,
// see cases/extensionrequests.h); the center decides, and an approval is the case's `extend`.
// Not registered in gpkg_contents: no map layer.
void revision16(Database &db)
{
  db.exec(R"sql(
CREATE TABLE extension_requests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  department TEXT NOT NULL,
  days INTEGER NOT NULL CHECK (days > 0),
  reason TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  requested_at DATETIME NOT NULL,
  decision TEXT NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending','approved','refused')),
  decided_by TEXT,
  decided_at DATETIME,
  decision_note TEXT NOT NULL DEFAULT '');
CREATE INDEX extension_requests_case ON extension_requests (case_id, id);
CREATE INDEX extension_requests_decision ON extension_requests (decision, id);
)sql");
}

// Revision 17: seats (issue 17, seats/seatstore.h). A seat is a console's place in the center:
// the grid subtree it sees (grid_scope, a grid code; '' the whole district) and, for a
// department seat, its department. login_role is the PostgreSQL role its console logs in as
// ('' on a GeoPackage, whose single seat is named on the console's command line).
void revision17(Database &db)
{
  db.exec(R"sql(
CREATE TABLE seats (
  id TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  grid_scope TEXT NOT NULL DEFAULT '',
  department TEXT NOT NULL DEFAULT '',
  login_role TEXT NOT NULL DEFAULT '',
  created_at DATETIME NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0);
)sql");
}

using Step = void (*)(Database &);
constexpr std::array<Step, Schema::kRevision> kSteps = {revision1, revision2, revision3, revision4, revision5,
                                                        revision6, revision7, revision8, revision9, revision10,
                                                        revision11, revision12, revision13, revision14, revision15,
                                                        revision16, revision17};

bool hasUserTables(Database &db)
{
  return db.scalarInt("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'") > 0;
}

} // namespace

namespace {

// The PostgreSQL store: its revision in gd_store_info (see postgres/pgschema.h).
int postgresRevision(Database &db)
{
  const std::string where = db.path().string();
  if (db.scalarInt("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                   "WHERE c.relname = 'gd_store_info' AND n.nspname = current_schema()") == 0)
  {
    // Anything but what PostGIS and QGIS put there makes it someone else's database.
    const std::int64_t foreign = db.scalarInt(
      "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v', 'p') "
      "AND c.relname NOT IN ('spatial_ref_sys', 'geometry_columns', 'geography_columns', 'layer_styles') "
      "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')");
    if (foreign > 0)
      throw StoreError(0, where + " holds tables but not a GridDispatch store (no gd_store_info table): "
                              "use an empty database for the store");
    return 0;
  }
  std::string application;
  std::string revision;
  auto q = db.query("SELECT key, value FROM gd_store_info WHERE key IN ('application', 'schema_revision')");
  while (q.step())
    (q->columnText(0) == "application" ? application : revision) = q->columnText(1);
  if (application != "GridDispatch" || revision.empty())
    throw StoreError(0, where + " has a gd_store_info table but is not a GridDispatch store");
  return std::stoi(revision);
}

// A new PostgreSQL store: the whole schema at once (pg::schemaSql()), inside the one-writer
// lock so two seats starting on an empty database do not both create it.
void createPostgres(Database &db)
{
  Transaction tx(db, Transaction::Kind::Immediate);
  if (postgresRevision(db) != 0)
    return; // another seat created it while this one waited
  try
  {
    db.exec(pg::schemaSql());
  }
  catch (const StoreError &e)
  {
    if (e.sqlState() == "42501" || std::string(e.what()).find("postgis") != std::string::npos)
      throw StoreError(e.sqlState(), e.code(),
                       db.path().string() + ": the store needs PostGIS, which this role may not install: ask the "
                       "database administrator to run 'CREATE EXTENSION postgis' in this database (" + e.what() + ")",
                       std::string());
    throw;
  }
  tx.commit();
}

} // namespace

int Schema::revision(Database &db)
{
  if (db.isPostgres())
    return postgresRevision(db);
  const std::int64_t applicationId = db.scalarInt("PRAGMA application_id");
  const std::int64_t version = db.scalarInt("PRAGMA user_version");
  const std::string file = db.path().string();
  if (applicationId == 0 && version == 0)
  {
    if (hasUserTables(db))
      throw StoreError(0, file + " is an SQLite database but not a GridDispatch store (no application_id)");
    return 0;
  }
  if (applicationId != geopackage::kApplicationId)
    throw StoreError(0, file + " is not a GridDispatch store: application_id is " + std::to_string(applicationId) +
                          ", expected 'GPKG' (1196444487)");
  if (version < userVersion(1) || version > 10398)
    throw StoreError(0, file + " is a GeoPackage (user_version " + std::to_string(version) +
                          ") but not a GridDispatch store");
  if (db.scalarInt("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'gd_store_info'") == 0)
    throw StoreError(0, file + " is a GeoPackage but not a GridDispatch store (no gd_store_info table)");
  return static_cast<int>(version - 10300);
}

void Schema::migrate(Database &db, int targetRevision)
{
  if (targetRevision < 1 || targetRevision > kRevision)
    throw StoreError(0, "schema revision " + std::to_string(targetRevision) + " does not exist");
  const int current = revision(db);
  if (current > kRevision)
    throw StoreError(0, db.path().string() + " has schema revision " + std::to_string(current) +
                          ", newer than this program's " + std::to_string(kRevision) +
                          ": upgrade GridDispatch to open it");
  if (db.isPostgres())
  {
    // A new PostgreSQL store starts at pg::kSchemaRevision (the base DDL); the revisions after
    // it are steps as on the GeoPackage, the same number meaning the same change on both, so a
    // new store and a migrated one are built alike.
    if (current == 0)
      createPostgres(db);
    static_assert(pg::kLastRevision == kRevision, "a PostgreSQL migration step is missing");
    for (int next = std::max(current, pg::kSchemaRevision) + 1; next <= targetRevision; ++next)
    {
      Transaction tx(db, Transaction::Kind::Immediate);
      if (postgresRevision(db) >= next)
        continue; // another seat migrated it while this one waited for the lock
      db.exec(pg::stepSql(next));
      db.query("UPDATE gd_store_info SET value = ? WHERE key = 'schema_revision'").bindAll(std::to_string(next)).run();
      tx.commit();
    }
    return;
  }
  for (int next = current + 1; next <= targetRevision; ++next)
  {
    Transaction tx(db, Transaction::Kind::Immediate);
    kSteps[static_cast<std::size_t>(next - 1)](db);
    // PRAGMA takes no parameters; the value is a compile-time integer, not input.
    db.exec("PRAGMA user_version = " + std::to_string(userVersion(next)));
    db.query("INSERT OR REPLACE INTO gd_store_info (key, value) VALUES ('schema_revision', ?)")
      .bindAll(std::to_string(next))
      .run();
    tx.commit();
  }
}

std::vector<std::string> Schema::appendOnlyProblems(Database &db)
{
  std::vector<std::string> problems;
  if (db.isPostgres())
  {
    for (const auto &[name, table] : kAppendOnlyTriggers)
    {
      auto q = db.query("SELECT c.relname, t.tgenabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                        "WHERE t.tgname = ? AND c.relnamespace = current_schema()::regnamespace");
      q.bindAll(name);
      if (!q.step())
        problems.push_back(std::string("trigger ") + name + " is missing: " + table +
                           " is no longer append-only (dropped by hand?)");
      else if (q->columnText(0) != table || q->columnText(1) == "D")
        problems.push_back(std::string("trigger ") + name + " was altered or disabled: it no longer refuses changes to " +
                           table);
    }
    return problems;
  }
  for (const auto &[name, table] : kAppendOnlyTriggers)
  {
    auto q = db.query("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND name = ?");
    q.bindAll(name);
    if (!q.step())
      problems.push_back(std::string("trigger ") + name + " is missing: " + table +
                         " is no longer append-only (dropped by hand?)");
    else if (q->columnText(0) != table || q->columnText(1).find("RAISE(ABORT") == std::string::npos)
      problems.push_back(std::string("trigger ") + name + " was altered: it no longer refuses changes to " + table);
  }
  return problems;
}

namespace {

// The integrity checks of this process, per file: the console opens the same store from several
// services, and its writers wait for a check running in the background. Never destroyed, and the
// background checks are detached: at exit a check still reading a large file is simply dropped
// with the process (it only reads). SQLite 3.40's quick_check does not heed sqlite3_interrupt,
// so joining it made a gateway's SIGTERM wait for the whole check (half a minute when cold).
struct IntegrityChecks
{
    std::mutex mutex;
    std::condition_variable changed;
    std::map<std::string, Schema::IntegrityState> files;
    std::uintmax_t backgroundOverBytes = std::numeric_limits<std::uintmax_t>::max();
};

IntegrityChecks &integrityChecks()
{
  static IntegrityChecks *const checks = new IntegrityChecks;
  return *checks;
}

std::string fileKey(const std::filesystem::path &path)
{
  std::error_code ec;
  const auto canonical = std::filesystem::weakly_canonical(path, ec);
  return ec ? path.string() : canonical.string();
}

// What PRAGMA quick_check says is wrong with db; empty when it is ok.
std::vector<std::string> quickCheck(Database &db)
{
  std::vector<std::string> problems;
  try
  {
    auto q = db.query("PRAGMA quick_check(10)");
    while (q.step())
      if (q->columnText(0) != "ok")
        problems.push_back(q->columnText(0));
  }
  catch (const StoreError &e)
  {
    problems.push_back(e.what());
  }
  return problems;
}

std::string damageText(const std::filesystem::path &path, const std::vector<std::string> &problems)
{
  std::string text;
  for (const std::string &p : problems)
    text += (text.empty() ? "" : "; ") + p;
  return path.string() + " is damaged (SQLite quick_check): " + text + ". Nothing was changed; restore it from a backup";
}

// Starts the background check of path (its state is already Checking).
//
// The one thread of the program not on core::WorkerThread, on purpose: an owner must join it,
// and nothing can cut the check short (see IntegrityChecks), so a WorkerThread owned by the
// Database, by Schema or by a static joined at exit would make closing a connection or ending
// the process wait for the whole check; one never destroyed would keep every finished check's
// thread (its stack) until exit, since only a join or a detach frees it. Like a WorkerThread it
// lets nothing escape: whatever the check throws becomes its result (Damaged, with the reason),
// so the writers waiting in waitForIntegrity() and the console's status bar hear of it rather
// than the process ending in std::terminate with them waiting.
void startBackgroundCheck(IntegrityChecks &checks, const std::filesystem::path &path, const std::string &key)
{
  std::thread([&checks, path, key] {
    Schema::IntegrityState result;
    try
    {
      Database db(path, Database::Mode::ReadOnly);
      const std::vector<std::string> problems = quickCheck(db);
      result.state = problems.empty() ? Schema::Integrity::Passed : Schema::Integrity::Damaged;
      if (!problems.empty())
        result.problem = damageText(path, problems);
    }
    catch (const std::exception &e)
    {
      result.state = Schema::Integrity::Damaged;
      result.problem = damageText(path, {e.what()});
    }
    catch (...)
    {
      result.state = Schema::Integrity::Damaged;
      result.problem = damageText(path, {"the check failed (unknown exception)"});
    }
    {
      std::lock_guard<std::mutex> lock(checks.mutex);
      checks.files[key] = result;
    }
    checks.changed.notify_all();
  }).detach();
}

} // namespace

void Schema::checkIntegrity(Database &db)
{
  // PostgreSQL checks its own pages (data checksums, WAL); there is no file here to read.
  if (db.isPostgres())
    return;
  IntegrityChecks &checks = integrityChecks();
  const std::string key = fileKey(db.path());
  {
    std::unique_lock<std::mutex> lock(checks.mutex);
    checks.changed.wait(lock, [&] { return checks.files[key].state != Integrity::Checking; });
    if (checks.files[key].state == Integrity::Passed)
      return;
    // Found by a background check: kept, so that the writers of this process stay refused.
    if (checks.files[key].state == Integrity::Damaged)
      throw StoreError(SQLITE_CORRUPT, checks.files[key].problem);
  }
  const std::vector<std::string> problems = quickCheck(db);
  std::lock_guard<std::mutex> lock(checks.mutex);
  if (!problems.empty())
  {
    // Not remembered: the file may be restored from a backup and opened again.
    checks.files.erase(key);
    throw StoreError(SQLITE_CORRUPT, damageText(db.path(), problems));
  }
  checks.files[key].state = Integrity::Passed;
}

void Schema::setBackgroundCheck(std::uintmax_t overBytes)
{
  IntegrityChecks &checks = integrityChecks();
  std::lock_guard<std::mutex> lock(checks.mutex);
  checks.backgroundOverBytes = overBytes;
}

Schema::IntegrityState Schema::integrity(const std::filesystem::path &path)
{
  IntegrityChecks &checks = integrityChecks();
  const std::string key = fileKey(path);
  std::lock_guard<std::mutex> lock(checks.mutex);
  const auto it = checks.files.find(key);
  return it == checks.files.end() ? IntegrityState{} : it->second;
}

void Schema::waitForIntegrity(const std::filesystem::path &path)
{
  IntegrityChecks &checks = integrityChecks();
  const std::string key = fileKey(path);
  std::unique_lock<std::mutex> lock(checks.mutex);
  const auto state = [&] {
    const auto it = checks.files.find(key);
    return it == checks.files.end() ? Integrity::Unchecked : it->second.state;
  };
  checks.changed.wait(lock, [&] { return state() != Integrity::Checking; });
  if (state() == Integrity::Damaged)
    throw StoreError(SQLITE_CORRUPT, checks.files[key].problem);
}

namespace {

// The check at open: before returning for a small file (or in a process that did not ask for
// background checks), else started on a thread of its own. A file the background check found
// damaged is refused with what it found.
void checkAtOpen(Database &probe, const std::filesystem::path &path)
{
  IntegrityChecks &checks = integrityChecks();
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  const std::string key = fileKey(path);
  {
    std::lock_guard<std::mutex> lock(checks.mutex);
    Schema::IntegrityState &state = checks.files[key];
    if (state.state == Schema::Integrity::Passed || state.state == Schema::Integrity::Checking)
      return;
    // Said at once, without reading the file again, and kept: the writers of this process
    // stay refused (a file restored from a backup is taken by a new process).
    if (state.state == Schema::Integrity::Damaged)
      throw StoreError(SQLITE_CORRUPT, state.problem);
    if (!ec && size > checks.backgroundOverBytes && state.state == Schema::Integrity::Unchecked)
    {
      state.state = Schema::Integrity::Checking;
      startBackgroundCheck(checks, path, key);
      return;
    }
  }
  Schema::checkIntegrity(probe);
}

} // namespace

namespace {

// Looks at an existing file read-only before anything may write to it (issue 14): opening it
// read-write would already switch a foreign SQLite file to WAL. Returns its revision (0 for an
// empty database); throws StoreError for a foreign, newer or damaged file.
int inspect(const std::filesystem::path &path)
{
  std::unique_ptr<Database> opened;
  try
  {
    opened = std::make_unique<Database>(path, Database::Mode::ReadOnly);
  }
  catch (const StoreError &e)
  {
    // A hot rollback journal (a writer killed mid-transaction) can only be rolled back by a
    // connection that may write: let SQLite do that recovery, and only that (no journal mode,
    // no schema), then look again.
    if (e.code() != SQLITE_READONLY_ROLLBACK)
      throw;
    sqlite3 *raw = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
    if (rc == SQLITE_OK)
      rc = sqlite3_exec(raw, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
    const std::string message = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    sqlite3_close_v2(raw);
    if (rc != SQLITE_OK)
      throw StoreError(rc, "cannot recover store " + path.string() + " from its hot journal: " + message);
    opened = std::make_unique<Database>(path, Database::Mode::ReadOnly);
  }
  Database &probe = *opened;
  const int current = Schema::revision(probe);
  if (current > Schema::kRevision)
    throw StoreError(0, path.string() + " has schema revision " + std::to_string(current) +
                          ", newer than this program's " + std::to_string(Schema::kRevision) +
                          ": upgrade GridDispatch to open it");
  checkAtOpen(probe, path);
  return current;
}

} // namespace

std::unique_ptr<Database> Schema::openOrCreate(const std::filesystem::path &path)
{
  std::error_code ec;
  if (std::filesystem::exists(path, ec) && std::filesystem::file_size(path, ec) > 0)
    inspect(path);
  auto db = std::make_unique<Database>(path, Database::Mode::ReadWriteCreate);
  migrate(*db);
  return db;
}

std::unique_ptr<Database> Schema::open(const std::filesystem::path &path)
{
  if (!std::filesystem::exists(path))
    throw StoreError(0, "store " + path.string() + " does not exist (create it with griddispatch-ctl init)");
  // A store that lost its content (0 bytes, or an SQLite file without tables) is not silently
  // made into a new empty store by the console or the gateway: only `init` creates one.
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size == 0)
    throw StoreError(0, "store " + path.string() + " is empty (0 bytes): it is not a GridDispatch store. If it was "
                        "one, restore it from a backup; to start a new store, remove it and run "
                        "'griddispatch-ctl init'");
  if (inspect(path) == 0)
    throw StoreError(0, "store " + path.string() + " is an empty SQLite database, not a GridDispatch store; create "
                        "one with 'griddispatch-ctl init'");
  auto db = std::make_unique<Database>(path, Database::Mode::ReadWrite);
  migrate(*db);
  return db;
}

std::unique_ptr<Database> Schema::openOrCreate(const StoreLocation &location)
{
  if (!location.isPostgres())
    return openOrCreate(location.path());
  auto db = std::make_unique<Database>(location, Database::Mode::ReadWrite);
  const int current = revision(*db);
  if (current > kRevision)
    throw StoreError(0, location.display() + " has schema revision " + std::to_string(current) +
                          ", newer than this program's " + std::to_string(kRevision) + ": upgrade GridDispatch to open it");
  migrate(*db);
  return db;
}

std::unique_ptr<Database> Schema::open(const StoreLocation &location)
{
  if (!location.isPostgres())
    return open(location.path());
  auto db = std::make_unique<Database>(location, Database::Mode::ReadWrite);
  const int current = revision(*db);
  if (current == 0)
    throw StoreError(0, "the database " + location.display() +
                          " holds no GridDispatch store yet; create one with 'griddispatch-ctl init --db …'");
  if (current > kRevision)
    throw StoreError(0, location.display() + " has schema revision " + std::to_string(current) +
                          ", newer than this program's " + std::to_string(kRevision) + ": upgrade GridDispatch to open it");
  migrate(*db);
  return db;
}

std::vector<std::string> Schema::integrityProblems(Database &db)
{
  std::vector<std::string> problems;
  // PostgreSQL enforces foreign keys always and checks its pages itself: nothing to add here
  // beyond what appendOnlyProblems() says.
  if (db.isPostgres())
    return problems;
  {
    auto q = db.query("PRAGMA integrity_check");
    while (q.step())
      if (q->columnText(0) != "ok")
        problems.push_back("integrity_check: " + q->columnText(0));
  }
  if (const auto broken = db.scalarInt("SELECT count(*) FROM pragma_foreign_key_check"))
    problems.push_back(std::to_string(broken) + " row(s) violate a foreign key");
  return problems;
}

} // namespace gd::store
