// A test's own HTTP server (cpp-httplib) on 127.0.0.1, an ephemeral port, served from a thread until destroyed.
#pragma once

#include <httplib.h>

#include <string>
#include <thread>

namespace soniabk::test {

class LocalHttpServer {
public:
    // `handler` answers every GET, HEAD, PUT, POST and DELETE, on the server's own threads.
    explicit LocalHttpServer(httplib::Server::Handler handler);
    LocalHttpServer(const LocalHttpServer&) = delete;
    LocalHttpServer& operator=(const LocalHttpServer&) = delete;
    ~LocalHttpServer();

    // "http://127.0.0.1:PORT".
    std::string endpoint() const;

private:
    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
};

}  // namespace soniabk::test
