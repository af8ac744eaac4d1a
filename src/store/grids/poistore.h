#pragma once

#include "core/geo.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gd::store {

class Database;

//! A point of interest: a camera (with its stream), an alarm pillar, a shelter, ...
struct Poi
{
  std::int64_t id = 0;
  std::string kind; //!< e.g. "camera", "alarm_pillar", "shelter"
  std::string name;
  core::GeoPoint point;
  std::string streamUrl; //!< for cameras; empty otherwise
  /**
   * Free-form attributes ("grid", "level", "risk" ...), stored as one JSON object of strings.
   * A value stored as another JSON type (a number, true, an object) reads as its JSON text.
   */
  std::map<std::string, std::string> attributes;
};

//! The `pois` point layer.
class PoiStore
{
  public:
    explicit PoiStore(Database &db);
    //! Adds \a poi (its id is ignored) and returns the new id.
    std::int64_t add(const Poi &poi);
    //! POIs of \a kind (all when empty), by id.
    std::vector<Poi> list(const std::string &kind = std::string());

  private:
    Database &mDb;
};

} // namespace gd::store
