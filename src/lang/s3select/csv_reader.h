// CSV input as S3 Select reads it (API CSVInput): field and record delimiters, quote and
// quote-escape characters, comment lines, AllowQuotedRecordDelimiter, FileHeaderInfo.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lang/s3select/input_source.h"

namespace nimbus::s3select {

struct CsvInputOptions {
  enum class Header { None, Use, Ignore };
  Header header = Header::None;
  char field_delimiter = ',';
  std::string record_delimiter = "\n";
  char quote = '"';
  char quote_escape = '"';
  // "The default character is #." (API CSVInput, Comments)
  std::string comments = "#";
  bool allow_quoted_record_delimiter = false;
};

class CsvReader {
 public:
  CsvReader(RecordBuffer& input, const CsvInputOptions& options) : in_(input), o_(options) {}
  // The fields of the next record (views valid until the next call); false at the end.
  bool next(std::vector<std::string_view>& fields);
  // Object offset where the record returned last began (for scan ranges).
  uint64_t record_start() const { return record_start_; }
  // Splits one record into fields (exposed for tests).
  void split(std::string_view record, std::vector<std::string_view>& fields);

 private:
  bool next_record(std::string_view& record);
  bool next_quoted_record(std::string_view& record);

  RecordBuffer& in_;
  CsvInputOptions o_;
  std::string scratch_;
  uint64_t record_start_ = 0;
};

}  // namespace nimbus::s3select
