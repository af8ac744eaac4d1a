#include "store/geopackage.h"

#include "store/database.h"

#include <sqlite3.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>

namespace gd::store::geopackage {

static_assert(std::endian::native == std::endian::little, "the GeoPackageBinary writer assumes a little-endian host");

namespace {

constexpr const char *kWkt4490 =
  "GEOGCS[\"China Geodetic Coordinate System 2000\",DATUM[\"China_2000\",SPHEROID[\"CGCS2000\",6378137,"
  "298.257222101,AUTHORITY[\"EPSG\",\"1024\"]],AUTHORITY[\"EPSG\",\"1043\"]],PRIMEM[\"Greenwich\",0,"
  "AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],"
  "AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4490\"]]";
constexpr const char *kWkt4326 =
  "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],"
  "AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\","
  "0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],"
  "AUTHORITY[\"EPSG\",\"4326\"]]";

constexpr std::uint32_t kWkbPoint = 1;
constexpr std::uint32_t kWkbPolygon = 3;
constexpr std::uint32_t kWkbMultiPolygon = 6;

class Writer
{
  public:
    std::vector<std::uint8_t> bytes;
    void u8(std::uint8_t v) { bytes.push_back(v); }
    void u32(std::uint32_t v) { raw(&v, sizeof v); }
    void i32(std::int32_t v) { raw(&v, sizeof v); }
    void f64(double v) { raw(&v, sizeof v); }
    void raw(const void *p, std::size_t n)
    {
      const auto *b = static_cast<const std::uint8_t *>(p);
      bytes.insert(bytes.end(), b, b + n);
    }
};

class Reader
{
  public:
    Reader(const std::vector<std::uint8_t> &b, std::size_t start)
      : mBytes(b)
      , mPos(start)
    {}
    bool ok() const { return mOk; }
    bool littleEndian = true;
    std::uint8_t u8()
    {
      if (mPos + 1 > mBytes.size())
        return fail<std::uint8_t>();
      return mBytes[mPos++];
    }
    std::uint32_t u32() { return read<std::uint32_t>(); }
    double f64() { return read<double>(); }
    void skip(std::size_t n)
    {
      if (mPos + n > mBytes.size())
        mOk = false;
      else
        mPos += n;
    }

