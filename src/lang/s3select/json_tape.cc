// Parsing JSON text into the tape, member lookup and compact re-serialization (S3 Select
// writes JSON records compactly: {"a":1}).
#include "lang/s3select/json_tape.h"

#include <cstring>

#include "lang/s3select/errors.h"

namespace nimbus::s3select {
namespace {

[[noreturn]] void bad_json() { throw select_error("JSONParsingError"); }

// Returns whether anything was skipped.
inline bool skip_ws(std::string_view t, size_t& p) {
  size_t start = p;
  while (p < t.size() && (t[p] == ' ' || t[p] == '\n' || t[p] == '\r' || t[p] == '\t')) ++p;
  return p != start;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

uint32_t read_hex4(std::string_view t, size_t p) {
  if (p + 4 > t.size()) bad_json();
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) {
    int h = hex(t[p + i]);
    if (h < 0) bad_json();
    v = v * 16 + static_cast<uint32_t>(h);
  }
  return v;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool keys_match(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x == y) continue;
    if ((x | 0x20) != (y | 0x20) || (x | 0x20) < 'a' || (x | 0x20) > 'z') return false;
  }
  return true;
}

}  // namespace

void JsonTape::clear(size_t capacity) {
  nodes_.clear();
  scratch_.clear();
  root_ = kNone;
  // Decoded text is never longer than its source, so views into scratch_ stay valid.
  if (scratch_.capacity() < capacity) scratch_.reserve(capacity);
}

uint32_t JsonTape::parse(std::string_view text, size_t& pos) {
  if (scratch_.capacity() < scratch_.size() + text.size()) {
    // Only reached when clear() was given too small a capacity: re-reserving would move
    // decoded strings that earlier nodes point into, so refuse instead.
    if (!scratch_.empty()) throw select_error("InternalError");
    scratch_.reserve(text.size());
  }
  skip_ws(text, pos);
  size_t begin = pos;
  verbatim_ = true;
  uint32_t root = parse_value(text, pos, 0);
  root_ = root;
  root_text_ = text.substr(begin, pos - begin);
  skip_ws(text, pos);
  return root;
}

void JsonTape::parse_string(std::string_view t, size_t& p, Node& node) {
  size_t start = ++p;  // past the opening quote
  // Fast path: find the closing quote with memchr; no backslash before it means no escapes.
  const void* q = std::memchr(t.data() + p, '"', t.size() - p);
  if (!q) bad_json();
  size_t close = static_cast<const char*>(q) - t.data();
  const void* bs = std::memchr(t.data() + p, '\\', close - p);
  if (!bs) {
    node.text = t.substr(start, close - start);
    p = close + 1;
    return;
  }
  p = static_cast<const char*>(bs) - t.data();
  verbatim_ = false;
  size_t out_start = scratch_.size();
  scratch_.append(t.data() + start, p - start);
  while (p < t.size()) {
    char c = t[p];
    if (c == '"') {
      node.escaped = true;
      node.text = std::string_view(scratch_.data() + out_start, scratch_.size() - out_start);
      ++p;
      return;
    }
    if (c != '\\') { scratch_ += c; ++p; continue; }
    if (++p >= t.size()) bad_json();
    char e = t[p++];
    switch (e) {
      case '"': scratch_ += '"'; break;
      case '\\': scratch_ += '\\'; break;
      case '/': scratch_ += '/'; break;
      case 'b': scratch_ += '\b'; break;
      case 'f': scratch_ += '\f'; break;
      case 'n': scratch_ += '\n'; break;
      case 'r': scratch_ += '\r'; break;
      case 't': scratch_ += '\t'; break;
      case 'u': {
        uint32_t cp = read_hex4(t, p);
        p += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && p + 6 <= t.size() && t[p] == '\\' && t[p + 1] == 'u') {
          uint32_t lo = read_hex4(t, p + 2);
          if (lo >= 0xDC00 && lo < 0xE000) { cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00); p += 6; }
        }
        append_utf8(scratch_, cp);
        break;
      }
      default: bad_json();
    }
  }
  bad_json();
}

