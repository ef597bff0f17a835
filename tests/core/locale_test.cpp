// Numbers in files and fields read the same under every locale. The window runs under the
// user's locale (Qt sets the C locale from the environment), and in much of Europe its decimal
// separator is a comma: a VOC box at 10.5 or a split of 0.2 must not turn into 10 or an error.
#include <gtest/gtest.h>

#include <clocale>
#include <cstdlib>
#include <locale>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#include "core/test_support.h"
#include "quarry/formats/formats.h"
#include "quarry/core/numbers.h"
#include "quarry/al/split.h"

namespace fs = std::filesystem;

namespace quarry {
namespace {

using test::TempDir;

// glibc keeps the copy of LOCPATH it makes while loading a locale from there (40 bytes, never
// freed: string/argz-addsep.c under setlocale and newlocale). That is glibc's, not ours, so the
// leak checker looks away while this test switches locales, and only then.
class GlibcLocaleLoad {
 public:
#if defined(__SANITIZE_ADDRESS__)
  GlibcLocaleLoad() { __lsan_disable(); }
  ~GlibcLocaleLoad() { __lsan_enable(); }
#endif
};

TEST(ParseNumber, ReadsWholeDecimalNumbersOnly) {
  EXPECT_EQ(parseDouble("0.25"), 0.25);
  EXPECT_EQ(parseDouble("  12.5\n"), 12.5);  // XML text often carries blanks
  EXPECT_EQ(parseDouble("+3"), 3.0);
  EXPECT_EQ(parseDouble("-1e-3"), -1e-3);
  EXPECT_FALSE(parseDouble(""));
  EXPECT_FALSE(parseDouble("   "));
  EXPECT_FALSE(parseDouble("0,25"));  // a comma is never a decimal separator in a file
  EXPECT_FALSE(parseDouble("1.5px"));
  EXPECT_FALSE(parseDouble("+-1"));
  EXPECT_FALSE(parseDouble("1e999"));  // out of range
  EXPECT_EQ(parseInteger("42"), 42);
  EXPECT_EQ(parseInteger(" +7 "), 7);
  EXPECT_FALSE(parseInteger("3.0"));
  EXPECT_FALSE(parseInteger("99999999999999999999"));
}

// Builds a German locale (decimal comma) from the system's locale sources into a temporary
// folder, once, and switches both the C and the C++ global locale to it for each test.
class DecimalCommaLocale : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    locales = new TempDir;
    const fs::path out = locales->path() / "de_DE.UTF-8";
    // localedef warns on some systems and still writes the locale: what matters is setlocale.
    (void)std::system(("localedef -i de_DE -f UTF-8 '" + out.string() + "' >/dev/null 2>&1").c_str());
  }
  static void TearDownTestSuite() {
    delete locales;
    locales = nullptr;
  }
  void SetUp() override {
    ASSERT_EQ(setenv("LOCPATH", locales->path().c_str(), 1), 0);
    [[maybe_unused]] const GlibcLocaleLoad glibc{};
    ASSERT_NE(std::setlocale(LC_ALL, "de_DE.UTF-8"), nullptr)
        << "cannot build a de_DE locale with localedef (Debian's `locales` package, which scripts/setup installs)";
    ASSERT_STREQ(std::localeconv()->decimal_point, ",");  // the locale really is a decimal-comma one
    previous = std::locale::global(std::locale("de_DE.UTF-8"));
  }
  void TearDown() override {
    [[maybe_unused]] const GlibcLocaleLoad glibc{};
    std::locale::global(previous);
    std::setlocale(LC_ALL, "C");
    unsetenv("LOCPATH");
  }

  static TempDir* locales;
  TempDir tmp;
  std::locale previous;
};
TempDir* DecimalCommaLocale::locales = nullptr;

TEST_F(DecimalCommaLocale, AVocBoxKeepsItsFraction) {
  auto project = test::newProject(tmp / "p");
  const fs::path root = tmp / "voc";
  test::writeImage(root / "JPEGImages" / "a.png", 50, 40);
  test::writeText(root / "Annotations" / "a.xml",
                  "<annotation><filename>a.png</filename><size><width>50</width><height>40</height></size>"
                  "<object><name>a</name><bndbox><xmin>10.5</xmin><ymin>2.25</ymin><xmax>20.5</xmax>"
                  "<ymax>12.75</ymax></bndbox></object></annotation>");
  ImportReport report;
  ASSERT_TRUE(importDataset(*project, Format::kVoc, root, {}, &report).ok());
  ASSERT_EQ(report.boxesAdded, 1u) << (report.issues.empty() ? "" : report.issues[0].message);
  const auto boxes = *project->boxesOfImages(*project->findImages({}));
  ASSERT_EQ(boxes.size(), 1u);
  EXPECT_DOUBLE_EQ(boxes[0].x, 10.5);
  EXPECT_DOUBLE_EQ(boxes[0].y, 2.25);
  EXPECT_DOUBLE_EQ(boxes[0].w, 10.0);
  EXPECT_DOUBLE_EQ(boxes[0].h, 10.5);
}

TEST_F(DecimalCommaLocale, AYoloLabelKeepsItsFractions) {
  auto project = test::newProject(tmp / "p");
  const fs::path root = tmp / "yolo";
  test::writeText(root / "classes.txt", "a\n");
  test::writeImage(root / "images" / "a.png", 100, 50);
  test::writeText(root / "labels" / "a.txt", "0 0.5 0.5 0.2 0.4\n");
  ImportReport report;
  ASSERT_TRUE(importDataset(*project, Format::kYolo, root, {}, &report).ok());
  ASSERT_EQ(report.boxesAdded, 1u) << (report.issues.empty() ? "" : report.issues[0].message);
  const auto boxes = *project->boxesOfImages(*project->findImages({}));
  ASSERT_EQ(boxes.size(), 1u);
  EXPECT_NEAR(boxes[0].x, 40.0, 1e-9);
  EXPECT_NEAR(boxes[0].w, 20.0, 1e-9);
  EXPECT_NEAR(boxes[0].h, 20.0, 1e-9);
}

TEST_F(DecimalCommaLocale, ASplitFractionReadsAsWritten) {
  bool ok = false;
  const SplitAmount a = SplitAmount::parse("0.2", &ok);
  ASSERT_TRUE(ok);
  EXPECT_DOUBLE_EQ(a.fraction, 0.2);
  EXPECT_FALSE((SplitAmount::parse("0,2", &ok), ok));
}

}  // namespace
}  // namespace quarry
