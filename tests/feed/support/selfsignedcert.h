#pragma once
// Writes a fresh self-signed certificate and its key (PEM) for TLS tests.

#include <string>

namespace gd::feed::test {

struct CertificateFiles
{
  std::string certFile;
  std::string keyFile;
};

/**
 * Creates an EC P-256 key and a self-signed certificate for "localhost" and 127.0.0.1 in
 * \a directory (created if needed), named \a stem.crt / \a stem.key. Throws std::runtime_error.
 */
CertificateFiles writeSelfSignedCertificate(const std::string &directory, const std::string &stem);

} // namespace gd::feed::test