uint32_t JsonTape::parse_value(std::string_view t, size_t& p, int depth) {
  if (p >= t.size()) bad_json();
  if (depth > kMaxJsonDepth) bad_json();
  uint32_t index = size();
  nodes_.emplace_back();
  char c = t[p];
  if (c == '{' || c == '[') {
    bool object = c == '{';
    nodes_[index].type = object ? Type::Object : Type::Array;
    ++p;
    if (skip_ws(t, p)) verbatim_ = false;
    char close = object ? '}' : ']';
    if (p < t.size() && t[p] == close) {
      ++p;
    } else {
      for (;;) {
        if (object) {
          if (p >= t.size() || t[p] != '"') bad_json();
          uint32_t key = size();
          nodes_.emplace_back();
          nodes_[key].type = Type::String;
          Node tmp;
          parse_string(t, p, tmp);
          nodes_[key].text = tmp.text;
          nodes_[key].escaped = tmp.escaped;
          nodes_[key].next = key + 1;
          if (skip_ws(t, p)) verbatim_ = false;
          if (p >= t.size() || t[p] != ':') bad_json();
          ++p;
          if (skip_ws(t, p)) verbatim_ = false;
        }
        parse_value(t, p, depth + 1);
        if (skip_ws(t, p)) verbatim_ = false;
        if (p >= t.size()) bad_json();
        if (t[p] == ',') { ++p; if (skip_ws(t, p)) verbatim_ = false; continue; }
        if (t[p] == close) { ++p; break; }
        bad_json();
      }
    }
  } else if (c == '"') {
    nodes_[index].type = Type::String;
    Node tmp;
    parse_string(t, p, tmp);
    nodes_[index].text = tmp.text;
    nodes_[index].escaped = tmp.escaped;
  } else if (c == '-' || (c >= '0' && c <= '9')) {
    size_t start = p++;
    while (p < t.size()) {
      char d = t[p];
      if ((d >= '0' && d <= '9') || d == '.' || d == 'e' || d == 'E' || d == '+' || d == '-') ++p;
      else break;
    }
    nodes_[index].type = Type::Number;
    nodes_[index].text = t.substr(start, p - start);
  } else if (t.compare(p, 4, "true") == 0) {
    nodes_[index].type = Type::True; p += 4;
  } else if (t.compare(p, 5, "false") == 0) {
    nodes_[index].type = Type::False; p += 5;
  } else if (t.compare(p, 4, "null") == 0) {
    nodes_[index].type = Type::Null; p += 4;
  } else {
    bad_json();
  }
  nodes_[index].next = size();
  return index;
}

uint32_t JsonTape::member(uint32_t obj, std::string_view key, bool case_sensitive) const {
  if (obj == kNone || nodes_[obj].type != Type::Object) return kNone;
  uint32_t found = kNone;
  uint32_t end = nodes_[obj].next;
  for (uint32_t k = obj + 1; k < end; k = nodes_[k + 1].next) {
    std::string_view name = nodes_[k].text;
    bool match = case_sensitive ? name == key : keys_match(name, key);
    if (!match) continue;
    if (found != kNone && !case_sensitive && nodes_[found - 1].text != name) {
      throw select_error("AmbiguousFieldName");
    }
    found = k + 1;  // a repeated key: the last one wins
  }
  return found;
}

uint32_t JsonTape::element(uint32_t array, int64_t index) const {
  if (array == kNone || nodes_[array].type != Type::Array || index < 0) return kNone;
  uint32_t end = nodes_[array].next;
  for (uint32_t e = array + 1; e < end; e = nodes_[e].next) {
    if (index-- == 0) return e;
  }
  return kNone;
}

Value JsonTape::value(uint32_t node) const {
  if (node == kNone) return Value::missing();
  const Node& n = nodes_[node];
  switch (n.type) {
    case Type::Null: return Value::null();
    case Type::False: return Value::boolean(false);
    case Type::True: return Value::boolean(true);
    case Type::String: return Value::string(n.text);
    case Type::Number: {
      auto v = parse_number(n.text);
      if (!v) throw select_error("JSONParsingError");
      v->s = n.text;
      return *v;
    }
    case Type::Array:
    case Type::Object: {
      Value v;
      v.kind = Kind::Json;
      v.tape = this;
      v.node = node;
      return v;
    }
  }
  return Value::missing();
}

void append_json_string(std::string& out, std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  out += '"';
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default: out += "\\u00"; out += kHex[c >> 4]; out += kHex[c & 15];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void JsonTape::serialize(uint32_t node, std::string& out) const {
  if (node == root_ && verbatim_) {  // compact source without escapes: already our output
    out += root_text_;
    return;
  }
  const Node& n = nodes_[node];
  switch (n.type) {
    case Type::Null: out += "null"; return;
    case Type::False: out += "false"; return;
    case Type::True: out += "true"; return;
    case Type::Number: out += n.text; return;
    case Type::String:
      if (n.escaped) { append_json_string(out, n.text); return; }
      out += '"'; out += n.text; out += '"';
      return;
    case Type::Array: {
      out += '[';
      for (uint32_t e = node + 1; e < n.next; e = nodes_[e].next) {
        if (e != node + 1) out += ',';
        serialize(e, out);
      }
      out += ']';
      return;
    }
    case Type::Object: {
      out += '{';
      for (uint32_t k = node + 1; k < n.next; k = nodes_[k + 1].next) {
        if (k != node + 1) out += ',';
        serialize(k, out);
        out += ':';
        serialize(k + 1, out);
      }
      out += '}';
      return;
    }
  }
}

}  // namespace nimbus::s3select
