// A test's own HTTP server (cpp-httplib) on 127.0.0.1, an ephemeral port, served from a thread until destroyed;
// https with a TlsIdentity.
#pragma once

#include "tls_identity.hpp"

#include <httplib.h>

#include <memory>
#include <string>
#include <thread>

namespace soniabk::test {

class LocalHttpServer {
public:
    // `handler` answers every GET, HEAD, PUT, POST and DELETE, on the server's own threads.
    explicit LocalHttpServer(httplib::Server::Handler handler);
    LocalHttpServer(httplib::Server::Handler handler, const TlsIdentity& identity);
    LocalHttpServer(const LocalHttpServer&) = delete;
    LocalHttpServer& operator=(const LocalHttpServer&) = delete;
    ~LocalHttpServer();

    // "http://127.0.0.1:PORT", or https://.
    std::string endpoint() const;

private:
    void serve(const httplib::Server::Handler& handler);

    std::unique_ptr<httplib::Server> server_;
    std::string scheme_ = "http";
    int port_ = 0;
    std::thread thread_;
};

}  // namespace soniabk::test
