#include "cli.hpp"

int main(int argc, char** argv) { return soniabk::cli::run(argc, argv); }
