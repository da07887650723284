# Sources of the engine itself (src/storage/), relative to src/storage/.
list(APPEND STORAGE_SOURCES
  engine_append.cc engine_open.cc engine_read.cc engine_read_summary.cc
  internal/chunk_extents.cc internal/chunk_store.cc internal/merge.cc internal/overlap_merge.cc internal/raw_tail.cc internal/series_head.cc)
