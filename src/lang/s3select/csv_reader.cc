// Splitting CSV input into records and fields. A quote left open at the end of a record is
// AWS's CSVEscapingRecordDelimiter unless AllowQuotedRecordDelimiter lets quoted fields
// span record delimiters (API CSVInput).
#include "lang/s3select/csv_reader.h"

#include <cstring>

#include "lang/s3select/errors.h"

namespace nimbus::s3select {

bool CsvReader::next(std::vector<std::string_view>& fields) {
  std::string_view record;
  for (;;) {
    record_start_ = in_.position();
    bool got = o_.allow_quoted_record_delimiter ? next_quoted_record(record) : next_record(record);
    if (!got) return false;
    if (o_.record_delimiter == "\n" && !record.empty() && record.back() == '\r') record.remove_suffix(1);
    if (record.empty()) continue;
    if (!o_.comments.empty() && record.front() == o_.comments[0]) continue;
    split(record, fields);
    return true;
  }
}

bool CsvReader::next_record(std::string_view& record) {
  return in_.next_delimited(o_.record_delimiter, record);
}

// Finds the record delimiter outside quotes.
bool CsvReader::next_quoted_record(std::string_view& record) {
  size_t i = 0;
  bool quoted = false;
  const std::string& d = o_.record_delimiter;
  for (;;) {
    std::string_view w = in_.window();
    for (; i < w.size(); ++i) {
      char c = w[i];
      if (quoted) {
        if (c == o_.quote_escape && o_.quote_escape != o_.quote && i + 1 < w.size()) { ++i; continue; }
        if (c == o_.quote) quoted = false;
        continue;
      }
      if (c == o_.quote) { quoted = true; continue; }
      if (c == d[0] && w.compare(i, d.size(), d) == 0) {
        record = w.substr(0, i);
        in_.consume(i + d.size());
        return true;
      }
    }
    if (w.size() > kMaxRecordBytes) throw select_error("OverMaxRecordSize");
    if (!in_.more()) {
      w = in_.window();
      if (w.empty()) return false;
      if (quoted) throw select_error("CSVParsingError");
      record = w;
      in_.consume(w.size());
      return true;
    }
    // Rescan the unfinished record from its start: simple and correct when an escape or a
    // two-byte delimiter straddles the chunk boundary (records are bounded in size).
    i = 0;
    quoted = false;
  }
}

void CsvReader::split(std::string_view r, std::vector<std::string_view>& fields) {
  fields.clear();
  scratch_.clear();
  if (scratch_.capacity() < r.size()) scratch_.reserve(r.size());
  const char fd = o_.field_delimiter, q = o_.quote, esc = o_.quote_escape;
  size_t i = 0;
  for (;;) {
    if (i < r.size() && r[i] == q) {  // a quoted field
      size_t out = scratch_.size();
      ++i;
      bool closed = false;
      while (i < r.size()) {
        char c = r[i];
        if (c == esc && i + 1 < r.size() && r[i + 1] == q) {
          scratch_ += q; i += 2; continue;
        }
        if (c == q) { closed = true; ++i; break; }
        scratch_ += c; ++i;
      }
      if (!closed) {
        throw select_error(o_.allow_quoted_record_delimiter ? "CSVParsingError" : "CSVEscapingRecordDelimiter");
      }
      // Text between the closing quote and the delimiter is kept, as lenient readers do.
      while (i < r.size() && r[i] != fd) scratch_ += r[i++];
      fields.emplace_back(scratch_.data() + out, scratch_.size() - out);
    } else {
      const void* hit = std::memchr(r.data() + i, fd, r.size() - i);
      size_t end = hit ? static_cast<const char*>(hit) - r.data() : r.size();
      fields.push_back(r.substr(i, end - i));
      i = end;
    }
    if (fields.back().size() > kMaxColumnBytes) throw select_error("ColumnTooLong");
    if (i >= r.size()) return;
    ++i;  // the field delimiter
    if (i == r.size()) { fields.emplace_back(); return; }
  }
}

}  // namespace nimbus::s3select
