#include "local_http_server.hpp"

#include <stdexcept>

namespace soniabk::test {

LocalHttpServer::LocalHttpServer(httplib::Server::Handler handler) : server_(std::make_unique<httplib::Server>()) { serve(handler); }

LocalHttpServer::LocalHttpServer(httplib::Server::Handler handler, const TlsIdentity& identity)
    : server_(std::make_unique<httplib::SSLServer>(identity.certificate.string().c_str(), identity.private_key.string().c_str())),
      scheme_("https") {
    if (!server_->is_valid()) throw std::runtime_error("the test's https server could not load " + identity.certificate.string());
    serve(handler);
}

void LocalHttpServer::serve(const httplib::Server::Handler& handler) {
    server_->Get(".*", handler);
    server_->Put(".*", handler);
    server_->Post(".*", handler);
    server_->Delete(".*", handler);
    // Like an S3 gateway: a client keeps its connection, and a large body may take a while to arrive.
    server_->set_keep_alive_max_count(1000);
    server_->set_read_timeout(60, 0);
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

LocalHttpServer::~LocalHttpServer() {
    server_->stop();
    thread_.join();
}

std::string LocalHttpServer::endpoint() const { return scheme_ + "://127.0.0.1:" + std::to_string(port_); }

}  // namespace soniabk::test
