#include "store/grids/poistore.h"

#include "store/database.h"
#include "store/geopackage.h"
#include "store/storeerror.h"

#include <nlohmann/json.hpp>

namespace gd::store {

PoiStore::PoiStore(Database &db)
  : mDb(db)
{}

std::int64_t PoiStore::add(const Poi &poi)
{
  auto q = mDb.query("INSERT INTO pois (geom, kind, name, stream_url, attributes) VALUES (?, ?, ?, ?, ?) RETURNING fid");
  q->bindBlob(1, geopackage::encodePoint(poi.point));
  q->bind(2, poi.kind).bind(3, poi.name);
  if (poi.streamUrl.empty())
    q->bind(4, nullptr);
  else
    q->bind(4, poi.streamUrl);
  // A JSON object of strings, keys sorted: the text an attributes json object wrote before.
  q->bind(5, nlohmann::json(poi.attributes).dump());
  if (!q.step())
    throw StoreError(0, "pois: the insert returned no id");
  return q->columnInt(0);
}

std::vector<Poi> PoiStore::list(const std::string &kind)
{
  std::vector<Poi> out;
  auto q = mDb.query("SELECT fid, kind, name, geom, coalesce(stream_url, ''), attributes FROM pois "
                     "WHERE CAST(? AS TEXT) = '' OR kind = ? ORDER BY fid");
  q.bindAll(kind, kind);
  while (q.step())
  {
    Poi p;
    p.id = q->columnInt(0);
    p.kind = q->columnText(1);
    p.name = q->columnText(2);
    p.point = geopackage::decodePoint(q->columnBlob(3)).value_or(core::GeoPoint{});
    p.streamUrl = q->columnText(4);
    const auto attributes = nlohmann::json::parse(q->columnText(5), nullptr, false);
    if (attributes.is_object())
      for (const auto &[key, value] : attributes.items())
        p.attributes.emplace(key, value.is_string() ? value.get<std::string>() : value.dump());
    out.push_back(std::move(p));
  }
  return out;
}

} // namespace gd::store
