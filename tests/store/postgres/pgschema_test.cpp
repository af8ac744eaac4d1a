// The store's schema on PostgreSQL + PostGIS (issue 16) against the GeoPackage store it must be
// equivalent to: a GeoPackage made by Schema::openOrCreate at the current revision is the
// reference for the tables, columns, keys, indexes, triggers and descriptions, so a revision
// added to one backend and not the other fails here. Also what QGIS and OGR need: PostGIS's
// geometry_columns, GiST indexes, ogrinfo's view of the layers, and QGIS 3.22's layer_styles.

#include "store/postgres/pgschema.h"

#include "pgcluster.h"
#include "store/database.h"
#include "store/grids/layerstyles.h"
#include "store/schema.h"
#include "../tempdir.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace gd;

namespace {

using Row = std::vector<std::string>;
constexpr const char *kNull = "<null>";

// One libpq connection; failures of statements expected to succeed are test failures.
class Pg
{
    using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

  public:
    explicit Pg(const std::string &conninfo)
      : mConnection(PQconnectdb(conninfo.c_str()), &PQfinish)
    {
      EXPECT_EQ(PQstatus(mConnection.get()), CONNECTION_OK) << PQerrorMessage(mConnection.get());
      PQsetNoticeReceiver(
        mConnection.get(),
        [](void *self, const PGresult *notice) {
          static_cast<Pg *>(self)->notices.emplace_back(PQresultErrorMessage(notice));
        },
        this);
    }

    std::vector<Row> rows(const std::string &sql, const std::vector<std::string> &params = {})
    {
      Result result = run(sql, params);
      const ExecStatusType status = PQresultStatus(result.get());
      EXPECT_TRUE(status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) << sql << ": " << PQerrorMessage(mConnection.get());
      std::vector<Row> out;
      if (status != PGRES_TUPLES_OK)
        return out;
      for (int r = 0; r < PQntuples(result.get()); ++r)
      {
        Row row;
        for (int c = 0; c < PQnfields(result.get()); ++c)
          row.emplace_back(PQgetisnull(result.get(), r, c) ? kNull : PQgetvalue(result.get(), r, c));
        out.push_back(std::move(row));
      }
      return out;
    }

    std::string value(const std::string &sql, const std::vector<std::string> &params = {})
    {
      const auto result = rows(sql, params);
      return result.empty() || result[0].empty() ? std::string() : result[0][0];
    }

    //! Runs \a sql, which may be several statements (the simple query protocol).
    void exec(const std::string &sql)
    {
      Result result(PQexec(mConnection.get(), sql.c_str()), &PQclear);
      EXPECT_EQ(PQresultStatus(result.get()), PGRES_COMMAND_OK) << PQerrorMessage(mConnection.get());
    }

    //! The primary message and SQLSTATE of a statement that must fail ("", "" when it succeeded).
    std::pair<std::string, std::string> failure(const std::string &sql)
    {
      Result result = run(sql, {});
      const ExecStatusType status = PQresultStatus(result.get());
      if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)
        return {};
      const char *message = PQresultErrorField(result.get(), PG_DIAG_MESSAGE_PRIMARY);
      const char *state = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
      return {message ? message : "", state ? state : ""};
    }

    std::vector<std::string> notices;

  private:

    Result run(const std::string &sql, const std::vector<std::string> &params)
    {
      std::vector<const char *> values;
      for (const std::string &p : params)
        values.push_back(p.c_str());
      return Result(PQexecParams(mConnection.get(), sql.c_str(), static_cast<int>(values.size()), nullptr,
                                 values.data(), nullptr, nullptr, 0),
                    &PQclear);
    }

    std::unique_ptr<PGconn, decltype(&PQfinish)> mConnection;
};

std::vector<Row> sqliteRows(store::Database &db, const std::string &sql, const std::string &param = {})
{
  auto q = db.query(sql);
  if (!param.empty())
    q.bindAll(param);
  std::vector<Row> out;
  while (q.step())
  {
    Row row;
    for (int c = 0; c < sqlite3_column_count(q->handle()); ++c)
      row.push_back(q->isNull(c) ? kNull : q->columnText(c));
    out.push_back(std::move(row));
  }
  return out;
}

