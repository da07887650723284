# Sources of the chunk encodings (src/storage/encoding/), relative to src/storage/.
list(APPEND STORAGE_SOURCES)
