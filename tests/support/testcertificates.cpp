#include "testcertificates.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>

namespace gd::test {

namespace {

template<typename T, void (*Free)(T *)>
struct Deleter
{
  void operator()(T *p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;

void check(bool ok, const char *what)
{
  if (!ok)
    throw std::runtime_error(std::string("test certificate: ") + what + " failed");
}

void addExtension(X509 *cert, X509 *issuer, int nid, const char *value)
{
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  check(ext != nullptr, "X509V3_EXT_conf_nid");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

void addName(X509_NAME *name, const char *field, const std::string &value)
{
  X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, reinterpret_cast<const unsigned char *>(value.c_str()), -1,
                             -1, 0);
}

//! A certificate for \a key valid from an hour ago for 30 days, its serial from \a stem.
CertPtr newCertificate(EVP_PKEY *key, const std::string &stem)
{
  CertPtr cert(X509_new());
  check(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), static_cast<long>(std::hash<std::string>()(stem) & 0x7fffffff));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600L * 24 * 30);
  X509_set_pubkey(cert.get(), key);
  return cert;
}

CertificateFiles write(X509 *cert, EVP_PKEY *key, const std::string &directory, const std::string &stem)
{
  std::filesystem::create_directories(directory);
  CertificateFiles files{directory + "/" + stem + ".crt", directory + "/" + stem + ".key"};
  FILE *out = std::fopen(files.certFile.c_str(), "wb");
  check(out != nullptr, "opening the certificate file");
  const bool certOk = PEM_write_X509(out, cert) == 1;
  std::fclose(out);
  check(certOk, "PEM_write_X509");
  out = std::fopen(files.keyFile.c_str(), "wb");
  check(out != nullptr, "opening the key file");
  ::fchmod(::fileno(out), 0600);
  const bool keyOk = PEM_write_PrivateKey(out, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  std::fclose(out);
  check(keyOk, "PEM_write_PrivateKey");
  return files;
}

} // namespace

CertificateFiles writeSelfSignedCertificate(const std::string &directory, const std::string &stem)
{
  KeyPtr key(EVP_EC_gen("P-256"));
  check(key != nullptr, "EVP_EC_gen");
  CertPtr cert = newCertificate(key.get(), stem);
  X509_NAME *name = X509_get_subject_name(cert.get());
  addName(name, "CN", "localhost");
  addName(name, "O", stem);
  X509_set_issuer_name(cert.get(), name);
  addExtension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  addExtension(cert.get(), cert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
  check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "X509_sign");
  return write(cert.get(), key.get(), directory, stem);
}

CertificateFiles writeCertificateAuthority(const std::string &directory, const std::string &stem)
{
  KeyPtr key(EVP_EC_gen("P-256"));
  check(key != nullptr, "EVP_EC_gen");
  CertPtr cert = newCertificate(key.get(), stem);
  X509_NAME *name = X509_get_subject_name(cert.get());
  addName(name, "CN", stem + " test CA");
  X509_set_issuer_name(cert.get(), name);
  addExtension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  addExtension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  addExtension(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
  check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "X509_sign");
  return write(cert.get(), key.get(), directory, stem);
}

CertificateFiles writeServerCertificate(const CertificateFiles &authority, const std::string &directory,
                                        const std::string &stem)
{
  FILE *in = std::fopen(authority.certFile.c_str(), "rb");
  check(in != nullptr, "opening the CA certificate");
  CertPtr caCert(PEM_read_X509(in, nullptr, nullptr, nullptr));
  std::fclose(in);
  check(caCert != nullptr, "PEM_read_X509 (CA)");
  in = std::fopen(authority.keyFile.c_str(), "rb");
  check(in != nullptr, "opening the CA key");
  KeyPtr caKey(PEM_read_PrivateKey(in, nullptr, nullptr, nullptr));
  std::fclose(in);
  check(caKey != nullptr, "PEM_read_PrivateKey (CA)");

  KeyPtr key(EVP_EC_gen("P-256"));
  check(key != nullptr, "EVP_EC_gen");
  CertPtr cert = newCertificate(key.get(), stem);
  addName(X509_get_subject_name(cert.get()), "CN", "localhost");
  X509_set_issuer_name(cert.get(), X509_get_subject_name(caCert.get()));
  addExtension(cert.get(), caCert.get(), NID_basic_constraints, "critical,CA:FALSE");
  addExtension(cert.get(), caCert.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment");
  addExtension(cert.get(), caCert.get(), NID_ext_key_usage, "serverAuth");
  addExtension(cert.get(), caCert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
  addExtension(cert.get(), caCert.get(), NID_authority_key_identifier, "keyid:always");
  check(X509_sign(cert.get(), caKey.get(), EVP_sha256()) > 0, "X509_sign");
  return write(cert.get(), key.get(), directory, stem);
}

} // namespace gd::test
