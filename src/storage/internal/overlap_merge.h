// Rewrites chunks that overlap in time into chunks that do not, at a checkpoint.
//
// A sample that arrives too late for its series' open chunk goes to an out-of-order chunk
// (series_head.h), which overlaps the in-order chunk it was late for. Reads resolve such
// overlaps correctly, but every read of the range pays for a merge by sequence, and neither a
// chunk's summary nor its rollup may stand for it (engine.h, ReadSummarized). A checkpoint
// therefore merges each cluster of overlapping chunks that one of its out-of-order chunks
// belongs to, the stored chunks included, and writes the result in place of the cluster.
//
// Why the merged chunks may take the cluster's highest sequence: within the cluster each
// timestamp keeps the sample of its highest sequence, exactly as a read would; no chunk outside
// the cluster overlaps its time range (the cluster is closed under overlap, stored chunks
// included), and the heads are empty at a checkpoint, so no other source could have been
// ordered against the cluster's members; later writes get higher sequences and still win.
#pragma once

#include <vector>

#include "storage/internal/chunk_store.h"
#include "storage/internal/series_head.h"

namespace zhizao::storage {

struct OverlapMergeStats {
  size_t clusters = 0;         // clusters rewritten
  size_t chunks_replaced = 0;  // pending and stored chunks they held
  size_t chunks_written = 0;   // chunks that replace them
};

// For every series with a chunk in `pending` that may overlap others (StoredChunk::may_overlap), merges each cluster of overlapping
// chunks (pending and stored) that holds a pending chunk: the cluster's pending chunks leave
// `pending`, its stored chunks are appended to `replaced` (to be deleted in the same write
// that adds the merged chunks), and the merged chunks join `pending`. Never fails: a cluster
// with a chunk that fails to decode, of more than 64 chunks, or of a series whose stored
// chunks cannot be read, is left as it is (logged); reads still resolve it, and report any
// damage. REQUIRES: every head is empty (a checkpoint sealed them).
OverlapMergeStats MergeOverlaps(const ChunkStore& store, const HeadLimits& limits, std::vector<StoredChunk>& pending,
                                std::vector<ChunkId>& replaced);

}  // namespace zhizao::storage
