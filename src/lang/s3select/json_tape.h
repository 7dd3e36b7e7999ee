// A JSON record parsed into a flat tape of nodes (one vector reused for every record, so
// reading a JSON object allocates nothing in the steady state). Strings without escapes
// borrow the record's text; escaped ones are decoded into the tape's scratch buffer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lang/s3select/value.h"

namespace nimbus::s3select {

class JsonTape {
 public:
  enum class Type : uint8_t { Null, False, True, Number, String, Array, Object };
  struct Node {
    Type type = Type::Null;
    bool escaped = false;  // String: the source had escapes, so `text` was decoded
    uint32_t next = 0;     // index one past this node's subtree
    std::string_view text; // String: decoded text; Number: source text; Object member keys too
  };
  static constexpr uint32_t kNone = UINT32_MAX;

  // Forgets every node; `capacity` bounds the decoded text of the records to come.
  void clear(size_t capacity);
  // Parses one value starting at text[pos] (leading whitespace skipped); returns the index
  // of its root node and sets pos past it. Throws AwsError JSONParsingError.
  uint32_t parse(std::string_view text, size_t& pos);

  const Node& operator[](uint32_t i) const { return nodes_[i]; }
  uint32_t size() const { return static_cast<uint32_t>(nodes_.size()); }

  // The value of member `key` of the object at `obj` (kNone when absent). Without
  // case_sensitive, names compare ignoring ASCII case and two different spellings that both
  // match throw AmbiguousFieldName (s3-select-sql-reference-select.html, case sensitivity).
  uint32_t member(uint32_t obj, std::string_view key, bool case_sensitive) const;
  uint32_t element(uint32_t array, int64_t index) const;
  // Members of an object: (key node, value node) pairs via first/next.
  uint32_t first_child(uint32_t n) const { return n + 1 < nodes_[n].next ? n + 1 : kNone; }
  uint32_t next_sibling(uint32_t parent, uint32_t child) const {
    uint32_t n = nodes_[child].next;
    return n < nodes_[parent].next ? n : kNone;
  }

  Value value(uint32_t node) const;  // scalars become plain values; lists and structs Json
  void serialize(uint32_t node, std::string& out) const;

 private:
  uint32_t parse_value(std::string_view text, size_t& pos, int depth);
  void parse_string(std::string_view text, size_t& pos, Node& node);

  std::vector<Node> nodes_;
  std::string scratch_;
  // The last root parsed, its source text, and whether that text is already compact JSON
  // with no escapes (then serialize() copies it instead of rebuilding it).
  uint32_t root_ = kNone;
  std::string_view root_text_;
  bool verbatim_ = false;
};

// Appends s as a JSON string literal (quotes included).
void append_json_string(std::string& out, std::string_view s);

}  // namespace nimbus::s3select
