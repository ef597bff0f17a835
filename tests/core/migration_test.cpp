// Schema versions: older files are migrated forward with their content; newer files are
// refused and left untouched.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "core/test_support.h"
#include "store/query_sql.h"
#include "store/schema.h"

namespace quarry {
namespace {

using test::TempDir;

TEST(Migration, AVersionOneFileIsMigratedForwardWithItsContent) {
  TempDir tmp;
  {
    SQLite::Database db((tmp / "project.quarry").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    ASSERT_TRUE(schema::migrate(db, 1).ok());
    db.exec("INSERT INTO classes(name, position, color) VALUES ('scratch', 0, '#ff0000')");
    ASSERT_EQ(db.execAndGet("PRAGMA user_version").getInt(), 1);
  }
  auto p = Project::open(tmp.path());
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ((*p)->schemaVersion(), Project::currentSchemaVersion());
  ASSERT_EQ((*p)->classes()->size(), 1u);
  EXPECT_EQ((*p)->classes()->at(0).name, "scratch");
  SQLite::Database db((tmp / "project.quarry").string());
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE name = 'saved_views'").getInt(), 1);
}

TEST(Migration, AFileFromANewerQuarryIsRefusedAndLeftAsItWas) {
  TempDir tmp;
  test::newProject(tmp.path()).reset();
  {
    SQLite::Database db((tmp / "project.quarry").string(), SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version = 99");
  }
  auto p = Project::open(tmp.path());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kIncompatible);
  EXPECT_NE(p.status().message().find("newer Quarry"), std::string::npos);
  SQLite::Database db((tmp / "project.quarry").string());
  EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), 99);
}

TEST(Migration, OpeningACurrentFileChangesNothing) {
  TempDir tmp;
  test::newProject(tmp.path()).reset();
  auto p = Project::open(tmp.path());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ((*p)->schemaVersion(), schema::latestVersion());
}

// The list's default order (by file name) must come from an index, or every page and row lookup
// sorts the whole table (160 ms an image switch at 100,000 images); a version-3 file gets it.
TEST(Migration, TheListsNameOrderIsServedByAnIndexAfterMigration) {
  TempDir tmp;
  {
    SQLite::Database db((tmp / "project.quarry").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    ASSERT_TRUE(schema::migrate(db, 3).ok());
  }
  ASSERT_TRUE(Project::open(tmp.path()).ok());  // migrates to the latest version
  SQLite::Database db((tmp / "project.quarry").string());
  ImageListRequest byName;
  byName.sort = ImageSort::kName;
  for (bool descending : {false, true}) {
    byName.descending = descending;
    SQLite::Statement plan(db, "EXPLAIN QUERY PLAN SELECT i.id FROM images i ORDER BY " + listOrderBy(byName) +
                                   ", i.id LIMIT 200 OFFSET 100");
    std::string text;
    while (plan.executeStep()) text += plan.getColumn(3).getString() + "\n";
    EXPECT_NE(text.find("images_file_name"), std::string::npos) << text;
    // A whole-table sort is what must not happen; sorting ties of one path ("RIGHT PART") is free.
    EXPECT_EQ(text.find("USE TEMP B-TREE FOR ORDER BY"), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace quarry

namespace quarry {
namespace {

// Version 5 brings image roots: an older project keeps its paths (absolute ones still resolve),
// has no roots, and gets an id of its own, which per-user root locations are keyed by.
TEST(Migration, AVersionFourFileKeepsItsPathsAndGetsAProjectId) {
  test::TempDir tmp;
  {
    SQLite::Database db((tmp / "project.quarry").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    ASSERT_TRUE(schema::migrate(db, 4).ok());
    db.exec("INSERT INTO images(path, width, height, hash, status, added_at) VALUES ('/data/a.png', 4, 4, '', 0, 0)");
  }
  auto p = Project::open(tmp.path());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ((*p)->projectId().size(), 32u);
  EXPECT_TRUE((*p)->imageRoots()->empty());
  EXPECT_EQ((*p)->resolve((*p)->image(1)->path), std::filesystem::path("/data/a.png"));
  auto other = test::newProject(tmp / "other");
  EXPECT_NE(other->projectId(), (*p)->projectId());
}

}  // namespace
}  // namespace quarry
