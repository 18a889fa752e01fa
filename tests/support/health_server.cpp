// soniabk-test-health-server PORTFILE [--status N]: a real HTTP server on 127.0.0.1 for --health-url tests.
// Binds an ephemeral port, writes it to PORTFILE (atomically, once listening is possible) and answers every
// GET with status N (default 200) until killed.
#include <httplib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

int main(int argc, char** argv) {
    if (argc != 2 && !(argc == 4 && std::string(argv[2]) == "--status")) {
        std::fprintf(stderr, "usage: soniabk-test-health-server PORTFILE [--status N]\n");
        return 2;
    }
    const int status = argc == 4 ? std::atoi(argv[3]) : 200;
    httplib::Server server;
    server.Get(".*", [status](const httplib::Request&, httplib::Response& response) {
        response.status = status;
        response.set_content(status == 200 ? "ok\n" : "unhealthy\n", "text/plain");
    });
    const int port = server.bind_to_any_port("127.0.0.1");
    if (port <= 0) {
        std::fprintf(stderr, "soniabk-test-health-server: cannot bind 127.0.0.1\n");
        return 1;
    }
    const std::filesystem::path portfile = argv[1];
    const std::filesystem::path temp = portfile.string() + ".tmp";
    std::ofstream(temp) << port << '\n';
    std::filesystem::rename(temp, portfile);
    return server.listen_after_bind() ? 0 : 1;
}
