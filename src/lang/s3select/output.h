// Writing result records as OutputSerialization asks (API CSVOutput, JSONOutput): JSON
// records {"name":value} without MISSING members, or CSV with QuoteFields ALWAYS/ASNEEDED.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lang/s3select/eval.h"

namespace nimbus::s3select {

struct OutputOptions {
  bool json = true;
  std::string record_delimiter = "\n";
  char field_delimiter = ',';
  char quote = '"';
  char quote_escape = '"';
  bool quote_always = false;
};

class RecordWriter {
 public:
  explicit RecordWriter(OutputOptions options) : o_(std::move(options)) {}
  // SELECT *: the row as it came (CSV fields, or the JSON value).
  void write_row(const Row& row, std::string& out) const;
  void write_values(const std::vector<std::string>& names, const std::vector<Value>& values,
                    std::string& out) const;

 private:
  void json_value(const Value& v, std::string& out) const;
  void csv_field(std::string_view text, std::string& out) const;
  void csv_value(const Value& v, std::string& out) const;
  OutputOptions o_;
};

}  // namespace nimbus::s3select
