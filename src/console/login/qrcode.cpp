#include "console/login/qrcode.h"

#include <qrencode.h>

#include <QPainter>

#include <memory>

namespace gd::console {

QImage qrCodeImage(const QByteArray &text, int moduleSize)
{
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
    QRcode_encodeData(text.size(), reinterpret_cast<const unsigned char *>(text.constData()), 0, QR_ECLEVEL_M),
    QRcode_free);
  if (!code)
    return {};
  constexpr int kQuiet = 4;
  const int side = (code->width + 2 * kQuiet) * moduleSize;
  QImage image(side, side, QImage::Format_RGB32);
  image.fill(Qt::white);
  QPainter painter(&image);
  for (int y = 0; y < code->width; ++y)
    for (int x = 0; x < code->width; ++x)
      if (code->data[y * code->width + x] & 1) // bit 0: the module is dark
        painter.fillRect((x + kQuiet) * moduleSize, (y + kQuiet) * moduleSize, moduleSize, moduleSize, Qt::black);
  return image;
}

} // namespace gd::console
