# Turns a file into a C++ source that defines `std::string_view <symbol>` in namespace
# zhizao::embedded. Run as: cmake -DINPUT=f -DOUTPUT=o.cc -DSYMBOL=kName -P embed.cmake
file(READ "${INPUT}" content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
string(LENGTH "${content}" hex_length)
math(EXPR size "${hex_length} / 2")
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} by cmake/embed.cmake; do not edit.\n"
  "#include <string_view>\n"
  "namespace zhizao::embedded {\n"
  "static const unsigned char kData[] = {${bytes}0};\n"
  "extern const std::string_view ${SYMBOL}(reinterpret_cast<const char*>(kData), ${size});\n"
  "}  // namespace zhizao::embedded\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
