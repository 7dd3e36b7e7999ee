// JSON input as S3 Select reads it (API JSONInput): LINES (one value per line) or DOCUMENT
// (root values one after another, each possibly spanning lines), each root value expanded by
// the FROM path: S3Object[*].a[*].b gives one row per match, and MISSING where nothing
// matches (s3-select-sql-reference-select.html, FROM clause).
#pragma once

#include <string_view>
#include <vector>

#include "lang/s3select/ast.h"
#include "lang/s3select/eval.h"
#include "lang/s3select/input_source.h"
#include "lang/s3select/json_tape.h"

namespace nimbus::s3select {

class JsonReader {
 public:
  JsonReader(RecordBuffer& input, bool lines, const std::vector<PathStep>& from_path)
      : in_(input), lines_(lines), from_(from_path) {}
  // The next row (valid until the next call); false at the end.
  bool next(Row& row);
  // Object offset where the current record began (for scan ranges).
  uint64_t record_start() const { return record_start_; }

 private:
  bool next_record();
  bool next_document_value();
  void expand(uint32_t node, size_t step);

  RecordBuffer& in_;
  bool lines_;
  const std::vector<PathStep>& from_;
  JsonTape tape_;
  std::string_view record_;
  size_t pos_ = 0;
  std::vector<uint32_t> rows_;
  size_t next_row_ = 0;
  uint64_t record_start_ = 0;
};

}  // namespace nimbus::s3select
