// Splitting JSON input into root values and expanding them by the FROM path.
#include "lang/s3select/json_reader.h"

#include "lang/s3select/errors.h"

namespace nimbus::s3select {
namespace {

bool is_ws(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// End of the JSON value that starts at w[0], or npos when w holds only part of it.
size_t value_end(std::string_view w) {
  char c = w[0];
  if (c == '{' || c == '[') {
    int depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < w.size(); ++i) {
      char d = w[i];
      if (in_string) {
        if (d == '\\') ++i;
        else if (d == '"') in_string = false;
      } else if (d == '"') {
        in_string = true;
      } else if (d == '{' || d == '[') {
        ++depth;
      } else if (d == '}' || d == ']') {
        if (--depth == 0) return i + 1;
      }
    }
    return std::string_view::npos;
  }
  if (c == '"') {
    for (size_t i = 1; i < w.size(); ++i) {
      if (w[i] == '\\') ++i;
      else if (w[i] == '"') return i + 1;
    }
    return std::string_view::npos;
  }
  for (size_t i = 0; i < w.size(); ++i) {
    if (is_ws(w[i]) || w[i] == '{' || w[i] == '[' || w[i] == '"') return i;
  }
  return std::string_view::npos;
}

}  // namespace

bool JsonReader::next_document_value() {
  for (;;) {
    std::string_view w = in_.window();
    size_t skip = 0;
    while (skip < w.size() && is_ws(w[skip])) ++skip;
    in_.consume(skip);
    w = in_.window();
    if (!w.empty()) {
      size_t end = value_end(w);
      if (end != std::string_view::npos) {
        if (end > kMaxRecordBytes) throw select_error("OverMaxRecordSize");
        record_start_ = in_.position();
        record_ = w.substr(0, end);
        in_.consume(end);
        return true;
      }
      if (w.size() > kMaxRecordBytes) throw select_error("OverMaxRecordSize");
    }
    if (!in_.more()) {
      w = in_.window();
      if (w.empty()) return false;
      record_start_ = in_.position();
      record_ = w;  // a truncated value: the parser reports it
      in_.consume(w.size());
      return true;
    }
  }
}

bool JsonReader::next_record() {
  if (!lines_) return next_document_value();
  for (;;) {
    record_start_ = in_.position();
    if (!in_.next_delimited("\n", record_)) return false;
    size_t i = 0;
    while (i < record_.size() && is_ws(record_[i])) ++i;
    if (i < record_.size()) return true;  // skip blank lines
  }
}

void JsonReader::expand(uint32_t node, size_t step) {
  if (step == from_.size() || node == JsonTape::kNone) {
    rows_.push_back(node);
    return;
  }
  const PathStep& s = from_[step];
  const auto type = tape_[node].type;
  switch (s.type) {
    case PathStep::Type::Name: expand(tape_.member(node, s.name, s.case_sensitive), step + 1); return;
    case PathStep::Type::Index: expand(tape_.element(node, s.index), step + 1); return;
    case PathStep::Type::ArrayWildcard:
    case PathStep::Type::ObjectWildcard: {
      bool want_object = s.type == PathStep::Type::ObjectWildcard;
      size_t before = rows_.size();
      if (type == (want_object ? JsonTape::Type::Object : JsonTape::Type::Array)) {
        for (uint32_t c = tape_.first_child(node); c != JsonTape::kNone; c = tape_.next_sibling(node, c)) {
          if (want_object) ++c;  // from the key to its value
          expand(c, step + 1);
        }
      }
      // "Wildcards always emit at least one record ... the value MISSING."
      if (rows_.size() == before) rows_.push_back(JsonTape::kNone);
      return;
    }
  }
}

bool JsonReader::next(Row& row) {
  while (next_row_ >= rows_.size()) {
    rows_.clear();
    next_row_ = 0;
    while (pos_ < record_.size() && is_ws(record_[pos_])) ++pos_;
    if (pos_ >= record_.size()) {
      if (!next_record()) return false;
      pos_ = 0;
    }
    tape_.clear(record_.size());
    uint32_t root = tape_.parse(record_, pos_);
    expand(root, 0);
  }
  row = Row{};
  row.tape = &tape_;
  row.node = rows_[next_row_++];
  return true;
}

}  // namespace nimbus::s3select