std::string joined(const std::vector<std::string> &parts)
{
  std::string out;
  for (const std::string &p : parts)
    out += (out.empty() ? "" : ",") + p;
  return out;
}

std::string lower(std::string text)
{
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// A predicate or expression without parentheses, blanks and case: `(is_open = 1)` as PostgreSQL
// prints it is `is_open = 1` as SQLite keeps it.
std::string normalized(const std::string &text)
{
  std::string out;
  for (char c : lower(text))
    if (c != '(' && c != ')' && c != ' ' && c != '\n')
      out += c;
  return out;
}

// A CHECK as its column and its literals ("kind:'alert','assign','urge'"), comparable between
// SQLite's text (`kind IN ('assign','urge','alert')`) and PostgreSQL's
// (`CHECK ((kind = ANY (ARRAY['assign'::text, ...])))`).
std::string checkSignature(const std::string &expression)
{
  static const std::regex identifier("[a-z_][a-z0-9_]*");
  static const std::regex literal("'[^']*'|\\b[0-9]+\\b");
  std::string text = lower(expression);
  const std::string::size_type check = text.find("check");
  if (check != std::string::npos)
    text = text.substr(check + 5);
  std::smatch first;
  std::regex_search(text, first, identifier);
  std::vector<std::string> literals;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), literal); it != std::sregex_iterator(); ++it)
    literals.push_back(it->str());
  std::sort(literals.begin(), literals.end());
  return first.str() + ":" + joined(literals);
}

// The CHECK expressions in an SQLite CREATE TABLE statement.
std::vector<std::string> sqliteChecks(const std::string &createSql)
{
  std::vector<std::string> checks;
  for (std::string::size_type at = createSql.find("CHECK ("); at != std::string::npos;
       at = createSql.find("CHECK (", at + 1))
  {
    std::string::size_type end = at + 6;
    int depth = 0;
    do
    {
      depth += createSql[end] == '(' ? 1 : createSql[end] == ')' ? -1 : 0;
      ++end;
    } while (depth > 0 && end < createSql.size());
    checks.push_back(checkSignature(createSql.substr(at, end - at)));
  }
  std::sort(checks.begin(), checks.end());
  return checks;
}

// What a GeoPackage column type is on PostgreSQL.
std::string expectedType(const std::string &sqliteType)
{
  static const std::map<std::string, std::string> types = {
    {"TEXT", "text"}, {"DATETIME", "text"}, {"INTEGER", "bigint"}, {"REAL", "double precision"},
    {"BLOB", "bytea"}, {"POINT", "geometry(Point,4490)"}, {"MULTIPOLYGON", "geometry(MultiPolygon,4490)"}};
  const auto it = types.find(sqliteType);
  return it == types.end() ? "(no mapping for " + sqliteType + ")" : it->second;
}

std::string runCommand(const std::string &command)
{
  FILE *pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe)
    return {};
  std::string output;
  std::array<char, 4096> buffer{};
  while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe))
    output.append(buffer.data(), n);
  ::pclose(pipe);
  return output;
}

} // namespace

class PgSchemaTest : public ::testing::Test
{
  protected:
    static void SetUpTestSuite()
    {
      cluster = new test::PgCluster;
      conninfo = new std::string(cluster->createPostgisDatabase("center"));
      dir = new store::test::TempDir;
      sqlite = store::Schema::openOrCreate(dir->file("center.gpkg")).release();
      // As `griddispatch-ctl init` leaves it: the styles registered in gpkg_contents too.
      store::installMapStyles(*sqlite, store::defaultMapsDir());

      Pg pg(*conninfo);
      pg.exec("BEGIN");
      pg.exec(store::pg::schemaSql());
      pg.exec("COMMIT");
      applyNotices = new std::vector<std::string>(pg.notices);
      // The revisions after the base DDL, as every new store gets them (Schema::migrate).
      store::Database db(store::StoreLocation::parse(*conninfo), store::Database::Mode::ReadWrite);
      store::Schema::migrate(db);
    }

