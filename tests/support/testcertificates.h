#pragma once
// Certificates made in a test (OpenSSL 3): a self-signed one for the field gateway's TLS, and
// a certificate authority with a server certificate it signs, as a center's database has.
// Every key is EC P-256; every certificate is valid from an hour ago for 30 days.

#include <string>

namespace gd::test {

struct CertificateFiles
{
  std::string certFile;
  std::string keyFile;
};

/**
 * A self-signed certificate for "localhost" and 127.0.0.1 (its own CA: a client trusts it by
 * trusting the file), written as \a stem.crt / \a stem.key in \a directory (created if needed).
 * Throws std::runtime_error.
 */
CertificateFiles writeSelfSignedCertificate(const std::string &directory, const std::string &stem);

/**
 * A certificate authority named "\a stem test CA" (CA:TRUE, may sign certificates, no host
 * names): \a stem.crt / \a stem.key in \a directory. Throws std::runtime_error.
 */
CertificateFiles writeCertificateAuthority(const std::string &directory, const std::string &stem);

/**
 * A server certificate for "localhost" and 127.0.0.1 (CA:FALSE) signed by \a authority:
 * \a stem.crt / \a stem.key in \a directory; the key file is mode 0600 (servers such as
 * PostgreSQL refuse a key others may read). Throws std::runtime_error.
 */
CertificateFiles writeServerCertificate(const CertificateFiles &authority, const std::string &directory,
                                        const std::string &stem);

} // namespace gd::test
