// The SelectObjectContent request as the engine needs it, read from the input document
// (Expression, ExpressionType, InputSerialization, OutputSerialization, RequestProgress,
// ScanRange) and checked with AWS's error codes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/document.h"
#include "lang/s3select/csv_reader.h"
#include "lang/s3select/input_source.h"
#include "lang/s3select/output.h"

namespace nimbus::s3select {

struct SelectRequest {
  std::string expression;
  bool json_input = false;
  bool json_lines = false;
  CsvInputOptions csv;
  Compression compression = Compression::None;
  OutputOptions output;
  bool progress = false;
  // The bytes whose records are read, [start, end] inclusive (API ScanRange).
  uint64_t range_start = 0;
  std::optional<uint64_t> range_end;
};

SelectRequest parse_select_request(const Document& input, uint64_t object_size);

}  // namespace nimbus::s3select