    static void TearDownTestSuite()
    {
      delete applyNotices;
      delete sqlite;
      delete dir;
      delete conninfo;
      delete cluster;
    }

    //! The GeoPackage's own tables and views, by name: type ('table'/'view') and CREATE statement.
    static std::map<std::string, std::pair<std::string, std::string>> sqliteRelations()
    {
      std::map<std::string, std::pair<std::string, std::string>> out;
      for (const Row &r : sqliteRows(*sqlite, "SELECT name, type, sql FROM sqlite_master WHERE type IN ('table', 'view') "
                                              "AND name NOT LIKE 'gpkg\\_%' ESCAPE '\\' "
                                              "AND name NOT LIKE 'rtree\\_%' ESCAPE '\\' "
                                              "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"))
        out[r[0]] = {r[1], r[2]};
      return out;
    }

    static inline test::PgCluster *cluster = nullptr;
    static inline std::string *conninfo = nullptr;
    static inline store::test::TempDir *dir = nullptr;
    static inline store::Database *sqlite = nullptr;
    static inline std::vector<std::string> *applyNotices = nullptr;
};

TEST_F(PgSchemaTest, AppliesInOneTransactionWithoutNoticesAndRecordsItsRevision)
{
  EXPECT_TRUE(applyNotices->empty()) << applyNotices->front();
  EXPECT_EQ(store::pg::kLastRevision, store::Schema::kRevision);
  Pg pg(*conninfo);
  // gd_store_info holds what the GeoPackage's does (the revision, which is user_version there too).
  std::vector<Row> expected = sqliteRows(*sqlite, "SELECT key, value FROM gd_store_info ORDER BY key");
  EXPECT_EQ(pg.rows("SELECT key, value FROM gd_store_info ORDER BY key"), expected);
  EXPECT_EQ(pg.value("SELECT value FROM gd_store_info WHERE key = 'schema_revision'"), std::to_string(store::Schema::kRevision));
}

TEST_F(PgSchemaTest, HasEveryTableViewAndColumnOfTheGeoPackageStoreWithItsType)
{
  Pg pg(*conninfo);
  const auto relations = sqliteRelations();
  ASSERT_GT(relations.size(), 20u);

  // The same tables and views, and nothing GeoPackage-specific: the schema's relations apart
  // from PostGIS's own (spatial_ref_sys, geometry_columns ...) and QGIS's layer_styles (checked
  // below against what QGIS creates, not against the GeoPackage's variant of it).
  std::map<std::string, std::string> pgRelations;
  for (const Row &r : pg.rows("SELECT c.relname, CASE c.relkind WHEN 'v' THEN 'view' ELSE 'table' END FROM pg_class c "
                              "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v') "
                              "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass "
                              "AND d.objid = c.oid AND d.deptype = 'e')"))
    pgRelations[r[0]] = r[1];
  std::map<std::string, std::string> sqliteTypes;
  for (const auto &[name, relation] : relations)
    sqliteTypes[name] = relation.first;
  EXPECT_EQ(pgRelations, sqliteTypes);

  for (const auto &[table, relation] : relations)
  {
    if (table == "layer_styles")
      continue;
    SCOPED_TRACE(table);
    // Columns in the same order, each with its type, C collation for text, and NOT NULL. A
    // primary key is NOT NULL on PostgreSQL; SQLite says notnull 0 for a rowid alias (never
    // NULL there either) and, by an old quirk, lets a rowid table's TEXT key be NULL.
    std::vector<Row> expected;
    for (const Row &c : sqliteRows(*sqlite, "SELECT name, upper(type), \"notnull\" OR pk > 0 FROM pragma_table_info(?) "
                                            "ORDER BY cid",
                                   table))
    {
      std::string sqliteType = c[1];
      // SQLite declares no type for most columns of a compound view (case_event_log): they
      // are those of the table its first SELECT reads.
      std::smatch from;
      if (sqliteType.empty() && relation.first == "view" &&
          std::regex_search(relation.second, from, std::regex("FROM ([a-z_]+)")))
        for (const Row &t : sqliteRows(*sqlite, "SELECT upper(type) FROM pragma_table_info('" + from[1].str() +
                                                  "') WHERE name = ?",
                                       c[0]))
          sqliteType = t[0];
      const std::string type = expectedType(sqliteType);
      expected.push_back({c[0], type, type == "text" ? "C" : "", c[2] == "1" ? "t" : "f"});
    }
    const std::vector<Row> actual =
      pg.rows("SELECT a.attname, format_type(a.atttypid, a.atttypmod), coalesce(co.collname, ''), "
              "CASE WHEN a.attnotnull THEN 't' ELSE 'f' END "
              "FROM pg_attribute a LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> 0 "
              "AND co.collname <> 'default' WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped "
              "ORDER BY a.attnum",
              {table});
    EXPECT_EQ(actual, expected);
  }
}