  private:
    template<typename T> T fail()
    {
      mOk = false;
      return T{};
    }
    template<typename T> T read()
    {
      if (mPos + sizeof(T) > mBytes.size())
        return fail<T>();
      std::uint8_t tmp[sizeof(T)];
      std::memcpy(tmp, mBytes.data() + mPos, sizeof(T));
      if (!littleEndian)
        std::reverse(tmp, tmp + sizeof(T));
      mPos += sizeof(T);
      T v;
      std::memcpy(&v, tmp, sizeof(T));
      return v;
    }
    const std::vector<std::uint8_t> &mBytes;
    std::size_t mPos;
    bool mOk = true;
};

void header(Writer &w, int srsId, int envelopeKind)
{
  w.u8('G');
  w.u8('P');
  w.u8(0);                                                   // version 1
  w.u8(static_cast<std::uint8_t>(0x01 | (envelopeKind << 1))); // little endian, envelope indicator
  w.i32(srsId);
}

void ring(Writer &w, const core::Ring &r)
{
  w.u32(static_cast<std::uint32_t>(r.size()));
  for (const core::GeoPoint &p : r)
  {
    w.f64(p.lon);
    w.f64(p.lat);
  }
}

// Returns the WKB start offset after the GP header, or 0 when the header is invalid.
std::size_t wkbStart(const std::vector<std::uint8_t> &blob)
{
  if (blob.size() < 8 || blob[0] != 'G' || blob[1] != 'P')
    return 0;
  const int envelope = (blob[3] >> 1) & 0x07;
  static constexpr std::size_t kEnvelopeBytes[] = {0, 32, 48, 48, 64};
  if (envelope > 4)
    return 0;
  const std::size_t start = 8 + kEnvelopeBytes[envelope];
  return blob.size() > start ? start : 0;
}

bool readRing(Reader &r, core::Ring &out)
{
  const std::uint32_t n = r.u32();
  if (!r.ok() || n > 10'000'000)
    return false;
  out.resize(n);
  for (auto &p : out)
  {
    p.lon = r.f64();
    p.lat = r.f64();
  }
  return r.ok();
}

bool readPolygon(Reader &r, core::Polygon &out)
{
  const std::uint32_t rings = r.u32();
  if (!r.ok() || rings == 0 || rings > 1'000'000)
    return rings == 0 && r.ok();
  if (!readRing(r, out.outer))
    return false;
  out.holes.resize(rings - 1);
  for (auto &h : out.holes)
    if (!readRing(r, h))
      return false;
  return true;
}

struct Envelope
{
  double minX = 0, maxX = 0, minY = 0, maxY = 0;
  bool empty = true;
};

// The envelope of a GeoPackageBinary blob: from its header when present, else from the WKB.
Envelope envelopeOf(const std::vector<std::uint8_t> &blob)
{
  Envelope e;
  if (blob.size() < 8 || blob[0] != 'G' || blob[1] != 'P' || (blob[3] & 0x10))
    return e;
  const int kind = (blob[3] >> 1) & 0x07;
  if (kind >= 1 && kind <= 4 && blob.size() >= 8 + 32)
  {
    Reader r(blob, 8);
    r.littleEndian = (blob[3] & 0x01) != 0;
    e.minX = r.f64();
    e.maxX = r.f64();
    e.minY = r.f64();
    e.maxY = r.f64();
    e.empty = !r.ok();
    return e;
  }
  if (auto p = decodePoint(blob))
  {
    e = {p->lon, p->lon, p->lat, p->lat, false};
    return e;
  }
  if (auto mp = decodeMultiPolygon(blob))
  {
    for (const core::Polygon &polygon : *mp)
      for (const core::GeoPoint &p : polygon.outer)
      {
        if (e.empty)
          e = {p.lon, p.lon, p.lat, p.lat, false};
        e.minX = std::min(e.minX, p.lon);
        e.maxX = std::max(e.maxX, p.lon);
        e.minY = std::min(e.minY, p.lat);
        e.maxY = std::max(e.maxY, p.lat);
      }
  }
  return e;
}

Envelope envelopeArg(sqlite3_value *value)
{
  if (sqlite3_value_type(value) != SQLITE_BLOB)
    return {};
  const auto *data = static_cast<const std::uint8_t *>(sqlite3_value_blob(value));
  const int size = sqlite3_value_bytes(value);
  return envelopeOf(std::vector<std::uint8_t>(data, data + size));
}

template<int Which> void envelopeFunction(sqlite3_context *context, int, sqlite3_value **argv)
{
  const Envelope e = envelopeArg(argv[0]);
  if (e.empty)
  {
    sqlite3_result_null(context);
    return;
  }
  const double values[] = {e.minX, e.maxX, e.minY, e.maxY};
  sqlite3_result_double(context, values[Which]);
}

void isEmptyFunction(sqlite3_context *context, int, sqlite3_value **argv)
{
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
  {
    sqlite3_result_null(context);
    return;
  }
  sqlite3_result_int(context, envelopeArg(argv[0]).empty ? 1 : 0);
}

} // namespace

void registerSqlFunctions(sqlite3 *db)
{
  const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
  sqlite3_create_function_v2(db, "ST_MinX", 1, flags, nullptr, envelopeFunction<0>, nullptr, nullptr, nullptr);
  sqlite3_create_function_v2(db, "ST_MaxX", 1, flags, nullptr, envelopeFunction<1>, nullptr, nullptr, nullptr);
  sqlite3_create_function_v2(db, "ST_MinY", 1, flags, nullptr, envelopeFunction<2>, nullptr, nullptr, nullptr);
  sqlite3_create_function_v2(db, "ST_MaxY", 1, flags, nullptr, envelopeFunction<3>, nullptr, nullptr, nullptr);
  sqlite3_create_function_v2(db, "ST_IsEmpty", 1, flags, nullptr, isEmptyFunction, nullptr, nullptr, nullptr);
}

void createSpatialIndex(Database &db, std::string_view tableName, std::string_view idColumn)
{
  // Identifiers cannot be bound as parameters; both come from the schema's constants.
  const std::string t(tableName), i(idColumn), r = "rtree_" + t + "_geom";
  const std::string values = "VALUES (NEW." + i + ", ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom))";
  db.exec(R"sql(CREATE TABLE IF NOT EXISTS gpkg_extensions (
  table_name TEXT,
  column_name TEXT,
  extension_name TEXT NOT NULL,
  definition TEXT NOT NULL,
  scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)))sql");
  db.exec("CREATE VIRTUAL TABLE " + r + " USING rtree(id, minx, maxx, miny, maxy)");
  db.exec("CREATE TRIGGER " + r + "_insert AFTER INSERT ON " + t +
          " WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN INSERT OR REPLACE INTO " + r + " " + values +
          "; END");
  db.exec("CREATE TRIGGER " + r + "_update1 AFTER UPDATE OF geom ON " + t + " WHEN OLD." + i + " = NEW." + i +
          " AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN INSERT OR REPLACE INTO " + r + " " + values +
          "; END");
  db.exec("CREATE TRIGGER " + r + "_update2 AFTER UPDATE OF geom ON " + t + " WHEN OLD." + i + " = NEW." + i +
          " AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM " + r + " WHERE id = OLD." + i + "; END");
  db.exec("CREATE TRIGGER " + r + "_update3 AFTER UPDATE ON " + t + " WHEN OLD." + i + " != NEW." + i +
          " AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM " + r + " WHERE id = OLD." + i +
          "; INSERT OR REPLACE INTO " + r + " " + values + "; END");
  db.exec("CREATE TRIGGER " + r + "_update4 AFTER UPDATE ON " + t + " WHEN OLD." + i + " != NEW." + i +
          " AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) BEGIN DELETE FROM " + r + " WHERE id IN (OLD." + i +
          ", NEW." + i + "); END");
  db.exec("CREATE TRIGGER " + r + "_delete AFTER DELETE ON " + t + " WHEN old.geom NOT NULL BEGIN DELETE FROM " + r +
          " WHERE id = OLD." + i + "; END");
  db.query("INSERT OR REPLACE INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) "
           "VALUES (?, 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')")
    .bindAll(t)
    .run();
  db.exec("INSERT OR REPLACE INTO " + r + " SELECT " + i +
          ", ST_MinX(geom), ST_MaxX(geom), ST_MinY(geom), ST_MaxY(geom) FROM " + t +
          " WHERE geom NOT NULL AND NOT ST_IsEmpty(geom)");
}

