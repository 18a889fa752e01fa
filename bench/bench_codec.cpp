// soniabk-bench-codec: times the backup codec alone on one file, through the same lib calls backup and
// restore use: encode_file (stored file fsynced) and decode_stored into a new file (fsynced), checking
// every digest. Prints one JSON line (wall and CPU seconds). Usage: soniabk-bench-codec IN WORKDIR [zstd:LEVEL] [encrypt:KEYFILE]
#include "repo/read_backup.hpp"
#include "codec/encode.hpp"
#include "platform/files.hpp"

#include <fmt/format.h>

#include <chrono>
#include <sys/resource.h>
#include <cstdio>
#include <string>

using namespace soniabk;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// CPU seconds (user + system, every thread) this process has used: comparable on a shared machine.
double cpu_seconds() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fputs("usage: soniabk-bench-codec IN WORKDIR [zstd:LEVEL] [encrypt:KEYFILE]\n", stderr);
        return 2;
    }
    const fs::path in = argv[1];
    const fs::path work = argv[2];
    CodecOptions codec;
    for (int i = 3; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg.starts_with("zstd:")) codec.zstd_level = std::stoi(arg.substr(5));
        if (arg.starts_with("encrypt:")) {
            codec.encrypt = true;
            codec.keys.key_file = arg.substr(8);
        }
    }
    const fs::path stored = work / "bench-stored";
    const fs::path decoded = work / "bench-decoded";
    fs::remove(stored);
    fs::remove(decoded);
    try {
        const Encoding encoding = Encoding::resolve(codec);
        auto start = std::chrono::steady_clock::now();
        double cpu = cpu_seconds();
        const EncodedStream encoded = encode_file(in, stored, encoding);
        const double encode_seconds = seconds_since(start);
        const double encode_cpu = cpu_seconds() - cpu;
        Manifest manifest;
        record_encoding(manifest, encoded);
        start = std::chrono::steady_clock::now();
        cpu = cpu_seconds();
        auto out = platform::OutputFile::create_new(decoded);
        FileSink sink(out);
        const DecodeReport report = decode_stored(stored, layout_of(manifest), {codec.keys, true}, sink);
        out.sync();
        out.close();
        const double decode_seconds = seconds_since(start);
        const double decode_cpu = cpu_seconds() - cpu;
        fmt::print("{{\"plain_bytes\":{},\"stored_bytes\":{},\"encode_seconds\":{:.3f},\"encode_cpu\":{:.3f},"
                   "\"decode_seconds\":{:.3f},\"decode_cpu\":{:.3f},\"content_check\":\"{}\"}}\n",
                   encoded.content.size_bytes, encoded.stored.size_bytes, encode_seconds, encode_cpu, decode_seconds,
                   decode_cpu,
                   report.content_check.empty() ? "stored sha256" : report.content_check);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "soniabk-bench-codec: %s\n", e.what());
        return 3;
    }
    fs::remove(stored);
    fs::remove(decoded);
    return 0;
}