TEST_F(PgSchemaTest, HasTheGeoPackageStoresKeysConstraintsAndIndexes)
{
  Pg pg(*conninfo);
  for (const auto &[table, relation] : sqliteRelations())
  {
    if (relation.first != "table" || table == "layer_styles")
      continue;
    SCOPED_TRACE(table);

    // Primary key, and which keys are identities: a rowid alias (INTEGER PRIMARY KEY) numbered by
    // the table, not one that is another table's id (case_histories.case_id, emergency_orders.order_id).
    std::vector<std::string> pk;
    std::string pkType;
    for (const Row &c : sqliteRows(*sqlite, "SELECT name, upper(type) FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", table))
    {
      pk.push_back(c[0]);
      pkType = c[1];
    }
    EXPECT_EQ(pg.value("SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM pg_index i, "
                       "unnest(i.indkey) WITH ORDINALITY k(attnum, n), pg_attribute a "
                       "WHERE i.indrelid = $1::regclass AND i.indisprimary AND a.attrelid = i.indrelid AND a.attnum = k.attnum",
                       {table}),
              joined(pk));
    std::set<std::string> fkColumns;
    std::set<std::string> sqliteFks;
    for (const Row &f : sqliteRows(*sqlite, "SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list(?)", table))
    {
      fkColumns.insert(f[0]);
      sqliteFks.insert(f[0] + ">" + f[1] + "." + f[2]);
    }
    std::set<std::string> pgFks;
    for (const Row &f : pg.rows("SELECT a.attname || '>' || cf.relname || '.' || af.attname FROM pg_constraint c "
                                "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
                                "JOIN pg_class cf ON cf.oid = c.confrelid "
                                "JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1] "
                                "WHERE c.conrelid = $1::regclass AND c.contype = 'f' AND cardinality(c.conkey) = 1",
                                {table}))
      pgFks.insert(f[0]);
    EXPECT_EQ(pgFks, sqliteFks);
    const bool identity = pk.size() == 1 && pkType == "INTEGER" && !fkColumns.count(pk[0]);
    EXPECT_EQ(pg.value("SELECT string_agg(attname, ',') FROM pg_attribute WHERE attrelid = $1::regclass AND attidentity = 'd'",
                       {table}),
              identity ? pk[0] : std::string(kNull));

    // UNIQUE constraints.
    std::set<std::string> sqliteUniques;
    for (const Row &u : sqliteRows(*sqlite, "SELECT name FROM pragma_index_list(?) WHERE origin = 'u'", table))
    {
      std::vector<std::string> columns;
      for (const Row &c : sqliteRows(*sqlite, "SELECT name FROM pragma_index_info(?) ORDER BY seqno", u[0]))
        columns.push_back(c[0]);
      sqliteUniques.insert(joined(columns));
    }
    std::set<std::string> pgUniques;
    for (const Row &u : pg.rows("SELECT (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.conkey) "
                                "WITH ORDINALITY k(attnum, n) JOIN pg_attribute a ON a.attrelid = c.conrelid "
                                "AND a.attnum = k.attnum) FROM pg_constraint c WHERE c.conrelid = $1::regclass "
                                "AND c.contype = 'u'",
                                {table}))
      pgUniques.insert(u[0]);
    EXPECT_EQ(pgUniques, sqliteUniques);

    // CHECKs: the same column, the same values.
    std::vector<std::string> pgChecks;
    for (const Row &c : pg.rows("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = $1::regclass "
                                "AND contype = 'c'",
                                {table}))
      pgChecks.push_back(checkSignature(c[0]));
    std::sort(pgChecks.begin(), pgChecks.end());
    EXPECT_EQ(pgChecks, sqliteChecks(relation.second));
  }

  // Every index the GeoPackage store declares: same name, table, columns and partial predicate.
  std::set<std::string> declared;
  for (const Row &i : sqliteRows(*sqlite, "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' "
                                          "AND sql IS NOT NULL AND tbl_name NOT LIKE 'gpkg\\_%' ESCAPE '\\'"))
  {
    SCOPED_TRACE(i[0]);
    declared.insert(i[0]);
    std::vector<std::string> columns;
    for (const Row &c : sqliteRows(*sqlite, "SELECT name FROM pragma_index_info(?) ORDER BY seqno", i[0]))
      columns.push_back(c[0]);
    const std::string::size_type where = i[2].find(" WHERE ");
    const std::string predicate = where == std::string::npos ? kNull : normalized(i[2].substr(where + 7));
    const std::vector<Row> pgIndex =
      pg.rows("SELECT c.relname, (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(x.indkey) "
              "WITH ORDINALITY k(attnum, n) JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum), "
              "coalesce(pg_get_expr(x.indpred, x.indrelid), '" +
                std::string(kNull) +
                "'), am.amname FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class ic ON "
                "ic.oid = x.indexrelid JOIN pg_am am ON am.oid = ic.relam WHERE ic.relname = $1 "
                "AND ic.relnamespace = current_schema()::regnamespace",
              {i[0]});
    ASSERT_EQ(pgIndex.size(), 1u);
    EXPECT_EQ(pgIndex[0][0], i[1]);
    EXPECT_EQ(pgIndex[0][1], joined(columns));
    EXPECT_EQ(pgIndex[0][2] == kNull ? pgIndex[0][2] : normalized(pgIndex[0][2]), predicate);
    EXPECT_EQ(pgIndex[0][3], "btree");
  }
  ASSERT_GT(declared.size(), 20u);
  // And no other index than those, the keys' own, the GiST indexes and those the PostgreSQL
  // store has for several gateways (each with its reason).
  for (const gd::store::pg::BackendIndex &extra : gd::store::pg::kPostgresOnlyIndexes)
  {
    EXPECT_FALSE(std::string(extra.why).empty());
    declared.insert(extra.name);
  }
  for (const Row &i : pg.rows("SELECT ic.relname FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid "
                              "JOIN pg_class c ON c.oid = x.indrelid WHERE ic.relnamespace = current_schema()::regnamespace "
                              "AND c.relname NOT IN ('spatial_ref_sys', 'layer_styles') AND NOT x.indisprimary "
                              "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid) "
                              "AND ic.relname NOT LIKE '%\\_geom\\_gist'"))
    EXPECT_TRUE(declared.count(i[0])) << i[0] << " is not an index of the GeoPackage store";
}