void createCoreTables(Database &db)
{
  db.exec(R"sql(
CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT);
CREATE TABLE IF NOT EXISTS gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
)sql");
  auto insert = db.query("INSERT OR IGNORE INTO gpkg_spatial_ref_sys "
                         "(srs_name, srs_id, organization, organization_coordsys_id, definition, description) "
                         "VALUES (?, ?, ?, ?, ?, ?)");
  insert.bindAll("WGS 84 geodetic", 4326, "EPSG", 4326, kWkt4326, "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid").run();
  insert->reset();
  insert.bindAll("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system").run();
  insert->reset();
  insert.bindAll("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system").run();
  insert->reset();
  insert.bindAll("China Geodetic Coordinate System 2000", kSrsCgcs2000, "EPSG", kSrsCgcs2000, kWkt4490,
                 "CGCS2000 geographic, longitude/latitude in degrees (the store's CRS)").run();
}

void registerFeatureTable(Database &db, std::string_view table, std::string_view geometryType,
                          std::string_view identifier, std::string_view description)
{
  db.query("INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) "
           "VALUES (?, 'features', ?, ?, ?)")
    .bindAll(table, identifier, description, kSrsCgcs2000)
    .run();
  db.query("INSERT OR REPLACE INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) "
           "VALUES (?, 'geom', ?, ?, 0, 0)")
    .bindAll(table, geometryType, kSrsCgcs2000)
    .run();
}

void registerAttributeTable(Database &db, std::string_view table, std::string_view identifier,
                            std::string_view description)
{
  db.query("INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, description) "
           "VALUES (?, 'attributes', ?, ?)")
    .bindAll(table, identifier, description)
    .run();
}

void setExtent(Database &db, std::string_view table, double minX, double minY, double maxX, double maxY)
{
  db.query("UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?, "
           "last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = ?")
    .bindAll(minX, minY, maxX, maxY, table)
    .run();
}

std::vector<std::uint8_t> encodePoint(core::GeoPoint point, int srsId)
{
  Writer w;
  w.bytes.reserve(29);
  header(w, srsId, 0);
  w.u8(1);
  w.u32(kWkbPoint);
  w.f64(point.lon);
  w.f64(point.lat);
  return std::move(w.bytes);
}

std::vector<std::uint8_t> encodeMultiPolygon(const core::MultiPolygon &geometry, int srsId)
{
  double minX = std::numeric_limits<double>::max(), minY = minX;
  double maxX = std::numeric_limits<double>::lowest(), maxY = maxX;
  for (const core::Polygon &polygon : geometry)
    for (const core::GeoPoint &p : polygon.outer)
    {
      minX = std::min(minX, p.lon);
      maxX = std::max(maxX, p.lon);
      minY = std::min(minY, p.lat);
      maxY = std::max(maxY, p.lat);
    }
  Writer w;
  const bool empty = geometry.empty();
  w.u8('G');
  w.u8('P');
  w.u8(0);
  w.u8(static_cast<std::uint8_t>(empty ? (0x01 | 0x10) : (0x01 | (1 << 1))));
  w.i32(srsId);
  if (!empty)
  {
    w.f64(minX);
    w.f64(maxX);
    w.f64(minY);
    w.f64(maxY);
  }
  w.u8(1);
  w.u32(kWkbMultiPolygon);
  w.u32(static_cast<std::uint32_t>(geometry.size()));
  for (const core::Polygon &polygon : geometry)
  {
    w.u8(1);
    w.u32(kWkbPolygon);
    w.u32(static_cast<std::uint32_t>(1 + polygon.holes.size()));
    ring(w, polygon.outer);
    for (const core::Ring &hole : polygon.holes)
      ring(w, hole);
  }
  return std::move(w.bytes);
}

