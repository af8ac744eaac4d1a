#include "store/storecopy.h"

#include "store/database.h"
#include "store/geopackage.h"
#include "store/schema.h"
#include "store/storeerror.h"

#include <openssl/evp.h>

#include <charconv>
#include <cstring>
#include <memory>

namespace gd::store {

namespace {

//! Each data table and the columns giving its row order (its primary key).
struct TableKey
{
  const char *table;
  const char *orderBy;
  //! In storeDigest(): the audit trail is not, since each ctl command (the copy too) appends to
  //! it; its own check is its hash chain, copied link by link (`audit verify` on the copy).
  bool digested = true;
};

// Parents before children (foreign keys): grids, workers and POIs; cases and what hangs on
// them; terminals; supervision and emergencies; accounts.
constexpr TableKey kTables[] = {
  {"grid_district", "fid"},
  {"grid_township", "fid"},
  {"grid_community", "fid"},
  {"grid_grid", "fid"},
  {"grid_microgrid", "fid"},
  {"grid_workers", "grid_code, worker_id"},
  {"pois", "fid"},
  {"cases", "id"},
  {"case_events", "id"},
  {"case_histories", "case_id"},
  {"case_number_counters", "admin_code, day"},
  {"devices", "id"},
  {"applied_frames", "device_id, seq"},
  {"orders", "id"},
  {"positions", "id"},
  {"worker_positions", "fid"},
  {"supervisions", "id"},
  {"emergencies", "id"},
  {"emergency_timeline", "id"},
  {"emergency_orders", "order_id"},
  {"department_notices", "id"},
  {"rule_firings", "case_id, rule, occurrence"},
  {"rule_cursors", "rule"},
  {"audit_seals", "id", false},
  {"audit_log", "id", false},
  {"accounts", "id", true},
  {"account_roles", "account_id, role", true},
  {"password_history", "id", true},
  {"seats", "id", true},
};

std::string hex(const unsigned char *bytes, unsigned length)
{
  static const char *const kHex = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned i = 0; i < length; ++i)
  {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 15];
  }
  return out;
}

class Sha256
{
  public:
    Sha256()
      : mCtx(EVP_MD_CTX_new(), EVP_MD_CTX_free)
    {
      EVP_DigestInit_ex(mCtx.get(), EVP_sha256(), nullptr);
    }
    void add(const void *data, std::size_t size) { EVP_DigestUpdate(mCtx.get(), data, size); }
    void add(std::string_view text) { add(text.data(), text.size()); }
    std::string finish()
    {
      unsigned char digest[EVP_MAX_MD_SIZE];
      unsigned length = 0;
      EVP_DigestFinal_ex(mCtx.get(), digest, &length);
      return hex(digest, length);
    }

  private:
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX *)> mCtx;
};

//! The WKB of a geometry blob (no GeoPackage header), so the same shape digests the same on both.
std::vector<std::uint8_t> wkbOf(const std::vector<std::uint8_t> &blob)
{
  const std::vector<std::uint8_t> ewkb = geopackage::toEwkb(blob);
  if (ewkb.size() < 9)
    return blob; // not a geometry: the bytes themselves
  // toEwkb writes: byte order, type | SRID flag, SRID, body. Without the flag and the SRID: WKB.
  std::vector<std::uint8_t> out;
  out.reserve(ewkb.size() - 4);
  out.push_back(ewkb[0]);
  std::uint32_t type = 0;
  std::memcpy(&type, ewkb.data() + 1, 4);
  if (ewkb[0] == 0)
    type = __builtin_bswap32(type);
  type &= ~0x20000000u;
  if (ewkb[0] == 0)
    type = __builtin_bswap32(type);
  const auto *typeBytes = reinterpret_cast<const std::uint8_t *>(&type);
  out.insert(out.end(), typeBytes, typeBytes + 4);
  out.insert(out.end(), ewkb.begin() + 9, ewkb.end());
  return out;
}

std::string canonical(const Statement &row, int column, bool geometry)
{
  switch (row.columnKind(column))
  {
    case Statement::Kind::Null:
      return std::string("N");
    case Statement::Kind::Integer:
      return "I" + std::to_string(row.columnInt(column));
    case Statement::Kind::Real:
    {
      char text[32];
      const auto end = std::to_chars(text, text + sizeof text, row.columnDouble(column)).ptr;
      return "R" + std::string(text, end);
    }
    case Statement::Kind::Text:
      return "T" + row.columnText(column);
    case Statement::Kind::Blob:
    {
      const std::vector<std::uint8_t> bytes = geometry ? wkbOf(row.columnBlob(column)) : row.columnBlob(column);
      return "B" + std::string(bytes.begin(), bytes.end());
    }
  }
  return std::string();
}

std::int64_t rowCount(Database &db, const char *table)
{
  return db.scalarInt(std::string("SELECT count(*) FROM ") + table);
}

} // namespace

std::string sha256Hex(const std::string &text)
{
  Sha256 sha;
  sha.add(text);
  return sha.finish();
}

const std::vector<std::string> &dataTables()
{
  static const std::vector<std::string> tables = [] {
    std::vector<std::string> out;
    for (const TableKey &t : kTables)
      out.emplace_back(t.table);
    return out;
  }();
  return tables;
}