TEST_F(PgSchemaTest, DescribesEachTableAsTheGeoPackageDoes)
{
  Pg pg(*conninfo);
  const std::vector<Row> contents =
    sqliteRows(*sqlite, "SELECT table_name, description FROM gpkg_contents ORDER BY table_name");
  ASSERT_GT(contents.size(), 15u);
  for (const Row &c : contents)
    EXPECT_EQ(pg.value("SELECT obj_description($1::regclass, 'pg_class')", {c[0]}), c[1]) << c[0];
}

TEST_F(PgSchemaTest, EveryGeometryIsAPostgisColumnInCgcs2000WithAGistIndex)
{
  Pg pg(*conninfo);
  // What the GeoPackage registers in gpkg_geometry_columns, PostGIS lists in geometry_columns.
  const std::vector<Row> expected = sqliteRows(
    *sqlite, "SELECT table_name, column_name, geometry_type_name, CAST(srs_id AS TEXT), CAST(z + m AS TEXT) FROM "
             "gpkg_geometry_columns ORDER BY table_name");
  ASSERT_EQ(expected.size(), 10u);
  EXPECT_EQ(pg.rows("SELECT f_table_name, f_geometry_column, type, srid::text, (coord_dimension - 2)::text "
                    "FROM geometry_columns WHERE f_table_schema = current_schema() ORDER BY f_table_name"),
            expected);
  for (const Row &g : expected)
    EXPECT_EQ(pg.value("SELECT pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid "
                       "WHERE ic.relname = $1 || '_geom_gist' AND x.indrelid = $1::regclass",
                       {g[0]}),
              "CREATE INDEX " + g[0] + "_geom_gist ON public." + g[0] + " USING gist (geom)")
      << g[0];
}

