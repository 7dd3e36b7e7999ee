// Result records in JSON or CSV. JSON rows that are not structs print as {"_1":value}: a
// DOCUMENT whose root is an array gives {"_1":[...]} for SELECT * FROM S3Object s, as AWS
// does (confirmed against AWS in getmoto/moto#6340).
#include "lang/s3select/output.h"

#include "lang/s3select/errors.h"

namespace nimbus::s3select {

void RecordWriter::json_value(const Value& v, std::string& out) const {
  switch (v.kind) {
    case Kind::Missing:
    case Kind::Null: out += "null"; return;
    case Kind::Bool: out += v.b ? "true" : "false"; return;
    case Kind::Int:
    case Kind::Float: out += scalar_text(v); return;
    case Kind::String: append_json_string(out, v.s); return;
    case Kind::Timestamp: append_json_string(out, format_timestamp(v.ts)); return;
    case Kind::Json: v.tape->serialize(v.node, out); return;
  }
}

void RecordWriter::csv_field(std::string_view text, std::string& out) const {
  bool quote = o_.quote_always;
  if (!quote) {
    for (char c : text) {
      if (c == o_.field_delimiter || c == o_.quote || c == '\n' || c == '\r' ||
          o_.record_delimiter.find(c) != std::string::npos) { quote = true; break; }
    }
  }
  if (!quote) { out += text; return; }
  out += o_.quote;
  for (char c : text) {
    if (c == o_.quote) out += o_.quote_escape;
    out += c;
  }
  out += o_.quote;
}

void RecordWriter::csv_value(const Value& v, std::string& out) const {
  if (v.kind == Kind::Json) {
    std::string s;
    v.tape->serialize(v.node, s);
    csv_field(s, out);
  } else if (v.kind == Kind::String) {
    csv_field(v.s, out);
  } else {
    csv_field(scalar_text(v), out);
  }
}

void RecordWriter::write_values(const std::vector<std::string>& names, const std::vector<Value>& values,
                                std::string& out) const {
  size_t start = out.size();
  if (o_.json) {
    out += '{';
    bool first = true;
    for (size_t i = 0; i < values.size(); ++i) {
      if (values[i].kind == Kind::Missing) continue;
      if (!first) out += ',';
      first = false;
      append_json_string(out, names[i]);
      out += ':';
      json_value(values[i], out);
    }
    out += '}';
  } else {
    for (size_t i = 0; i < values.size(); ++i) {
      if (i) out += o_.field_delimiter;
      csv_value(values[i], out);
    }
  }
  if (out.size() - start > kMaxRecordBytes) throw select_error("OverMaxRecordSize");
  out += o_.record_delimiter;
}

void RecordWriter::write_row(const Row& row, std::string& out) const {
  if (row.fields) {  // CSV input
    const auto& f = *row.fields;
    if (o_.json) {
      out += '{';
      for (size_t i = 0; i < f.size(); ++i) {
        if (i) out += ',';
        if (row.header && i < row.header->size()) append_json_string(out, (*row.header)[i]);
        else append_json_string(out, "_" + std::to_string(i + 1));
        out += ':';
        append_json_string(out, f[i]);
      }
      out += '}';
    } else {
      for (size_t i = 0; i < f.size(); ++i) {
        if (i) out += o_.field_delimiter;
        csv_field(f[i], out);
      }
    }
    out += o_.record_delimiter;
    return;
  }
  const JsonTape& t = *row.tape;
  if (o_.json) {
    if (row.node == JsonTape::kNone) {
      out += "{}";
    } else if (t[row.node].type == JsonTape::Type::Object) {
      t.serialize(row.node, out);
    } else {
      out += "{\"_1\":";
      t.serialize(row.node, out);
      out += '}';
    }
  } else if (row.node != JsonTape::kNone) {
    bool container = t[row.node].type == JsonTape::Type::Object || t[row.node].type == JsonTape::Type::Array;
    if (!container) {
      csv_value(t.value(row.node), out);
    } else {
      bool object = t[row.node].type == JsonTape::Type::Object;
      bool first = true;
      for (uint32_t c = t.first_child(row.node); c != JsonTape::kNone; c = t.next_sibling(row.node, c)) {
        if (!first) out += o_.field_delimiter;
        first = false;
        uint32_t v = object ? c + 1 : c;
        csv_value(t.value(v), out);
        if (object) c = c + 1;  // step over the key to its value; next_sibling skips the value
      }
    }
  }
  out += o_.record_delimiter;
}

}  // namespace nimbus::s3select
