#include "store/audit/configaudit.h"

#include "store/database.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

namespace gd::store::audit {

namespace fs = std::filesystem;

namespace {

//! The files of the configuration: regular files, not hidden, not an editor's backup.
std::map<std::string, std::string> currentDigests(const fs::path &dir)
{
  std::map<std::string, std::string> out;
  if (!fs::is_directory(dir))
    return out;
  for (const auto &entry : fs::recursive_directory_iterator(dir))
  {
    if (!entry.is_regular_file())
      continue;
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.front() == '.' || name.back() == '~')
      continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    out[fs::relative(entry.path(), dir).generic_string()] = hex(sm3(bytes.str()));
  }
  return out;
}

// A config_change row's detail: "sm3 OLD -> NEW (DIR)"; the digest last recorded is NEW.
std::string newDigestOf(const std::string &detail)
{
  std::istringstream words(detail);
  std::string sm3Word, oldDigest, arrow, newDigest;
  words >> sm3Word >> oldDigest >> arrow >> newDigest;
  return sm3Word == "sm3" && arrow == "->" ? newDigest : std::string();
}

} // namespace

std::vector<ConfigChange> recordConfigChanges(Database &db, const fs::path &dir, const Actor &by)
{
  const auto now = currentDigests(dir);
  Transaction tx(db);
  std::map<std::string, std::string> recorded;
  {
    auto q = db.query("SELECT object, detail FROM audit_log WHERE id IN "
                      "(SELECT max(id) FROM audit_log WHERE action = 'config_change' GROUP BY object)");
    while (q.step())
      recorded[q->columnText(0)] = newDigestOf(q->columnText(1));
  }
  std::vector<ConfigChange> changes;
  for (const auto &[file, digest] : now)
  {
    const auto it = recorded.find(file);
    const std::string last = it == recorded.end() || it->second == "removed" ? "none" : it->second;
    if (last != digest)
      changes.push_back({file, last, digest});
  }
  for (const auto &[file, digest] : recorded)
    if (digest != "removed" && !now.count(file))
      changes.push_back({file, digest, "removed"});
  AuditLog log(db);
  for (const ConfigChange &c : changes)
  {
    Entry e;
    e.actor = by;
    e.action = "config_change";
    e.object = c.file;
    e.detail = "sm3 " + c.oldDigest + " -> " + c.newDigest + " (" + dir.string() + ")";
    log.record(e);
  }
  tx.commit();
  return changes;
}

} // namespace gd::store::audit