TEST_F(PgSchemaTest, TheEventTablesRefuseUpdateDeleteAndTruncateWithTheGeoPackagesMessages)
{
  // The messages are the GeoPackage triggers' own: RAISE(ABORT, '<message>').
  std::map<std::string, std::map<std::string, std::string>> messages; // table -> (update|delete) -> message
  const std::regex raise("RAISE\\(ABORT, '([^']*)'\\)");
  for (const Row &t : sqliteRows(*sqlite, "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' "
                                          "AND name NOT LIKE 'rtree\\_%' ESCAPE '\\'"))
  {
    std::smatch m;
    ASSERT_TRUE(std::regex_search(t[2], m, raise)) << t[2];
    messages[t[1]][t[0].substr(t[0].rfind('_') + 1)] = m[1];
  }
  ASSERT_EQ(messages.size(), 5u); // the case and emergency histories, the audit log and its seals

  Pg pg(*conninfo);
  pg.exec("BEGIN");
  const std::string caseId =
    pg.value("INSERT INTO cases (number, category, state, priority, source, lon, lat, reported_at, last_seq, updated_at) "
             "VALUES ('T-1', 'c', 'closed', 'p', 's', 98.5, 39.8, '2026-01-01T00:00:00Z', 2, '2026-01-01T00:00:00Z') "
             "RETURNING id");
  pg.rows("INSERT INTO case_histories (case_id, event_count, events) VALUES ($1, 1, "
          "'[[\"report\",\"u\",\"2026-01-01T00:00:00Z\",null,\"reported\",\"\",{}]]')",
          {caseId});
  pg.rows("INSERT INTO case_events (case_id, seq, action, actor, at, to_state) "
          "VALUES ($1, 2, 'close', 'u', '2026-01-02T00:00:00Z', 'closed')",
          {caseId});
  const std::string emergencyId = pg.value("INSERT INTO emergencies (number, lon, lat, radius_m, declared_by, declared_at) "
                                           "VALUES ('E-1', 98.5, 39.8, 500, 'u', '2026-01-01T00:00:00Z') RETURNING id");
  pg.rows("INSERT INTO emergency_timeline (emergency_id, at, actor, kind) VALUES ($1, '2026-01-01T00:00:00Z', 'u', 'declared')",
          {emergencyId});
  pg.rows("INSERT INTO audit_log (id, at, actor_id, action, outcome, link) VALUES (1, '2026-01-01T00:00:00Z', 'u', "
          "'login_ok', 'ok', '\\x00')");
  pg.rows("INSERT INTO audit_seals (id, kind, through_id, chain, at, sealed_by, mac) VALUES (1, 'seal', 1, '\\x00', "
          "'2026-01-01T00:00:00Z', 'u', '\\x00')");
  pg.exec("COMMIT");
  // The view shows the history's event and the later one as one list, as the GeoPackage's does.
  EXPECT_EQ(pg.rows("SELECT seq::text, action, from_state, to_state, data FROM case_event_log ORDER BY seq"),
            (std::vector<Row>{{"1", "report", kNull, "reported", "{}"}, {"2", "close", kNull, "closed", "{}"}}));

  for (const auto &[table, refusal] : messages)
  {
    SCOPED_TRACE(table);
    ASSERT_EQ(refusal.size(), 2u);
    const std::string column = table == "case_histories" ? "events"
                               : table == "case_events"  ? "note"
                               : table == "audit_log"    ? "detail"
                               : table == "audit_seals"  ? "sealed_by"
                                                         : "message";
    EXPECT_EQ(pg.failure("UPDATE " + table + " SET " + column + " = " + column + " || 'x'"),
              std::make_pair(refusal.at("update"), std::string("23000")));
    EXPECT_EQ(pg.failure("DELETE FROM " + table), std::make_pair(refusal.at("delete"), std::string("23000")));
    EXPECT_EQ(pg.failure("TRUNCATE " + table), std::make_pair(refusal.at("delete"), std::string("23000")));
    EXPECT_EQ(pg.value("SELECT count(*) FROM " + table), "1");
    // A statement that touches no row is not refused: row triggers, as SQLite's.
    EXPECT_EQ(pg.failure("UPDATE " + table + " SET " + column + " = " + column + " WHERE false").first, "");
    EXPECT_EQ(pg.failure("DELETE FROM " + table + " WHERE false").first, "");
    // The same trigger names as the GeoPackage's.
    EXPECT_EQ(pg.value("SELECT string_agg(tgname, ',' ORDER BY tgname) FROM pg_trigger WHERE tgrelid = $1::regclass "
                       "AND NOT tgisinternal AND tgname NOT LIKE '%_notify'",
                       {table}),
              table + "_no_delete," + table + "_no_truncate," + table + "_no_update");
  }
  // Not through the cases either.
  EXPECT_FALSE(pg.failure("TRUNCATE cases CASCADE").first.empty());
  EXPECT_EQ(pg.value("SELECT count(*) FROM case_events"), "1");
}

