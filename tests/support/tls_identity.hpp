// A test's own TLS identity: a fresh key and a self-signed certificate for 127.0.0.1, written as PEM files, so
// an https server on loopback can be trusted by naming the certificate as the CA bundle, and by nothing else.
#pragma once

#include <filesystem>

namespace soniabk::test {

struct TlsIdentity {
    std::filesystem::path certificate;  // PEM; also the CA that signed it
    std::filesystem::path private_key;  // PEM
};

// Writes certificate.pem and key.pem into `dir`.
TlsIdentity make_tls_identity(const std::filesystem::path& dir);

}  // namespace soniabk::test
