# Writes a C++ source with the console's files (and their .gz, when present) as byte arrays,
# and the table ConsoleAssets() of src/api/internal/console_assets.h.
#   cmake -DDIR=dir -DFILES="index.html;app.js" -DOUTPUT=out.cc -P embed_console.cmake
# Files missing from DIR are left out (the bootstrap fallback has only index.html).
function(hex_array path var_out)
  file(READ "${path}" hex HEX)
  string(LENGTH "${hex}" n)
  math(EXPR size "${n} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  set(${var_out} "${bytes}" PARENT_SCOPE)
  set(${var_out}_size ${size} PARENT_SCOPE)
endfunction()

set(arrays "")
set(rows "")
set(i 0)
foreach(f IN LISTS FILES)
  if(NOT EXISTS "${DIR}/${f}")
    continue()
  endif()
  hex_array("${DIR}/${f}" raw)
  file(SHA256 "${DIR}/${f}" digest)
  string(SUBSTRING "${digest}" 0 20 etag)
  string(APPEND arrays "const unsigned char kRaw${i}[] = {${raw}0};\n")
  set(gz_view "std::string_view()")
  if(EXISTS "${DIR}/${f}.gz")
    hex_array("${DIR}/${f}.gz" gz)
    string(APPEND arrays "const unsigned char kGz${i}[] = {${gz}0};\n")
    set(gz_view "std::string_view(reinterpret_cast<const char*>(kGz${i}), ${gz_size})")
  endif()
  string(APPEND rows "      ConsoleAsset{\"${f}\", std::string_view(reinterpret_cast<const char*>(kRaw${i}), ${raw_size}), ${gz_view}, \"\\\"${etag}\\\"\"},\n")
  math(EXPR i "${i} + 1")
endforeach()

file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${DIR} by cmake/embed_console.cmake; do not edit.\n"
  "#include \"api/internal/console_assets.h\"\n\n"
  "#include <array>\n\n"
  "namespace zhizao::api::internal {\nnamespace {\n${arrays}}  // namespace\n\n"
  "std::span<const ConsoleAsset> ConsoleAssets() {\n"
  "  static const std::array<ConsoleAsset, ${i}> kAssets = {\n${rows}  };\n"
  "  return kAssets;\n}\n\n}  // namespace zhizao::api::internal\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
