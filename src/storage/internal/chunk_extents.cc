#include "storage/internal/chunk_extents.h"

#include <algorithm>

#include "storage/internal/chunk_store.h"

namespace zhizao::storage {

std::optional<bool> ChunkExtents::MayHold(TagId tag, int64_t from, int64_t to, uint64_t* generation) const {
  std::lock_guard lock(mu_);
  *generation = writes_;
  if (tag >= kMaxCachedTag) return true;
  if (tag >= entries_.size() || !entries_[tag].known) return std::nullopt;
  const Entry& e = entries_[tag];
  return !e.empty && e.extent.first <= to && e.extent.last >= from;
}

bool ChunkExtents::Learn(TagId tag, std::optional<Extent> extent, uint64_t generation) {
  std::lock_guard lock(mu_);
  if (generation != writes_ || tag >= kMaxCachedTag) return false;
  if (tag >= entries_.size()) {
    entries_.resize(std::min<size_t>(kMaxCachedTag, std::max<size_t>(size_t{tag} + 1, entries_.size() * 2)));
  }
  entries_[tag] = Entry{true, !extent.has_value(), extent.value_or(Extent{})};
  return true;
}

void ChunkExtents::Written(std::span<const StoredChunk> chunks) {
  std::lock_guard lock(mu_);
  ++writes_;
  for (const StoredChunk& c : chunks) {
    if (c.tag >= entries_.size() || !entries_[c.tag].known) continue;
    Entry& e = entries_[c.tag];
    if (e.empty) {
      e = Entry{true, false, {c.first_ts, c.first_ts}};
    } else {
      e.extent.first = std::min(e.extent.first, c.first_ts);
      e.extent.last = std::max(e.extent.last, c.first_ts);
    }
  }
}

}  // namespace zhizao::storage
