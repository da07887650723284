// Alarm grouping after ISA-18.2 (flood suppression): what one cause raises on many tags of an
// asset at once (a machine that stops drops its current, speed, pressure and flow together) is
// one alarm, not one per tag.
//
// Each tag keeps its own AlarmTracker (on-delay, hysteresis, chattering, peaks); its changes come
// here instead of to the catalog, and the group keeps the asset's incidents:
//  - the first tag to alarm (the first-out) opens an incident, an event under its own source and
//    words;
//  - a tag whose alarm starts (its tracker opens an event) within `window` of an active
//    incident's start joins it: a contribution weighted by its peak score, named in the message.
//    Later, it is a new cause and opens an incident of its own (a fault on a machine that already
//    alarms must not hide in the older event);
//  - a tag's new peaks, and its alarm coming back soon enough for its tracker to reopen its
//    event (chattering), go to the incident it was in, reopening it if it had cleared
//    (`returns` counts);
//  - an incident clears when its last member has, at the latest of their ends.
//
// Not thread-safe: one owner (the analytics thread) per group.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/alerts/alarm_tracker.h"

namespace zhizao::analytics::alerts {

class AlarmGroup {
 public:
  // `window`: how soon after an incident's start another tag's alarm is taken as the same cause.
  AlarmGroup(AlarmPolicy policy, std::chrono::nanoseconds window) : policy_(policy), window_ns_(window.count()) {}

  // Takes a change of member `tag`'s own tracker (its events are never stored themselves) and
  // returns the change to store, if any; an opened event's id comes back through SetEventId.
  std::optional<EventChange> Take(TagId tag, std::string_view tag_path, const EventChange& member);
  // The id the catalog gave the event Take last opened.
  void SetEventId(catalog::EventId id);
  // Continues an event stored as still active, with `lead` (its source's tag) alarming and its
  // other contributions listed as members that cleared, whose next alarm goes back to it. Returns
  // what the lead's tracker should resume: the event in the lead's own words and peak. Resume
  // the events of a group oldest first.
  catalog::Event Resume(const catalog::Event& active_event, TagId lead);

  // Incidents active now.
  size_t active() const;

 private:
  struct Member {
    TagId tag = 0;
    std::string path;
    double peak = 0;  // the member's highest score in this incident
    bool alarming = false;
    bool resumed = false;  // listed by a resumed event and not heard of since the restart
  };
  struct Incident {
    catalog::Event event;          // active while its end_ns is 0
    std::string lead_message;      // the first-out's words
    std::vector<Member> members;   // the first-out first
    int64_t latest_end_ns = 0;     // of the members that cleared
  };

  // The incident in which the tag alarms, else the latest that lists it; null when none does.
  Incident* IncidentOf(TagId tag);
  static Member* MemberOf(Incident& incident, TagId tag);
  EventChange Open(TagId tag, std::string_view tag_path, const EventChange& member);
  // Marks the member alarming (adding it if new) and takes its peak; whether the stored event
  // must change.
  static bool Join(Incident& incident, TagId tag, std::string_view tag_path, const catalog::Event& member);
  static void Describe(Incident& incident);
  // Forgets cleared incidents that can no longer come back.
  void Prune(int64_t now_ns);

  AlarmPolicy policy_;
  int64_t window_ns_;
  std::vector<Incident> incidents_;  // oldest first
  size_t last_opened_ = SIZE_MAX;     // index into incidents_ of the one Take last opened
};

}  // namespace zhizao::analytics::alerts
