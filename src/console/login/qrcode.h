#pragma once

#include <QByteArray>
#include <QImage>

namespace gd::console {

/**
 * \a text as a QR code (libqrencode, error correction M, 8-bit mode), black modules on white
 * with the standard 4-module quiet zone, each module \a moduleSize pixels. A null image when the
 * text does not fit a QR code.
 */
QImage qrCodeImage(const QByteArray &text, int moduleSize = 5);

} // namespace gd::console
