// Reading and validating the SelectObjectContent input document (API SelectObjectContent,
// CSVInput, JSONInput, CSVOutput, JSONOutput, ScanRange).
#include "lang/s3select/request.h"

#include <cctype>

#include "lang/s3select/errors.h"

namespace nimbus::s3select {
namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

const Document* object(const Document& d, std::string_view key) {
  auto it = d.find(key);
  return it != d.end() && it->value().is_object() ? &it->value().as_object() : nullptr;
}

std::optional<std::string> text(const Document* d, std::string_view key) {
  if (!d) return std::nullopt;
  auto it = d->find(key);
  if (it == d->end() || !it->value().is_string()) return std::nullopt;
  return std::string(it->value().as_string());
}

std::optional<uint64_t> number(const Document* d, std::string_view key) {
  if (!d) return std::nullopt;
  auto it = d->find(key);
  if (it == d->end()) return std::nullopt;
  const auto& v = it->value();
  if (v.is_int64() && v.as_int64() >= 0) return static_cast<uint64_t>(v.as_int64());
  if (v.is_uint64()) return v.as_uint64();
  if (v.is_double() && v.as_double() >= 0) return static_cast<uint64_t>(v.as_double());
  if (v.is_string()) {
    try { return std::stoull(std::string(v.as_string())); } catch (...) {}
  }
  throw select_error("InvalidRequestParameter");
}

bool flag(const Document* d, std::string_view key) {
  if (!d) return false;
  auto it = d->find(key);
  if (it == d->end()) return false;
  if (it->value().is_bool()) return it->value().as_bool();
  return it->value().is_string() && upper(std::string(it->value().as_string())) == "TRUE";
}

char one_char(const Document* d, std::string_view key, char fallback) {
  auto s = text(d, key);
  if (!s || s->empty()) return fallback;
  if (s->size() != 1) throw select_error("InvalidRequestParameter");
  return (*s)[0];
}

std::string delimiter(const Document* d, std::string_view key) {
  auto s = text(d, key);
  if (!s || s->empty()) return "\n";
  if (s->size() > 2) throw select_error("InvalidRequestParameter");
  return *s;
}

void read_input(const Document& in, SelectRequest& r) {
  const Document* ser = object(in, "InputSerialization");
  if (!ser) throw select_error("MissingRequiredParameter");
  const Document* csv = object(*ser, "CSV");
  const Document* json = object(*ser, "JSON");
  bool parquet = ser->contains("Parquet");
  if (int(csv != nullptr) + int(json != nullptr) + int(parquet) > 1) throw select_error("ObjectSerializationConflict");
  if (parquet) throw AwsError("NotImplemented", "Parquet input is not implemented by S3 Select in nimbus.", 501);
  if (!csv && !json) throw select_error("MissingRequiredParameter");
  std::string compression = upper(text(ser, "CompressionType").value_or("NONE"));
  if (compression == "GZIP") r.compression = Compression::Gzip;
  else if (compression == "BZIP2") r.compression = Compression::Bzip2;
  else if (compression != "NONE") throw select_error("InvalidCompressionFormat");
  if (json) {
    r.json_input = true;
    std::string type = upper(text(json, "Type").value_or("DOCUMENT"));
    if (type != "DOCUMENT" && type != "LINES") throw select_error("InvalidJsonType");
    r.json_lines = type == "LINES";
    return;
  }
  std::string header = upper(text(csv, "FileHeaderInfo").value_or("NONE"));
  if (header == "USE") r.csv.header = CsvInputOptions::Header::Use;
  else if (header == "IGNORE") r.csv.header = CsvInputOptions::Header::Ignore;
  else if (header != "NONE") throw select_error("InvalidFileHeaderInfo");
  r.csv.field_delimiter = one_char(csv, "FieldDelimiter", ',');
  r.csv.record_delimiter = delimiter(csv, "RecordDelimiter");
  r.csv.quote = one_char(csv, "QuoteCharacter", '"');
  r.csv.quote_escape = one_char(csv, "QuoteEscapeCharacter", '"');
  if (auto c = text(csv, "Comments")) {
    if (c->size() > 1) throw select_error("InvalidRequestParameter");
    r.csv.comments = *c;
  }
  r.csv.allow_quoted_record_delimiter = flag(csv, "AllowQuotedRecordDelimiter");
}

void read_output(const Document& in, SelectRequest& r) {
  const Document* ser = object(in, "OutputSerialization");
  if (!ser) throw select_error("MissingRequiredParameter");
  const Document* csv = object(*ser, "CSV");
  const Document* json = object(*ser, "JSON");
  if (csv && json) throw select_error("ObjectSerializationConflict");
  if (!csv && !json) throw select_error("MissingRequiredParameter");
  r.output.json = json != nullptr;
  if (json) {
    r.output.record_delimiter = delimiter(json, "RecordDelimiter");
    return;
  }
  std::string quote_fields = upper(text(csv, "QuoteFields").value_or("ASNEEDED"));
  if (quote_fields != "ASNEEDED" && quote_fields != "ALWAYS") throw select_error("InvalidQuoteFields");
  r.output.quote_always = quote_fields == "ALWAYS";
  r.output.field_delimiter = one_char(csv, "FieldDelimiter", ',');
  r.output.record_delimiter = delimiter(csv, "RecordDelimiter");
  r.output.quote = one_char(csv, "QuoteCharacter", '"');
  r.output.quote_escape = one_char(csv, "QuoteEscapeCharacter", '"');
}

// "If only the End parameter is supplied, it is interpreted to mean scan the last N bytes
// of the file" (API ScanRange); End is inclusive.
void read_scan_range(const Document& in, SelectRequest& r, uint64_t size) {
  const Document* range = object(in, "ScanRange");
  if (!range) return;
  auto start = number(range, "Start");
  auto end = number(range, "End");
  if (!start && !end) return;
  if (r.compression != Compression::None || (r.json_input && !r.json_lines) ||
      (!r.json_input && r.csv.allow_quoted_record_delimiter)) {
    throw select_error("UnsupportedScanRangeInput");
  }
  if (start && end && *start > *end) throw select_error("InvalidScanRange");
  if (!start) {
    r.range_start = *end >= size ? 0 : size - *end;
    return;
  }
  r.range_start = *start;
  r.range_end = end;
}

}  // namespace

SelectRequest parse_select_request(const Document& input, uint64_t object_size) {
  SelectRequest r;
  r.expression = text(&input, "Expression").value_or("");
  if (r.expression.empty()) throw select_error("MissingRequiredParameter");
  std::string type = upper(text(&input, "ExpressionType").value_or("SQL"));
  if (type != "SQL") throw select_error("InvalidExpressionType");
  read_input(input, r);
  read_output(input, r);
  r.progress = flag(object(input, "RequestProgress"), "Enabled");
  read_scan_range(input, r, object_size);
  return r;
}

}  // namespace nimbus::s3select
