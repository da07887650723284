#include "analytics/alerts/alarm_group.h"

#include <fmt/format.h>

#include <algorithm>

namespace zhizao::analytics::alerts {

using catalog::Event;

namespace {
// Tags named in the message beyond the first-out; the contributions list them all.
constexpr size_t kNamedMembers = 4;
constexpr std::string_view kMembersPrefix = "; with it, ";

std::string_view NameOf(std::string_view path) { return path.substr(path.rfind('/') + 1); }
std::string LeadWords(const std::string& message) { return message.substr(0, message.find(kMembersPrefix)); }
}  // namespace

size_t AlarmGroup::active() const {
  return static_cast<size_t>(
      std::count_if(incidents_.begin(), incidents_.end(), [](const Incident& i) { return i.event.active(); }));
}

std::optional<EventChange> AlarmGroup::Take(TagId tag, std::string_view tag_path, const EventChange& member) {
  const Event& m = member.event;
  Incident* own = IncidentOf(tag);
  if (member.kind == EventChange::Kind::kCleared) {
    Member* cleared = own == nullptr ? nullptr : MemberOf(*own, tag);
    if (cleared == nullptr || !cleared->alarming) return std::nullopt;
    cleared->alarming = false;
    own->latest_end_ns = std::max(own->latest_end_ns, m.end_ns);
    own->event.last_ns = std::max(own->event.last_ns, m.last_ns);
    if (!own->event.active() ||
        std::any_of(own->members.begin(), own->members.end(), [](const Member& x) { return x.alarming; })) {
      return std::nullopt;
    }
    own->event.end_ns = std::max(own->latest_end_ns, own->event.start_ns);
    return EventChange{EventChange::Kind::kCleared, own->event};
  }
  // The member alarms. A new peak, chattering (its tracker reopened its event) and a tag that
  // alarmed before a restart go back to the tag's incident; ...
  Prune(m.last_ns);
  own = IncidentOf(tag);
  if (own != nullptr) {
    const Member& listed = *MemberOf(*own, tag);
    if (listed.alarming || member.kind != EventChange::Kind::kOpened || (listed.resumed && own->event.active())) {
      const bool changed = Join(*own, tag, tag_path, m);
      if (own->event.active()) return changed ? std::optional(EventChange{EventChange::Kind::kUpdated, own->event}) : std::nullopt;
      own->event.end_ns = 0;
      ++own->event.returns;
      return EventChange{EventChange::Kind::kReopened, own->event};
    }
  }
  // ... a new alarm is the cause of an incident that started just now, or a cause of its own.
  for (auto it = incidents_.rbegin(); it != incidents_.rend(); ++it) {
    if (it->event.active() && m.last_ns >= it->event.start_ns && m.last_ns - it->event.start_ns <= window_ns_) {
      Join(*it, tag, tag_path, m);
      return EventChange{EventChange::Kind::kUpdated, it->event};
    }
  }
  return Open(tag, tag_path, member);
}

void AlarmGroup::SetEventId(catalog::EventId id) {
  if (last_opened_ < incidents_.size()) incidents_[last_opened_].event.id = id;
}

Event AlarmGroup::Resume(const Event& active_event, TagId lead) {
  Incident& incident = incidents_.emplace_back();
  incident.event = active_event;
  incident.lead_message = LeadWords(active_event.message);
  // Stored weights are shares of the peaks: the largest stands for the event's score.
  double top = 0;
  for (const catalog::Contribution& c : active_event.contributions) top = std::max(top, c.weight);
  const std::string_view lead_path = std::string_view(active_event.source).substr(active_event.source.find(':') + 1);
  incident.members.push_back({lead, std::string(lead_path), active_event.score, true});
  for (const catalog::Contribution& c : active_event.contributions) {
    const double peak = top > 0 ? active_event.score * c.weight / top : 0;
    if (c.tag_id == lead) {
      incident.members.front().peak = peak;
    } else {
      incident.members.push_back({c.tag_id, c.path, peak, false, /*resumed=*/true});
    }
  }
  Event lead_view = active_event;
  lead_view.message = incident.lead_message;
  lead_view.score = incident.members.front().peak;
  lead_view.contributions = {{lead, incident.members.front().path, 1.0}};
  return lead_view;
}

AlarmGroup::Incident* AlarmGroup::IncidentOf(TagId tag) {
  Incident* listed = nullptr;
  for (auto it = incidents_.rbegin(); it != incidents_.rend(); ++it) {
    for (const Member& m : it->members) {
      if (m.tag != tag) continue;
      if (m.alarming) return &*it;
      if (listed == nullptr) listed = &*it;
    }
  }
  return listed;
}

AlarmGroup::Member* AlarmGroup::MemberOf(Incident& incident, TagId tag) {
  auto it = std::find_if(incident.members.begin(), incident.members.end(), [&](const Member& x) { return x.tag == tag; });
  return it == incident.members.end() ? nullptr : &*it;
}

EventChange AlarmGroup::Open(TagId tag, std::string_view tag_path, const EventChange& member) {
  Incident& incident = incidents_.emplace_back();
  incident.event = member.event;
  incident.event.id = 0;
  incident.event.end_ns = 0;
  incident.event.returns = 0;
  // A tracker that reopens its own event still carries that event's start.
  if (member.kind != EventChange::Kind::kOpened) incident.event.start_ns = member.event.last_ns;
  incident.lead_message = LeadWords(member.event.message);
  incident.members.push_back({tag, std::string(tag_path), member.event.score, true});
  Describe(incident);
  last_opened_ = incidents_.size() - 1;
  return EventChange{EventChange::Kind::kOpened, incident.event};
}

bool AlarmGroup::Join(Incident& incident, TagId tag, std::string_view tag_path, const Event& member) {
  Member* it = MemberOf(incident, tag);
  if (it == nullptr) it = &incident.members.emplace_back(Member{tag, std::string(tag_path), 0, false});
  bool changed = !it->alarming || member.score > it->peak || member.severity > incident.event.severity;
  it->alarming = true;
  it->resumed = false;
  it->peak = std::max(it->peak, member.score);
  Event& event = incident.event;
  event.last_ns = std::max(event.last_ns, member.last_ns);
  event.severity = std::max(event.severity, member.severity);
  if (member.score > event.score) {
    event.score = member.score;
    event.threshold = member.threshold;
  }
  if (it == &incident.members.front() && LeadWords(member.message) != incident.lead_message) {
    incident.lead_message = LeadWords(member.message);
    event.detector = member.detector;
    changed = true;
  }
  if (changed) Describe(incident);
  return changed;
}

void AlarmGroup::Describe(Incident& incident) {
  double total = 0;
  for (const Member& m : incident.members) total += m.peak;
  Event& event = incident.event;
  event.contributions.clear();
  for (const Member& m : incident.members) {
    const double weight = total > 0 ? m.peak / total : 1.0 / static_cast<double>(incident.members.size());
    event.contributions.push_back({m.tag, m.path, weight});
  }
  std::stable_sort(event.contributions.begin(), event.contributions.end(),
                   [](const catalog::Contribution& a, const catalog::Contribution& b) { return a.weight > b.weight; });
  event.message = incident.lead_message;
  const size_t others = incident.members.size() - 1;
  if (others == 0) return;
  event.message += fmt::format("{}{} more tag{} alarm{}: ", kMembersPrefix, others, others > 1 ? "s" : "",
                               others > 1 ? "" : "s");
  for (size_t i = 1; i <= others && i <= kNamedMembers; ++i) {
    event.message += fmt::format("{}{}", i > 1 ? ", " : "", NameOf(incident.members[i].path));
  }
  if (others > kNamedMembers) event.message += fmt::format(" and {} more", others - kNamedMembers);
}

void AlarmGroup::Prune(int64_t now_ns) {
  const size_t before = incidents_.size();
  std::erase_if(incidents_, [&](const Incident& i) {
    return !i.event.active() && now_ns - i.event.end_ns > policy_.rearm_window.count();
  });
  if (incidents_.size() != before) last_opened_ = SIZE_MAX;
}

}  // namespace zhizao::analytics::alerts
