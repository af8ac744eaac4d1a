#pragma once
// Writes a fresh self-signed certificate and its key (PEM) for TLS tests: the shared test
// certificates (tests/support/testcertificates.h) under the feed tests' names.

#include "testcertificates.h"

namespace gd::feed::test {

using gd::test::CertificateFiles;
using gd::test::writeSelfSignedCertificate;

} // namespace gd::feed::test
