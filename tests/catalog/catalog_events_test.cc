#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "catalog/catalog.h"

namespace zhizao::catalog {
namespace {

class CatalogEventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_ = std::move(Catalog::Open(":memory:")).value();
    for (auto [path, level] : {std::pair{"acme", AssetLevel::kEnterprise}, {"acme/sh", AssetLevel::kSite},
                               {"acme/sh/P101", AssetLevel::kEquipment}, {"acme/sh/P102", AssetLevel::kEquipment},
                               {"acme/sh2", AssetLevel::kSite}}) {
      Asset asset;
      asset.path = path;
      asset.level = level;
      ASSERT_TRUE(catalog_->UpsertAsset(asset).ok());
    }
  }

  Event Anomaly(const std::string& asset_path, int64_t start_ns) {
    Event event;
    event.asset_id = catalog_->FindAsset(asset_path)->id;
    event.asset_path = asset_path;
    event.source = "tag:" + asset_path + "/flow";
    event.detector = "dspot";
    event.severity = Severity::kHigh;
    event.score = 0.97;
    event.threshold = 0.9;
    event.start_ns = start_ns;
    event.last_ns = start_ns;
    event.message = "flow 12.0 m3/h above its expected range 20.1-24.3";
    event.contributions = {{7, asset_path + "/flow", 0.8}, {8, asset_path + "/pressure", 0.2}};
    return event;
  }

  std::unique_ptr<Catalog> catalog_;
};

TEST_F(CatalogEventsTest, StoresAnEventWithItsContributionsInOrder) {
  Result<EventId> id = catalog_->InsertEvent(Anomaly("acme/sh/P101", 1000));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  Result<Event> read = catalog_->GetEvent(*id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->source, "tag:acme/sh/P101/flow");
  EXPECT_EQ(read->severity, Severity::kHigh);
  EXPECT_TRUE(read->active());
  ASSERT_EQ(read->contributions.size(), 2u);
  EXPECT_EQ(read->contributions[0].path, "acme/sh/P101/flow");
  EXPECT_DOUBLE_EQ(read->contributions[0].weight, 0.8);
  EXPECT_EQ(read->contributions[1].tag_id, 8u);
}

TEST_F(CatalogEventsTest, UpdateClosesAnEventAndReplacesItsContributions) {
  Event event = Anomaly("acme/sh/P101", 1000);
  event.id = *catalog_->InsertEvent(event);
  event.end_ns = 5000;
  event.returns = 2;
  event.score = 0.99;
  event.contributions = {{8, "acme/sh/P101/pressure", 1.0}};
  ASSERT_TRUE(catalog_->UpdateEvent(event).ok());
  Event read = *catalog_->GetEvent(event.id);
  EXPECT_FALSE(read.active());
  EXPECT_EQ(read.end_ns, 5000);
  EXPECT_EQ(read.returns, 2);
  ASSERT_EQ(read.contributions.size(), 1u);
  EXPECT_EQ(read.contributions[0].tag_id, 8u);
  event.id = 999;
  EXPECT_EQ(catalog_->UpdateEvent(event).code(), StatusCode::kNotFound);
}

TEST_F(CatalogEventsTest, ListsBySubtreeActivityAndTimeNewestFirst) {
  EventId a = *catalog_->InsertEvent(Anomaly("acme/sh/P101", 1000));
  EventId b = *catalog_->InsertEvent(Anomaly("acme/sh/P102", 2000));
  Event cleared = Anomaly("acme/sh2", 3000);
  cleared.end_ns = 4000;
  EventId c = *catalog_->InsertEvent(cleared);

  auto ids = [&](const EventFilter& filter) {
    Result<std::vector<Event>> events = catalog_->ListEvents(filter);
    EXPECT_TRUE(events.ok()) << events.status().ToString();
    std::vector<EventId> out;
    if (events.ok()) {
      for (const Event& e : *events) out.push_back(e.id);
    }
    return out;
  };
  EXPECT_EQ(ids({}), (std::vector<EventId>{c, b, a}));
  // "acme/sh" is a prefix of "acme/sh2" as text but not as a path.
  EXPECT_EQ(ids({.asset_id = catalog_->FindAsset("acme/sh")->id}), (std::vector<EventId>{b, a}));
  EXPECT_EQ(ids({.active_only = true}), (std::vector<EventId>{b, a}));
  EXPECT_EQ(ids({.from_ns = 4500}), (std::vector<EventId>{b, a}));  // c ended before
  EXPECT_EQ(ids({.to_ns = 1500}), (std::vector<EventId>{a}));
  EXPECT_EQ(ids({.source = std::string("tag:acme/sh/P102/flow")}), (std::vector<EventId>{b}));
  EXPECT_EQ(ids({.limit = 1, .offset = 1}), (std::vector<EventId>{b}));
  EXPECT_EQ(catalog_->ListEvents({.asset_id = 12345}).status().code(), StatusCode::kNotFound);
}

TEST_F(CatalogEventsTest, FirstAcknowledgementStandsAndShelvingHidesUntilItsTime) {
  EventId id = *catalog_->InsertEvent(Anomaly("acme/sh/P101", 1000));
  ASSERT_TRUE(catalog_->AcknowledgeEvent(id, "wang", 2000).ok());
  ASSERT_TRUE(catalog_->AcknowledgeEvent(id, "li", 3000).ok());
  Event read = *catalog_->GetEvent(id);
  EXPECT_EQ(read.acknowledged_by, "wang");
  EXPECT_EQ(read.acknowledged_ns, 2000);
  EXPECT_EQ(catalog_->AcknowledgeEvent(999, "li", 3000).code(), StatusCode::kNotFound);

  ASSERT_TRUE(catalog_->ShelveEvent(id, "wang", 10'000).ok());
  EXPECT_TRUE(catalog_->ListEvents({.hide_shelved = true, .now_ns = 9'999})->empty());
  EXPECT_EQ(catalog_->ListEvents({.hide_shelved = true, .now_ns = 10'000})->size(), 1u);
  EXPECT_EQ(catalog_->ListEvents({})->size(), 1u);
  EXPECT_EQ(catalog_->ShelveEvent(999, "li", 1).code(), StatusCode::kNotFound);
}

TEST_F(CatalogEventsTest, AnEventOutlivesItsAsset) {
  Event event = Anomaly("acme/sh2", 1000);
  EventId id = *catalog_->InsertEvent(event);
  ASSERT_TRUE(catalog_->DeleteAsset(event.asset_id).ok());
  Event read = *catalog_->GetEvent(id);
  EXPECT_EQ(read.asset_id, 0);
  EXPECT_EQ(read.asset_path, "acme/sh2");
}

TEST_F(CatalogEventsTest, RefusesAnEventOfAMissingAsset) {
  Event event = Anomaly("acme/sh/P101", 1000);
  event.asset_id = 4242;
  EXPECT_FALSE(catalog_->InsertEvent(event).ok());
  EXPECT_TRUE(catalog_->ListEvents({})->empty());  // nothing half-written
}

}  // namespace
}  // namespace zhizao::catalog
