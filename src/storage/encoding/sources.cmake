# Sources of the chunk encodings (src/storage/encoding/), relative to src/storage/.
list(APPEND STORAGE_SOURCES
  encoding/bits.cc
  encoding/block.cc
  encoding/chunk.cc
  encoding/chunk_summary.cc
  encoding/rollup.cc
  encoding/rollup_decode.cc
  encoding/float_codec.cc
  encoding/int_codec.cc)
