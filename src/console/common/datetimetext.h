#pragma once
// How the console writes a moment: year first and 24-hour, the same in every panel and in every
// language ("2026-12-07 21:07"). The locale's short format gave "2026/12/7 下午9:07" beside
// "12-07 21:07" in the same case panel.

#include <QDateTime>
#include <QString>

namespace gd::console {

//! "2026-12-07 21:07"; empty for an invalid moment.
inline QString minuteText(const QDateTime &at)
{
  return at.isValid() ? at.toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QString();
}

} // namespace gd::console
