# Sources of the write-ahead log (src/storage/wal/), relative to src/storage/.
list(APPEND STORAGE_SOURCES
  wal/batch_codec.cc
  wal/internal/record.cc
  wal/internal/recovery.cc
  wal/posix_wal_file.cc
  wal/wal.cc
  wal/wal_writer.cc)
