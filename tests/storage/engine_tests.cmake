# Tests of the engine itself (src/storage/ and src/storage/internal/).
zhizao_test(storage_engine_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/raw_tail_test.cc ${CMAKE_CURRENT_SOURCE_DIR}/series_head_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/engine_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/engine_summary_test.cc ${CMAKE_CURRENT_SOURCE_DIR}/engine_read_merge_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/engine_rollup_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/overlap_merge_test.cc ${CMAKE_CURRENT_SOURCE_DIR}/chunk_extents_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/chunk_store_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/wal/fault_fs.cc
  DEPS zhizao_storage)

# Forks writers and kills them: an executable of its own, so that no other test has started
# RocksDB's threads in the parent before it forks.
zhizao_test(storage_crash_test SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/crash_test.cc DEPS zhizao_storage)
