#include "tls_identity.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace soniabk::test {

namespace {

template <auto Free>
struct Freer {
    template <typename T>
    void operator()(T* p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Freer<EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, Freer<X509_free>>;
using File = std::unique_ptr<BIO, Freer<BIO_free_all>>;

void require(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("making the test's TLS identity: ") + what + " failed");
}

void add_extension(X509* certificate, int nid, const char* value) {
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
    require(extension != nullptr, value);
    require(X509_add_ext(certificate, extension, -1) == 1, "X509_add_ext");
    X509_EXTENSION_free(extension);
}

File open_for_writing(const std::filesystem::path& path) {
    File file(BIO_new_file(path.string().c_str(), "w"));
    require(file != nullptr, "opening a PEM file");
    return file;
}

}  // namespace

TlsIdentity make_tls_identity(const std::filesystem::path& dir) {
    const Key key(EVP_EC_gen("P-256"));
    require(key != nullptr, "EVP_EC_gen");
    const Certificate certificate(X509_new());
    require(X509_set_version(certificate.get(), 2) == 1, "X509_set_version");
    require(ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), 1) == 1, "the serial number");
    X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 86400);
    require(X509_set_pubkey(certificate.get(), key.get()) == 1, "X509_set_pubkey");
    X509_NAME* name = X509_get_subject_name(certificate.get());
    require(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0) == 1,
            "the subject");
    require(X509_set_issuer_name(certificate.get(), name) == 1, "the issuer");
    add_extension(certificate.get(), NID_basic_constraints, "critical,CA:TRUE");
    add_extension(certificate.get(), NID_subject_alt_name, "IP:127.0.0.1");
    require(X509_sign(certificate.get(), key.get(), EVP_sha256()) > 0, "X509_sign");

    const TlsIdentity identity{dir / "certificate.pem", dir / "key.pem"};
    require(PEM_write_bio_X509(open_for_writing(identity.certificate).get(), certificate.get()) == 1, "writing the certificate");
    require(PEM_write_bio_PrivateKey(open_for_writing(identity.private_key).get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1,
            "writing the key");
    return identity;
}

}  // namespace soniabk::test
