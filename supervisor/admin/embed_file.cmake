# Writes INPUT's bytes into OUTPUT as a C++ raw string literal:
#   inline constexpr std::string_view NAME = R"embedded(...)embedded";
# Run as a build step: cmake -DINPUT=... -DOUTPUT=... -DNAME=... -P embed_file.cmake
file(READ "${INPUT}" content)
string(FIND "${content}" ")embedded\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw string delimiter )embedded\"")
endif()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} at build time; edit that file instead.\n"
  "#pragma once\n#include <string_view>\n"
  "inline constexpr std::string_view ${NAME} = R\"embedded(${content})embedded\";\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
