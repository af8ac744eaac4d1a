#pragma once
// Conversions between the store's values (UTF-8 std::string, core::TimePoint) and the
// console's Qt values, for the console files that talk to the store.

#include "core/departments.h"
#include "core/gridtree.h"
#include "core/routing.h"
#include "core/timeutil.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>
#include <QString>
#include <QStringList>
#include <QTimeZone>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace gd::console {

inline QString utf8(const std::string &text)
{
  return QString::fromUtf8(text.data(), static_cast<int>(text.size()));
}

inline QString latin1(std::string_view text)
{
  return QString::fromLatin1(text.data(), static_cast<int>(text.size()));
}

inline std::string str(const QString &text)
{
  return text.toStdString();
}

// Case times are shown on Beijing time, as the SLA clock is, whatever the workstation's zone.
inline QDateTime toDateTime(core::TimePoint t)
{
  static const QTimeZone beijing(QByteArrayLiteral("Asia/Shanghai"));
  return QDateTime::fromSecsSinceEpoch(t.time_since_epoch().count(), beijing);
}

inline QDateTime toDateTime(const std::optional<core::TimePoint> &t)
{
  return t ? toDateTime(*t) : QDateTime();
}

inline core::TimePoint nowSeconds()
{
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

//! \a at as a store instant; an invalid \a at means now.
inline core::TimePoint toTimePoint(const QDateTime &at)
{
  return at.isValid() ? core::TimePoint(std::chrono::seconds(at.toSecsSinceEpoch())) : nowSeconds();
}

inline bool chineseUi()
{
  return QLocale().language() == QLocale::Chinese;
}

//! The names from township down to \a code ("乡镇 · 社区 · 网格"); "" for an unknown code.
inline QString gridNamePath(const core::GridTree &grids, const std::string &code)
{
  auto parsed = core::GridCode::parse(code);
  QStringList names;
  while (parsed && parsed->level() > core::GridLevel::District)
  {
    if (const core::GridNode *node = grids.find(*parsed))
      names.prepend(utf8(node->name));
    parsed = parsed->parent();
  }
  return names.join(QStringLiteral(" · "));
}

//! The name of department \a code in the UI language, or the code.
inline QString departmentTitle(const core::DepartmentDirectory &departments, const std::string &code)
{
  const core::Department *department = departments.find(code);
  return department ? utf8(chineseUi() ? department->nameZh : department->nameEn) : utf8(code);
}

//! Why a lead department is suggested, in the operator's words (the core's reason is English data).
inline QString routingReasonText(const core::RoutingSuggestion &s, const core::CategoryCatalog &catalog,
                                 const core::GridTree &grids)
{
  auto categoryName = [&catalog](const std::string &code) {
    if (code.size() == 2)
      if (const core::CategoryFamily *family = catalog.family(code))
        return utf8(chineseUi() ? family->nameZh : family->nameEn);
    if (const core::Category *category = catalog.find(code))
      return utf8(chineseUi() ? category->nameZh : category->nameEn);
    return utf8(code);
  };
  switch (s.basis)
  {
    case core::RoutingBasis::CategoryDefault:
      return QCoreApplication::translate("gd::console::RoutingReason", "the default department of category “%1”")
        .arg(categoryName(s.category));
    case core::RoutingBasis::Rule:
    {
      QString area = gridNamePath(grids, s.ruleGrid);
      if (area.isEmpty())
        if (const auto code = core::GridCode::parse(s.ruleGrid))
          if (const core::GridNode *node = grids.find(*code))
            area = utf8(node->name);
      if (area.isEmpty())
        area = utf8(s.ruleGrid);
      const QString what = s.ruleCategory == "*"
                             ? QCoreApplication::translate("gd::console::RoutingReason", "every category")
                             : categoryName(s.ruleCategory);
      const std::string file = s.ruleSource.substr(s.ruleSource.find_last_of("/\\") + 1);
      return QCoreApplication::translate("gd::console::RoutingReason", "the routing rule for %1 in %2 (%3, line %4)")
        .arg(what, area, utf8(file.empty() ? std::string("routing.conf") : file))
        .arg(s.ruleLine);
    }
    case core::RoutingBasis::UnknownCategory:
      break;
  }
  return QCoreApplication::translate("gd::console::RoutingReason", "category %1 is not in the catalog").arg(utf8(s.category));
}

/**
 * Who did something, in the operator's words: a field worker ("worker:<id>") and a terminal
 * ("device:<id>", for its worker) as the person's name and role, an automatic rule
 * ("rule:<name>") as such; anything else is an operator, recorded by name, and shown as it is.
 * \a workerName gives a worker's name ("" when unknown), \a deviceWorker a terminal's worker id
 * ("" when unknown).
 */
template <typename WorkerName, typename DeviceWorker>
QString actorTitle(const std::string &actor, const WorkerName &workerName, const DeviceWorker &deviceWorker)
{
  const auto person = [&](const std::string &workerId, const QString &fallback) {
    const std::string name = workerId.empty() ? std::string() : workerName(workerId);
    return name.empty() ? fallback : QCoreApplication::translate("gd::console::ActorNames", "%1 (grid worker)").arg(utf8(name));
  };
  const auto rest = [&actor](std::string_view prefix) { return actor.substr(prefix.size()); };
  if (actor.rfind("worker:", 0) == 0)
    return person(rest("worker:"), QCoreApplication::translate("gd::console::ActorNames", "grid worker %1").arg(utf8(rest("worker:"))));
  if (actor.rfind("device:", 0) == 0)
    return person(deviceWorker(rest("device:")),
                  QCoreApplication::translate("gd::console::ActorNames", "terminal %1").arg(utf8(rest("device:"))));
  if (actor == "rule:escalate_overdue")
    return QCoreApplication::translate("gd::console::ActorNames", "automatic escalation rule");
  if (actor == "rule:supervise_rework")
    return QCoreApplication::translate("gd::console::ActorNames", "automatic supervision rule");
  if (actor.rfind("rule:", 0) == 0)
    return QCoreApplication::translate("gd::console::ActorNames", "supervision rule %1").arg(utf8(rest("rule:")));
  return utf8(actor);
}

} // namespace gd::console
