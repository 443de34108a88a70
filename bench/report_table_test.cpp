// The report's row model: the same cells as a Markdown table and, parsed
// back with boost::json::parse, as JSON.
#include "bench/report_table.h"

#include <limits>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "bench/report.h"

namespace fibpool::bench {
namespace {

Table Example() {
  Table table({{"name", "name"}, {"rate", "rate", true}, {"", "hidden"}, {"note"}});
  table.AddRow({"tiny-8", {"12,346", JsonNumber(12345.6)}, {"", true}, "md only"});
  table.AddRow({"a \"quoted\" \\ name\nwith a | and \x01", {"n/a", nullptr}, {"", false}, "-"});
  return table;
}

TEST(ReportTable, MarkdownHasTheHeadersTheAlignmentAndOneLinePerRow) {
  EXPECT_EQ(Example().Markdown(),
            "| name | rate | note |\n"
            "|---|---:|---|\n"
            "| tiny-8 | 12,346 | md only |\n"
            "| a \"quoted\" \\ name with a \\| and \x01 | n/a | - |\n");
}

TEST(ReportTable, JsonParsesBackWithTheValuesOfTheKeyedColumns) {
  const std::string text = boost::json::serialize(Example().Json());
  const boost::json::array rows = boost::json::parse(text).as_array();
  ASSERT_EQ(rows.size(), 2u);
  const boost::json::object& first = rows[0].as_object();
  EXPECT_EQ(first.size(), 3u);  // "note" is Markdown only
  EXPECT_EQ(first.at("name").as_string(), "tiny-8");
  EXPECT_DOUBLE_EQ(first.at("rate").as_double(), 12345.6);
  EXPECT_TRUE(first.at("hidden").as_bool());
  const boost::json::object& second = rows[1].as_object();
  EXPECT_EQ(second.at("name").as_string(), "a \"quoted\" \\ name\nwith a | and \x01");
  EXPECT_TRUE(second.at("rate").is_null());
}

TEST(ReportTable, ARowOfTheWrongWidthIsRefused) {
  Table table({{"a"}, {"b"}});
  EXPECT_THROW(table.AddRow({"only one"}), std::invalid_argument);
  EXPECT_TRUE(table.empty());
}

TEST(ReportTable, NumbersAreRoundedTo3DecimalsAndNotFiniteOnesAreNull) {
  EXPECT_DOUBLE_EQ(JsonNumber(0.12345).as_double(), 0.123);
  EXPECT_DOUBLE_EQ(JsonNumber(2.5e6).as_double(), 2.5e6);
  EXPECT_TRUE(JsonNumber(std::numeric_limits<double>::infinity()).is_null());
}

TEST(ReportJson, StringsThatNeedEscapingParseBackUnchanged) {
  ScenarioResult r;
  r.id = "tiny-1";
  r.title = "tiny \"jobs\", `1 connection`\\closed\tloop\n";
  r.fibpool.label = "fibpool";
  r.fibpool.sent = 1;
  r.fibpool.first_error = "sent '5 fast', got \"6\"\r\n\x02";
  r.notes = {"µs ≥ ≤ –"};
  ReportContext context;
  context.command = "fibpool-bench --fibpool-arg=\"--x\"";
  context.conditions = {"load\\average"};
  const auto json = boost::json::parse(Report({r}, context).Json());
  EXPECT_EQ(json.at("command").as_string(), context.command);
  EXPECT_EQ(json.at("conditions").at(0).as_string(), "load\\average");
  const auto& s = json.at("scenarios").at(0);
  EXPECT_EQ(s.at("title").as_string(), r.title);
  EXPECT_EQ(s.at("fibpool").at("first_error").as_string(), r.fibpool.first_error);
  EXPECT_EQ(s.at("fibpool").at("sent").as_int64(), 1);
  EXPECT_EQ(s.at("notes").at(0).as_string(), "µs ≥ ≤ –");
  EXPECT_TRUE(s.at("ratio").is_null());  // no baseline measured
  // The unanswered request is a problem, its first error quoted in it.
  EXPECT_NE(std::string(json.at("problems").at(0).as_string()).find(r.fibpool.first_error),
            std::string::npos);
}

}  // namespace
}  // namespace fibpool::bench
