// entropic: executable claims about SGD, checked against exact discrete-time dynamics. The program
// of the built-in catalog, and the main() of every catalog built with entropic_add_catalog.
#include "commands.hpp"

int main(int argc, char** argv) { return entropic::cli::run(argc, argv); }
