#include "bench/report_table.h"

#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "bench/figure_text.h"

namespace fibpool::bench {

Cell::Cell(std::string text) : text(std::move(text)), value(boost::json::string(this->text)) {}

Cell::Cell(const char* text) : Cell(std::string(text)) {}

Cell::Cell(std::string text, boost::json::value value)
    : text(std::move(text)), value(std::move(value)) {}

Table::Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

void Table::AddRow(std::vector<Cell> cells) {
  if (cells.size() != columns_.size()) {
    throw std::invalid_argument("a table row has " + std::to_string(cells.size()) + " cells for " +
                                std::to_string(columns_.size()) + " columns");
  }
  rows_.push_back(std::move(cells));
}

std::string Table::Markdown() const {
  // " text |", a '|' in it escaped.
  const auto add_cell = [](std::string* line, const std::string& text) {
    *line += ' ';
    for (const char c : text) {
      if (c == '|') *line += '\\';
      *line += c == '\n' ? ' ' : c;
    }
    *line += " |";
  };
  std::string header = "|";
  std::string rule = "|";
  for (const Column& c : columns_) {
    if (c.header.empty()) continue;
    add_cell(&header, c.header);
    rule += c.right ? "---:|" : "---|";
  }
  std::string out = header + "\n" + rule + "\n";
  for (const auto& row : rows_) {
    out += "|";
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (!columns_[i].header.empty()) add_cell(&out, row[i].text);
    }
    out += "\n";
  }
  return out;
}

boost::json::array Table::Json() const {
  boost::json::array out;
  for (const auto& row : rows_) {
    boost::json::object o;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (!columns_[i].key.empty()) o[columns_[i].key] = row[i].value;
    }
    out.push_back(std::move(o));
  }
  return out;
}

boost::json::value JsonNumber(double v) {
  if (!std::isfinite(v)) return nullptr;
  // As printed with 3 decimals (rounded the way printf rounds).
  return std::strtod(Fixed(v, 3).c_str(), nullptr);
}

}  // namespace fibpool::bench
