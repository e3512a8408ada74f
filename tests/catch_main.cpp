// Catch2 main for the cross build, where Debian's prebuilt Catch2WithMain (an ELF archive) cannot link.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
