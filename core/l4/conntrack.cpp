// SPDX-License-Identifier: GPL-3.0-or-later
#include "l4/conntrack.hpp"

#include <stdexcept>

namespace lbsim::l4 {

ConnTrack::ConnTrack(std::size_t capacity, double idle_timeout_s) : capacity_(capacity), idle_timeout_(idle_timeout_s) {
  if (capacity_ == 0) throw std::invalid_argument("conntrack capacity must be positive");
}

std::optional<std::uint32_t> ConnTrack::lookup(const FlowKey& flow, double now) {
  const auto found = index_.find(flow);
  if (found == index_.end()) return std::nullopt;
  const auto entry = found->second;
  if (now - entry->last_seen > idle_timeout_) {
    ++expirations_;
    const std::uint32_t target = entry->target;
    lru_.erase(entry);
    index_.erase(found);
    if (on_forget_) on_forget_(target);
    return std::nullopt;
  }
  entry->last_seen = now;
  lru_.splice(lru_.begin(), lru_, entry);
  return entry->target;
}

void ConnTrack::insert(const FlowKey& flow, std::uint32_t target, double now, bool awaits_answer) {
  if (const auto found = index_.find(flow); found != index_.end()) {
    found->second->target = target;
    found->second->last_seen = now;
    found->second->answered = !awaits_answer;
    lru_.splice(lru_.begin(), lru_, found->second);
    return;
  }
  if (index_.size() == capacity_) {
    const std::uint32_t evicted = lru_.back().target;
    index_.erase(lru_.back().flow);
    lru_.pop_back();
    ++evictions_;
    if (on_forget_) on_forget_(evicted);
  }
  lru_.push_front({flow, target, now, !awaits_answer});
  index_.emplace(flow, lru_.begin());
}

std::optional<std::uint32_t> ConnTrack::erase(const FlowKey& flow) {
  const auto found = index_.find(flow);
  if (found == index_.end()) return std::nullopt;
  const std::uint32_t target = found->second->target;
  lru_.erase(found->second);
  index_.erase(found);
  return target;
}

std::optional<std::uint32_t> ConnTrack::note_answered(const FlowKey& flow) {
  const auto found = index_.find(flow);
  if (found == index_.end() || found->second->answered) return std::nullopt;
  found->second->answered = true;
  return found->second->target;
}

std::optional<std::uint32_t> ConnTrack::unanswered(const FlowKey& flow) const {
  const auto found = index_.find(flow);
  if (found == index_.end() || found->second->answered) return std::nullopt;
  return found->second->target;
}

void ConnTrack::expire_idle(double now) {
  while (!lru_.empty() && now - lru_.back().last_seen > idle_timeout_) {
    const Entry entry = lru_.back();
    index_.erase(entry.flow);
    lru_.pop_back();
    ++expirations_;
    if (on_forget_) on_forget_(entry.target);
  }
}

void ConnTrack::clear() {
  for (const Entry& entry : lru_)
    if (on_forget_) on_forget_(entry.target);
  lru_.clear();
  index_.clear();
}

}  // namespace lbsim::l4
