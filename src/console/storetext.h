#pragma once
// Conversions between the store's values (UTF-8 std::string, core::TimePoint) and the
// console's Qt values, for the QGIS-free files that talk to the store (see storeaccess.h).

#include "core/departments.h"
#include "core/gridtree.h"
#include "core/timeutil.h"

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

} // namespace gd::console
