// The report's statistics and charts on cases with answers known in closed form.
#include "quarry/core/stats.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/test_support.h"
#include "quarry/report/svg_chart.h"

namespace quarry {
namespace {

TEST(Stats, MeanAndSampleStandardDeviation) {
  EXPECT_DOUBLE_EQ(stats::mean({1, 2, 3, 6}), 3);
  EXPECT_NEAR(stats::stddev({1, 2, 3, 6}), std::sqrt(14.0 / 3), 1e-12);
  EXPECT_TRUE(std::isnan(stats::mean({})));
  EXPECT_TRUE(std::isnan(stats::stddev({4})));
}

TEST(Stats, TiesShareTheMeanOfTheirRanks) {
  const auto r = stats::averageRanks({10, 30, 20, 30, 5});
  EXPECT_EQ(r, (std::vector<double>{2, 4.5, 3, 4.5, 1}));
}

TEST(Stats, SpearmanIsPearsonOfTheRanks) {
  EXPECT_NEAR(stats::spearman({1, 2, 3, 4}, {10, 20, 30, 1000}), 1.0, 1e-12) << "any increasing relation is 1";
  EXPECT_NEAR(stats::spearman({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0, 1e-12);
  // y ranks 1, 2, 3.5, 5, 3.5: Pearson against 1..5 is 0.82078268...
  EXPECT_NEAR(stats::spearman({1, 2, 3, 4, 5}, {5, 6, 7, 8, 7}), 0.8207826816681233, 1e-12);
  EXPECT_TRUE(std::isnan(stats::spearman({1, 2, 3}, {7, 7, 7}))) << "a constant side has no correlation";
  EXPECT_TRUE(std::isnan(stats::spearman({1, 2}, {1, 2, 3})));
}

TEST(Stats, AurocIsTheChanceThatAPositiveOutscoresANegative) {
  EXPECT_DOUBLE_EQ(stats::auroc({0.1, 0.4, 0.35, 0.8}, {false, false, true, true}), 0.75);
  EXPECT_DOUBLE_EQ(stats::auroc({1, 2, 3}, {false, true, true}), 1.0);
  EXPECT_DOUBLE_EQ(stats::auroc({1, 1}, {true, false}), 0.5) << "a tie counts one half";
  EXPECT_TRUE(std::isnan(stats::auroc({1, 2}, {true, true})));
}

TEST(Stats, StudentTMatchesItsClosedFormsAndTables) {
  // One degree of freedom is Cauchy: 1/2 + atan(t)/pi; two: 1/2 + t / (2 sqrt(2 + t^2)).
  for (double t : {-3.0, -0.5, 0.0, 0.7, 4.0}) {
    EXPECT_NEAR(stats::studentTCdf(t, 1), 0.5 + std::atan(t) / M_PI, 1e-10) << t;
    EXPECT_NEAR(stats::studentTCdf(t, 2), 0.5 + t / (2 * std::sqrt(2 + t * t)), 1e-10) << t;
  }
  // The two-sided 5% critical values of the tables.
  EXPECT_NEAR(stats::studentTCdf(2.776445, 4), 0.975, 1e-6);
  EXPECT_NEAR(stats::studentTCdf(2.228139, 10), 0.975, 1e-6);
  EXPECT_NEAR(stats::studentTCdf(1.959964, 1e6), 0.975, 1e-5) << "many degrees: the normal";
}

TEST(Stats, PairedTTestOnDifferencesWithAKnownT) {
  // Differences 0.1, 0.15, 0.1: mean 0.11667, sd 0.028868, t = 7 with 2 degrees of freedom.
  const auto r = stats::pairedTTest({0.5, 0.6, 0.7}, {0.4, 0.45, 0.6});
  EXPECT_EQ(r.n, 3);
  EXPECT_NEAR(r.meanDifference, 0.35 / 3, 1e-12);
  EXPECT_NEAR(r.t, 7.0, 1e-9);
  const double cdf = 0.5 + 7 / (2 * std::sqrt(51.0));
  EXPECT_NEAR(r.pOneSided, 1 - cdf, 1e-9);
  EXPECT_NEAR(r.pTwoSided, 2 * (1 - cdf), 1e-9);
  const auto reversed = stats::pairedTTest({0.4, 0.45, 0.6}, {0.5, 0.6, 0.7});
  EXPECT_NEAR(reversed.pOneSided, cdf, 1e-9) << "b beating a is no evidence that a beats b";
}

TEST(Stats, PairedTTestWithoutSpreadOrPairs) {
  const auto constant = stats::pairedTTest({2, 3}, {1, 2});
  EXPECT_TRUE(std::isinf(constant.t));
  EXPECT_EQ(constant.pOneSided, 0);
  EXPECT_TRUE(std::isnan(stats::pairedTTest({1, 2}, {1, 2}).pOneSided)) << "no difference at all: no answer";
  EXPECT_TRUE(std::isnan(stats::pairedTTest({1}, {0}).pOneSided)) << "one pair has no spread to test";
}

TEST(Stats, TheUpperTailKeepsItsPrecisionWhereOneMinusTheCdfIsZero) {
  EXPECT_NEAR(stats::studentTUpperTail(0.7, 3), 1 - stats::studentTCdf(0.7, 3), 1e-12);
  const double far = stats::studentTUpperTail(60, 30);
  EXPECT_GT(far, 0) << "1 - cdf would be 0 here";
  EXPECT_LT(far, 1e-25);
  EXPECT_EQ(stats::studentTUpperTail(INFINITY, 4), 0);
  EXPECT_TRUE(std::isnan(stats::studentTUpperTail(1, 0)));
}

TEST(Stats, TheSignTestCountsWinsAndGivesTheExactBinomialTail) {
  const auto four = stats::signTest({5, 5, 5, 5, 1}, {4, 4, 4, 4, 2});
  EXPECT_EQ(four.wins, 4);
  EXPECT_EQ(four.losses, 1);
  EXPECT_NEAR(four.pOneSided, 6.0 / 32, 1e-12) << "P(X >= 4), X ~ Bin(5, 1/2)";
  EXPECT_NEAR(stats::signTest({2, 2, 2, 2, 2}, {1, 1, 1, 1, 1}).pOneSided, 1.0 / 32, 1e-12);
  const auto tied = stats::signTest({1, 2, 3}, {0, 2, 4});
  EXPECT_EQ(tied.ties, 1);
  EXPECT_NEAR(tied.pOneSided, 0.75, 1e-12) << "the tie is left out: P(X >= 1), X ~ Bin(2, 1/2)";
  EXPECT_EQ(stats::signTest({0, 0}, {1, 1}).pOneSided, 1.0);
  EXPECT_TRUE(std::isnan(stats::signTest({1, 1}, {1, 1}).pOneSided));
  EXPECT_TRUE(std::isnan(stats::signTest({1}, {1, 2}).pOneSided));
}

TEST(Stats, RiskCoverageAcceptsTheLowestScoresFirst) {
  // Accepted in score order: errors 0, 0.5, 1 -> risks 0, 0.25, 0.5 -> area 0.25.
  EXPECT_NEAR(stats::riskCoverageArea({0.1, 0.5, 0.9}, {0, 0.5, 1}), 0.25, 1e-12);
  // The reverse order accepts the worst first: risks 1, 0.75, 0.5.
  EXPECT_NEAR(stats::riskCoverageArea({0.9, 0.5, 0.1}, {0, 0.5, 1}), 0.75, 1e-12);
  EXPECT_TRUE(std::isnan(stats::riskCoverageArea({}, {})));
  EXPECT_TRUE(std::isnan(stats::riskCoverageArea({1}, {0, 1})));
}

TEST(Stats, TheAreaUnderALearningCurveReadsAsItsMean) {
  EXPECT_NEAR(stats::areaUnderCurve({180, 330, 480}, {0.4, 0.5, 0.6}), 0.5, 1e-12);
  // Uneven spacing weighs each stretch by its width: (100 x 0.45 + 300 x 0.65) / 400.
  EXPECT_NEAR(stats::areaUnderCurve({0, 100, 400}, {0.4, 0.5, 0.8}), (100 * 0.45 + 300 * 0.65) / 400, 1e-12);
  EXPECT_TRUE(std::isnan(stats::areaUnderCurve({1, 1}, {0.2, 0.3}))) << "x must rise";
  EXPECT_TRUE(std::isnan(stats::areaUnderCurve({1}, {0.2})));
  EXPECT_TRUE(std::isnan(stats::areaUnderCurve({1, 2}, {0.2, NAN})));
}

TEST(SvgChart, ALineChartHasItsSeriesLegendAndEscapedText) {
  LineChart c;
  c.title = "mAP <by> labels & rounds";
  c.xLabel = "labelled images";
  c.yLabel = "mAP@0.5";
  c.series.push_back({"hybrid", "#d62728", {{180, 0.41}, {430, 0.52}}, {0.01, 0.02}});
  c.series.push_back({"control", "", {{180, 0.41}, {430, NAN}}, {}});
  c.hLines.push_back({0.5, "target"});
  const std::string svg = renderSvg(c);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find("mAP &lt;by&gt; labels &amp; rounds"), std::string::npos);
  EXPECT_EQ(svg.find("<by>"), std::string::npos);
  EXPECT_NE(svg.find(">hybrid<"), std::string::npos);
  EXPECT_NE(svg.find(">control<"), std::string::npos);
  EXPECT_NE(svg.find("#d62728"), std::string::npos);
  EXPECT_NE(svg.find(">target<"), std::string::npos);
  EXPECT_EQ(svg.find("nan"), std::string::npos) << "a NaN point is skipped, never written";
}

TEST(SvgChart, BarsStartAtZeroAndWriteToAFile) {
  BarChart b;
  b.title = "recall";
  b.categories = {"crazing", "inclusion"};
  b.series.push_back({"CAL1", "", {{0, 0.25}, {1, 0.75}}, {}});
  const std::string svg = renderSvg(b);
  EXPECT_NE(svg.find(">crazing<"), std::string::npos);
  EXPECT_NE(svg.find(">0.0<"), std::string::npos) << "the axis includes 0";
  test::TempDir tmp;
  ASSERT_TRUE(writeSvg(b, tmp / "b.svg").ok());
  EXPECT_EQ(test::readText(tmp / "b.svg"), svg);
  const Status st = writeSvg(b, tmp / "missing-folder" / "b.svg");
  EXPECT_EQ(st.code(), StatusCode::kIoError);
  EXPECT_NE(st.message().find("b.svg"), std::string::npos);
}

}  // namespace
}  // namespace quarry