TEST_F(PgSchemaTest, OgrinfoListsTheGeometryLayersInCgcs2000)
{
  const std::string ogrinfo = runCommand("command -v ogrinfo");
  ASSERT_FALSE(ogrinfo.empty()) << "ogrinfo not found: install gdal-bin (scripts/install-deps.sh lists it)";

  // Each layer: its geometry, CRS and FID column as OGR sees them.
  const std::string output = runCommand("ogrinfo -ro -so -al 'PG:" + *conninfo + "'");
  std::map<std::string, std::string> layers;
  std::string current;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);)
  {
    if (line.rfind("Layer name: ", 0) == 0)
      current = line.substr(12);
    else if (!current.empty() && line.rfind("Geometry: ", 0) == 0)
      layers[current] += line.substr(10) + ";";
    else if (!current.empty() && line.find("ID[\"EPSG\",") != std::string::npos && line.rfind("    ID[", 0) == 0)
      layers[current] += line.substr(4) + ";";
    else if (!current.empty() && line.rfind("FID Column = ", 0) == 0)
      layers[current] += line + ";";
    else if (!current.empty() && line.rfind("Geometry Column = ", 0) == 0)
      layers[current] += line;
  }

  std::map<std::string, std::string> expected;
  for (const Row &g : sqliteRows(*sqlite, "SELECT g.table_name, g.geometry_type_name, p.name FROM gpkg_geometry_columns g "
                                          "JOIN pragma_table_info(g.table_name) p ON p.pk = 1"))
    expected[g[0]] = std::string(g[1] == "POINT" ? "Point" : "Multi Polygon") + ";ID[\"EPSG\",4490]];FID Column = " +
                     g[2] + ";Geometry Column = geom";
  ASSERT_EQ(expected.size(), 10u);
  EXPECT_EQ(layers, expected) << output;
}

