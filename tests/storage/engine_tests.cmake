# Tests of the engine itself (src/storage/ and src/storage/internal/).
zhizao_test(storage_engine_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/series_head_test.cc ${CMAKE_CURRENT_SOURCE_DIR}/engine_test.cc
          ${CMAKE_CURRENT_SOURCE_DIR}/crash_test.cc
  DEPS zhizao_storage)
