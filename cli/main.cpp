// entropic: executable claims about SGD, checked against exact discrete-time dynamics. The program
// of the built-in catalog, and the main() of every catalog built with entropic_add_catalog.
// Whatever the subcommand, a standard output that could not be written (a full disk, a closed
// descriptor) is an error: exit 1 with a line on standard error (output.hpp).
#include "commands.hpp"
#include "output.hpp"

int main(int argc, char** argv) {
  entropic::cli::reserve_standard_streams();
  return entropic::cli::finish_stdout(entropic::cli::run(argc, argv));
}