TEST_F(PgSchemaTest, LayerStylesIsQgisOwnTableAndQgisFindsTheProductsStyleInIt)
{
  Pg pg(*conninfo);
  // The reference: the table as QGIS 3.22.16's postgres provider creates it (saveStyle, verbatim
  // from /usr/lib/qgis/plugins/libprovider_postgres.so), in a schema of its own.
  pg.exec("CREATE SCHEMA qgis_reference");
  pg.exec("SET search_path = qgis_reference");
  pg.exec("CREATE TABLE layer_styles(id SERIAL PRIMARY KEY,f_table_catalog varchar,f_table_schema varchar,f_table_name "
          "varchar,f_geometry_column varchar,styleName text,styleQML xml,styleSLD xml,useAsDefault boolean,description "
          "text,owner varchar(63) DEFAULT CURRENT_USER,ui xml,update_time timestamp DEFAULT CURRENT_TIMESTAMP,type varchar)");
  pg.exec("RESET search_path");
  const std::string columns =
    "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull::text, "
    "replace(coalesce(pg_get_expr(d.adbin, d.adrelid), ''), 'qgis_reference.', ''), "
    "(SELECT count(*) FROM pg_index x WHERE x.indrelid = a.attrelid AND x.indisprimary AND a.attnum = ANY (x.indkey))::text "
    "FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
    "WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";
  const std::vector<Row> qgis = pg.rows(columns, {"qgis_reference.layer_styles"});
  ASSERT_EQ(qgis.size(), 14u);
  EXPECT_EQ(pg.rows(columns, {"layer_styles"}), qgis);

  // The product's style written as the product must write it on PostgreSQL (catalog and schema
  // are the database's and the schema's names: QGIS matches them exactly), then read back with
  // QGIS 3.22's own queries for a layer grid_district(geom) in database center, schema public.
  std::ifstream file(store::defaultMapsDir() / "grid_district.qml");
  std::ostringstream qml;
  qml << file.rdbuf();
  ASSERT_GT(qml.str().size(), 1000u);
  pg.rows("UPDATE layer_styles SET useAsDefault = false WHERE f_table_catalog = current_database() "
          "AND f_table_schema = current_schema() AND f_table_name = $1 AND f_geometry_column = 'geom'",
          {"grid_district"});
  pg.rows("DELETE FROM layer_styles WHERE f_table_catalog = current_database() AND f_table_schema = current_schema() "
          "AND f_table_name = $1 AND f_geometry_column = 'geom' AND styleName = 'GridDispatch'",
          {"grid_district"});
  pg.rows("INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, "
          "styleQML, styleSLD, useAsDefault, description, type) VALUES (current_database(), current_schema(), $1, "
          "'geom', 'GridDispatch', XMLPARSE(DOCUMENT $2), NULL, true, $3, $4)",
          {"grid_district", qml.str(), "GridDispatch console style, from grid_district.qml", "Polygon"});
  EXPECT_EQ(pg.value("SELECT styleQML FROM layer_styles WHERE f_table_catalog='center' AND f_table_schema='public' "
                     "AND f_table_name='grid_district' AND f_geometry_column ='geom' AND (type='Polygon' OR type IS "
                     "NULL) ORDER BY CASE WHEN useAsDefault THEN 1 ELSE 2 END,update_time DESC LIMIT 1"),
            qml.str());
  EXPECT_EQ(pg.rows("SELECT id,styleName,description FROM layer_styles WHERE f_table_catalog='center' AND "
                    "f_table_schema='public' AND f_table_name='grid_district' AND f_geometry_column='geom' AND "
                    "(type='Polygon' OR type IS NULL) ORDER BY useasdefault DESC, update_time DESC")
              .size(),
            1u);
  EXPECT_EQ(pg.value("SELECT owner = CURRENT_USER FROM layer_styles"), "t");
}
