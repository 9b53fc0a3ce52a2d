// SPDX-License-Identifier: GPL-3.0-or-later
#include "l4/conntrack.hpp"

#include <stdexcept>

namespace lbsim::l4 {

ConnTrack::ConnTrack(std::size_t capacity, double idle_timeout_s) : capacity_(capacity), idle_timeout_(idle_timeout_s) {
  if (capacity_ == 0) throw std::invalid_argument("conntrack capacity must be positive");
}

void ConnTrack::unlink(std::uint32_t slot) {
  Entry& entry = entries_[slot];
  (entry.newer != kNone ? entries_[entry.newer].older : newest_) = entry.older;
  (entry.older != kNone ? entries_[entry.older].newer : oldest_) = entry.newer;
  entry.newer = entry.older = kNone;
}

void ConnTrack::link_newest(std::uint32_t slot) {
  Entry& entry = entries_[slot];
  entry.newer = kNone;
  entry.older = newest_;
  (newest_ != kNone ? entries_[newest_].newer : oldest_) = slot;
  newest_ = slot;
}

void ConnTrack::touch(std::uint32_t slot) {
  if (slot == newest_) return;
  unlink(slot);
  link_newest(slot);
}

std::uint32_t ConnTrack::add(const Entry& entry) {
  std::uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(entries_.size());
    entries_.push_back(entry);
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
    entries_[slot] = entry;
  }
  link_newest(slot);
  index_.emplace(entry.flow, slot);
  return slot;
}

void ConnTrack::remove(std::uint32_t slot) {
  index_.erase(entries_[slot].flow);
  unlink(slot);
  free_slots_.push_back(slot);
}

std::optional<std::uint32_t> ConnTrack::lookup(const FlowKey& flow, double now) {
  const auto found = index_.find(flow);
  if (found == index_.end()) return std::nullopt;
  const std::uint32_t slot = found->second;
  Entry& entry = entries_[slot];
  if (now - entry.last_seen > idle_timeout_) {
    ++expirations_;
    const std::uint32_t target = entry.target;
    remove(slot);
    if (on_forget_) on_forget_(target);
    return std::nullopt;
  }
  entry.last_seen = now;
  touch(slot);
  return entry.target;
}

void ConnTrack::insert(const FlowKey& flow, std::uint32_t target, double now, bool awaits_answer) {
  if (const auto found = index_.find(flow); found != index_.end()) {
    Entry& entry = entries_[found->second];
    entry.target = target;
    entry.last_seen = now;
    entry.answered = !awaits_answer;
    touch(found->second);
    return;
  }
  if (index_.size() == capacity_) {
    const std::uint32_t evicted = entries_[oldest_].target;
    remove(oldest_);
    ++evictions_;
    if (on_forget_) on_forget_(evicted);
  }
  add({flow, target, now, !awaits_answer});
}

std::optional<std::uint32_t> ConnTrack::erase(const FlowKey& flow) {
  const auto found = index_.find(flow);
  if (found == index_.end()) return std::nullopt;
  const std::uint32_t slot = found->second;
  const std::uint32_t target = entries_[slot].target;
  remove(slot);
  return target;
}

std::optional<std::uint32_t> ConnTrack::note_answered(const FlowKey& flow) {
  const auto found = index_.find(flow);
  if (found == index_.end()) return std::nullopt;
  Entry& entry = entries_[found->second];
  if (entry.answered) return std::nullopt;
  entry.answered = true;
  return entry.target;
}

std::optional<std::uint32_t> ConnTrack::unanswered(const FlowKey& flow) const {
  const auto found = index_.find(flow);
  if (found == index_.end()) return std::nullopt;
  const Entry& entry = entries_[found->second];
  if (entry.answered) return std::nullopt;
  return entry.target;
}

void ConnTrack::expire_idle(double now) {
  while (oldest_ != kNone && now - entries_[oldest_].last_seen > idle_timeout_) {
    const std::uint32_t target = entries_[oldest_].target;
    remove(oldest_);
    ++expirations_;
    if (on_forget_) on_forget_(target);
  }
}

void ConnTrack::clear() {
  // Most recently used first, as the table forgets them.
  for (std::uint32_t slot = newest_; slot != kNone; slot = entries_[slot].older)
    if (on_forget_) on_forget_(entries_[slot].target);
  entries_.clear();
  free_slots_.clear();
  newest_ = oldest_ = kNone;
  index_.clear();
}

}  // namespace lbsim::l4
