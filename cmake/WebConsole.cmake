# The web console (web/): built with npm and esbuild at build time and embedded into zhizao_api
# as gzip and identity bytes (src/api/internal/console_assets.h). Included from
# src/api/CMakeLists.txt after zhizao_api is defined.
#
# `npm ci` runs when web/node_modules is missing or older than web/package-lock.json; the bundle
# is rebuilt when a source under web/src, web/index.html or web/build.mjs changes. Without node
# and npm the configuration stops and says so: a binary without its console would pass for a
# complete one. With -DZZ_WEB_CONSOLE=OFF (asked for) the console is the dependency-free
# first-look page web/bootstrap/index.html, and the binary still builds and serves "/".
option(ZZ_WEB_CONSOLE "Build the web console from web/ with npm and node" ON)
find_program(ZZ_NODE node)
find_program(ZZ_NPM npm)
if(ZZ_WEB_CONSOLE AND NOT (ZZ_NODE AND ZZ_NPM))
  message(FATAL_ERROR "zhizao: the web console needs node and npm (Debian: apt-get install nodejs npm; "
                      "scripts/setup does it), or configure with -DZZ_WEB_CONSOLE=OFF to embed the first-look "
                      "page web/bootstrap instead")
endif()

set(ZZ_WEB_DIR ${PROJECT_SOURCE_DIR}/web)
set(ZZ_CONSOLE_OUT ${CMAKE_CURRENT_BINARY_DIR}/console)
set(ZZ_CONSOLE_FILES index.html app.js app.css)

if(ZZ_WEB_CONSOLE)
  # npm ci (re)writes node_modules/.package-lock.json: the stamp of an install from this lock.
  set(npm_stamp ${ZZ_WEB_DIR}/node_modules/.package-lock.json)
  add_custom_command(
    OUTPUT ${npm_stamp}
    COMMAND ${ZZ_NPM} ci --no-audit --no-fund
    WORKING_DIRECTORY ${ZZ_WEB_DIR}
    DEPENDS ${ZZ_WEB_DIR}/package-lock.json ${ZZ_WEB_DIR}/package.json
    COMMENT "npm ci in web/"
    VERBATIM)
  file(GLOB_RECURSE web_sources CONFIGURE_DEPENDS ${ZZ_WEB_DIR}/src/*.ts ${ZZ_WEB_DIR}/src/*.css)
  set(bundle_outputs)
  foreach(f IN LISTS ZZ_CONSOLE_FILES)
    list(APPEND bundle_outputs ${ZZ_CONSOLE_OUT}/${f} ${ZZ_CONSOLE_OUT}/${f}.gz)
  endforeach()
  add_custom_command(
    OUTPUT ${bundle_outputs}
    COMMAND ${ZZ_NODE} ${ZZ_WEB_DIR}/build.mjs --out ${ZZ_CONSOLE_OUT}
    DEPENDS ${web_sources} ${ZZ_WEB_DIR}/index.html ${ZZ_WEB_DIR}/build.mjs ${npm_stamp}
    COMMENT "Bundling the web console"
    VERBATIM)
  set(console_inputs ${bundle_outputs})
  set(console_dir ${ZZ_CONSOLE_OUT})
else()
  message(STATUS "zhizao: web console not built (ZZ_WEB_CONSOLE=OFF): serving web/bootstrap")
  set(console_inputs ${ZZ_WEB_DIR}/bootstrap/index.html)
  set(console_dir ${ZZ_WEB_DIR}/bootstrap)
endif()

add_custom_command(
  OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/console_assets.cc
  COMMAND ${CMAKE_COMMAND} -DDIR=${console_dir} "-DFILES=${ZZ_CONSOLE_FILES}"
          -DOUTPUT=${CMAKE_CURRENT_BINARY_DIR}/console_assets.cc -P ${PROJECT_SOURCE_DIR}/cmake/embed_console.cmake
  DEPENDS ${console_inputs} ${PROJECT_SOURCE_DIR}/cmake/embed_console.cmake
  COMMENT "Embedding the web console"
  VERBATIM)
target_sources(zhizao_api PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/console_assets.cc)