std::optional<core::GeoPoint> decodePoint(const std::vector<std::uint8_t> &blob)
{
  const std::size_t start = wkbStart(blob);
  if (start == 0)
    return std::nullopt;
  Reader r(blob, start);
  r.littleEndian = r.u8() == 1;
  if (r.u32() != kWkbPoint)
    return std::nullopt;
  core::GeoPoint p;
  p.lon = r.f64();
  p.lat = r.f64();
  if (!r.ok())
    return std::nullopt;
  return p;
}

std::optional<core::MultiPolygon> decodeMultiPolygon(const std::vector<std::uint8_t> &blob)
{
  const std::size_t start = wkbStart(blob);
  if (start == 0)
    return std::nullopt;
  Reader r(blob, start);
  r.littleEndian = r.u8() == 1;
  const std::uint32_t type = r.u32();
  core::MultiPolygon out;
  if (type == kWkbPolygon)
  {
    out.emplace_back();
    if (!readPolygon(r, out.back()))
      return std::nullopt;
    return out;
  }
  if (type != kWkbMultiPolygon)
    return std::nullopt;
  const std::uint32_t count = r.u32();
  if (!r.ok() || count > 1'000'000)
    return std::nullopt;
  out.resize(count);
  for (auto &polygon : out)
  {
    r.littleEndian = r.u8() == 1;
    if (r.u32() != kWkbPolygon || !readPolygon(r, polygon))
      return std::nullopt;
  }
  return out;
}

// EWKB: WKB whose type word carries 0x20000000 when a 4-byte SRID follows it (PostGIS's
// extension; only the outermost geometry carries it).
constexpr std::uint32_t kEwkbSridFlag = 0x20000000;

std::vector<std::uint8_t> toEwkb(const std::vector<std::uint8_t> &blob)
{
  const std::size_t start = wkbStart(blob);
  if (start == 0 || blob.size() < start + 5)
    return {};
  Reader srs(blob, 4);
  srs.littleEndian = (blob[3] & 0x01) != 0;
  const std::int32_t srsId = static_cast<std::int32_t>(srs.u32());
  Reader r(blob, start);
  r.littleEndian = r.u8() == 1;
  const std::uint32_t type = r.u32();
  if (!r.ok())
    return {};
  Writer w;
  w.bytes.reserve(blob.size() - start + 4);
  w.u8(1); // little endian throughout: the words below are written so
  w.u32(type | kEwkbSridFlag);
  w.i32(srsId);
  if (blob[start] == 1)
    w.raw(blob.data() + start + 5, blob.size() - start - 5);
  else
  {
    // A big-endian body is rare (we write little endian): keep the original byte order for
    // the body by writing the whole value big endian instead.
    Writer b;
    b.u8(0);
    std::uint32_t t = type | kEwkbSridFlag;
    std::uint8_t tb[4];
    std::memcpy(tb, &t, 4);
    std::reverse(tb, tb + 4);
    b.raw(tb, 4);
    std::uint32_t id = static_cast<std::uint32_t>(srsId);
    std::uint8_t ib[4];
    std::memcpy(ib, &id, 4);
    std::reverse(ib, ib + 4);
    b.raw(ib, 4);
    b.raw(blob.data() + start + 5, blob.size() - start - 5);
    return std::move(b.bytes);
  }
  return std::move(w.bytes);
}

std::vector<std::uint8_t> fromEwkb(const std::vector<std::uint8_t> &ewkb)
{
  if (ewkb.size() < 5)
    return {};
  Reader r(ewkb, 0);
  const bool little = r.u8() == 1;
  r.littleEndian = little;
  const std::uint32_t type = r.u32();
  std::int32_t srsId = 0;
  std::size_t body = 5;
  if (type & kEwkbSridFlag)
  {
    srsId = static_cast<std::int32_t>(r.u32());
    body = 9;
  }
  if (!r.ok())
    return {};
  Writer w;
  w.bytes.reserve(ewkb.size() + 4);
  header(w, srsId, 0);
  w.u8(little ? 1 : 0);
  std::uint32_t plain = type & ~kEwkbSridFlag;
  std::uint8_t tb[4];
  std::memcpy(tb, &plain, 4);
  if (!little)
    std::reverse(tb, tb + 4);
  w.raw(tb, 4);
  w.raw(ewkb.data() + body, ewkb.size() - body);
  return std::move(w.bytes);
}

} // namespace gd::store::geopackage
