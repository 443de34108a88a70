// The report's row model: a table of cells under column headers, rendered
// to Markdown (a pipe table) and to JSON (an array of objects, one per row,
// keyed by the columns' JSON names) through Boost.JSON. A cell carries the
// text Markdown shows and the value JSON gives, which may differ ("**missed**"
// and "missed"; "12,346" and 12345.6). Pure; throws only std::bad_alloc and,
// from AddRow, std::invalid_argument.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>

namespace fibpool::bench {

struct Column {
  Column(std::string header, std::string key = "", bool right = false)
      : header(std::move(header)), key(std::move(key)), right(right) {}

  std::string header;  // Markdown header; empty: the column is in JSON only
  std::string key;     // JSON name; empty: the column is in Markdown only
  bool right = false;  // right-aligned in Markdown (figures)
};

struct Cell {
  // Text, the same in Markdown and JSON (implicit: rows are written as
  // lists of strings).
  Cell(std::string text);
  Cell(const char* text);
  Cell(std::string text, boost::json::value value);

  std::string text;
  boost::json::value value;
};

class Table {
 public:
  explicit Table(std::vector<Column> columns);

  // One cell per column; throws std::invalid_argument otherwise.
  void AddRow(std::vector<Cell> cells);
  bool empty() const { return rows_.empty(); }

  // "| h | h |\n|---|---:|\n| c | c |\n": the header row, then one row per
  // AddRow; a '|' in a cell is escaped.
  std::string Markdown() const;
  boost::json::array Json() const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<Cell>> rows_;
};

// A figure as the JSON report gives it: rounded to 3 decimals, null when not
// finite.
boost::json::value JsonNumber(double v);

}  // namespace fibpool::bench
