#include "console/shell/theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace gd::console {

namespace {
QString gTheme = QStringLiteral("light");
}

void applyTheme(const QString &name)
{
  QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
  QPalette palette;
  if (name == QLatin1String("dark"))
  {
    // Contrast kept at WCAG AA for body text (#e6e9ee on #23272e is ~12:1).
    const QColor window(35, 39, 46);
    const QColor base(27, 30, 36);
    const QColor text(230, 233, 238);
    const QColor disabled(120, 126, 136);
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::AlternateBase, QColor(42, 47, 55));
    palette.setColor(QPalette::ToolTipBase, QColor(50, 56, 66));
    palette.setColor(QPalette::ToolTipText, text);
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::Button, QColor(48, 53, 62));
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::BrightText, QColor(255, 90, 90));
    palette.setColor(QPalette::Link, QColor(110, 180, 255));
    palette.setColor(QPalette::Highlight, QColor(42, 110, 190));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::Mid, QColor(90, 96, 106));
    palette.setColor(QPalette::PlaceholderText, disabled);
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
      palette.setColor(QPalette::Disabled, role, disabled);
    gTheme = QStringLiteral("dark");
  }
  else
  {
    palette = QApplication::style()->standardPalette();
    palette.setColor(QPalette::Highlight, QColor(33, 102, 172));
    gTheme = QStringLiteral("light");
  }
  QApplication::setPalette(palette);
}

QString currentTheme()
{
  return gTheme;
}

} // namespace gd::console