std::vector<TableDigest> storeDigest(Database &db)
{
  std::vector<TableDigest> out;
  // One snapshot for all tables: a digest of a store being written is of one moment.
  Transaction snapshot(db, Transaction::Kind::Deferred);
  for (const TableKey &t : kTables)
  {
    if (!t.digested)
      continue;
    TableDigest digest;
    digest.table = t.table;
    Sha256 sha;
    // Table names and keys come from the constant list above, never from input.
    auto q = db.query(std::string("SELECT * FROM ") + t.table + " ORDER BY " + t.orderBy);
    while (q.step())
    {
      ++digest.rows;
      const int columns = q->columnCount();
      for (int c = 0; c < columns; ++c)
      {
        const std::string name = q->columnName(c);
        const std::string value = canonical(*q, c, name == "geom");
        // Each value framed by its length: "ab","c" differs from "a","bc".
        const std::string framed = name + "=" + std::to_string(value.size()) + ":";
        sha.add(framed);
        sha.add(value);
      }
      sha.add("\n");
    }
    digest.sha256 = sha.finish();
    out.push_back(std::move(digest));
  }
  snapshot.commit();
  return out;
}

std::vector<TableDigest> copyStore(Database &from, Database &to,
                                   const std::function<void(const std::string &, std::int64_t)> &progress)
{
  const int sourceRevision = Schema::revision(from);
  const int targetRevision = Schema::revision(to);
  if (sourceRevision != Schema::kRevision || targetRevision != Schema::kRevision)
    throw StoreError(0, "copy needs both stores at schema revision " + std::to_string(Schema::kRevision) + " (" +
                          from.path().string() + " is at " + std::to_string(sourceRevision) + ", " +
                          to.path().string() + " at " + std::to_string(targetRevision) +
                          "): run 'griddispatch-ctl init' on each first");
  Transaction write(to, Transaction::Kind::Immediate);
  // A copy never mixes with data already there: refused before anything is written.
  std::string held;
  for (const TableKey &t : kTables)
    if (const std::int64_t rows = rowCount(to, t.table); rows > 0)
      held += (held.empty() ? "" : ", ") + std::to_string(rows) + " in " + t.table;
  if (!held.empty())
    throw StoreRefusal("target_not_empty", to.path().string() + " is not empty (" + held +
                                              "): copy only into a new store; nothing was written");
  Transaction read(from, Transaction::Kind::Deferred);
  std::vector<TableDigest> copied;
  for (const TableKey &t : kTables)
  {
    auto rows = from.query(std::string("SELECT * FROM ") + t.table + " ORDER BY " + t.orderBy);
    std::int64_t count = 0;
    std::string insert;
    int columns = 0;
    while (rows.step())
    {
      if (insert.empty())
      {
        columns = rows->columnCount();
        std::string names;
        std::string marks;
        for (int c = 0; c < columns; ++c)
        {
          names += (c ? ", " : "") + rows->columnName(c);
          marks += c ? ", ?" : "?";
        }
        insert = std::string("INSERT INTO ") + t.table + " (" + names + ") VALUES (" + marks + ")";
      }
      auto out = to.query(insert);
      for (int c = 0; c < columns; ++c)
      {
        switch (rows->columnKind(c))
        {
          case Statement::Kind::Null:
            out->bind(c + 1, nullptr);
            break;
          case Statement::Kind::Integer:
            out->bind(c + 1, rows->columnInt(c));
            break;
          case Statement::Kind::Real:
            out->bind(c + 1, rows->columnDouble(c));
            break;
          case Statement::Kind::Text:
            out->bind(c + 1, rows->columnText(c));
            break;
          case Statement::Kind::Blob:
            out->bindBlob(c + 1, rows->columnBlob(c));
            break;
        }
      }
      out.run();
      ++count;
    }
    copied.push_back(TableDigest{t.table, count, {}});
    if (progress)
      progress(t.table, count);
  }
  read.commit();
  if (to.isPostgres())
  {
    // Ids were written as they were: each identity goes on after the largest.
    auto identities = to.query("SELECT table_name, column_name FROM information_schema.columns "
                               "WHERE table_schema = current_schema() AND is_identity = 'YES'");
    std::vector<std::pair<std::string, std::string>> list;
    // Only the store's own tables (the names then come from kTables, never from the database).
    while (identities.step())
      for (const TableKey &t : kTables)
        if (identities->columnText(0) == t.table && identities->columnText(1) == (std::string_view(t.orderBy) == "fid" ? "fid" : "id"))
          list.emplace_back(t.table, identities->columnText(1) == "fid" ? "fid" : "id");
    for (const auto &[table, column] : list)
      to.query("SELECT setval(pg_get_serial_sequence(CAST(? AS text), CAST(? AS text)), "
               "(SELECT coalesce(max(" + column + "), 0) + 1 FROM " + table + "), false)")
        .bindAll(table, column)
        .run();
  }
  else
  {
    // The GeoPackage's extents in gpkg_contents, for GIS programs that read them.
    for (const TableKey &t : kTables)
    {
      const std::string table = t.table;
      if (table.rfind("grid_", 0) != 0 && table != "cases" && table != "pois" && table != "positions" &&
          table != "worker_positions")
        continue;
      if (table == "grid_workers")
        continue;
      auto extent = to.query("SELECT min(ST_MinX(geom)), min(ST_MinY(geom)), max(ST_MaxX(geom)), max(ST_MaxY(geom)) FROM " +
                             table + " WHERE geom IS NOT NULL");
      if (extent.step() && !extent->isNull(0))
        geopackage::setExtent(to, table, extent->columnDouble(0), extent->columnDouble(1), extent->columnDouble(2),
                              extent->columnDouble(3));
    }
  }
  write.commit();
  return copied;
}

} // namespace gd::store
