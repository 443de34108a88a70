// Boost.JSON is used header-only: its implementation for the test
// executables (the test_json library, tests/CMakeLists.txt), compiled here once.
#include <boost/json/src.hpp>
