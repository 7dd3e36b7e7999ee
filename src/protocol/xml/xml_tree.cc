// Documents to XML elements and back, driven by the model: structure members by XML name,
// wrapped or flattened lists and maps, attributes and namespaces (botocore's
// RestXMLParser/QueryParser rules, which AWS's XML responses satisfy).
#include <pugixml.hpp>

#include <cstring>

#include "protocol/xml/xml_shared.h"

namespace nimbus::protocol::xml {

// ---- writer ----------------------------------------------------------------------------

namespace {
void escape_into(std::string& out, std::string_view s, bool attribute) {
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': if (attribute) out += "&quot;"; else out += c; break;
      // Carriage returns and (in attributes) newlines would be normalised away by the
      // reader's parser; character references keep them (XML 1.0 section 2.11).
      case '\r': out += "&#xD;"; break;
      case '\n': if (attribute) out += "&#xA;"; else out += c; break;
      default: out += c;
    }
  }
}
}  // namespace

void XmlWriter::finish_tag() {
  if (tag_open_) {
    out_ += '>';
    tag_open_ = false;
  }
}

void XmlWriter::open(std::string_view name) {
  finish_tag();
  out_ += '<';
  out_ += name;
  stack_.emplace_back(name);
  tag_open_ = true;
}

void XmlWriter::attr(std::string_view name, std::string_view value) {
  out_ += ' ';
  out_ += name;
  out_ += "=\"";
  escape_into(out_, value, true);
  out_ += '"';
}

void XmlWriter::text(std::string_view text) {
  finish_tag();
  escape_into(out_, text, false);
}

void XmlWriter::close() {
  finish_tag();
  out_ += "</";
  out_ += stack_.back();
  out_ += '>';
  stack_.pop_back();
}

void XmlWriter::leaf(std::string_view name, std::string_view text) {
  open(name);
  this->text(text);
  close();
}

std::string XmlWriter::take() {
  while (!stack_.empty()) close();
  return std::move(out_);
}

void write_namespace(XmlWriter& w, const ShapeRef& ref) {
  const std::string* uri = &ref.xml_namespace_uri;
  const std::string* prefix = &ref.xml_namespace_prefix;
  if (uri->empty() && ref.shape) {
    uri = &ref.shape->xml_namespace_uri;
    prefix = &ref.shape->xml_namespace_prefix;
  }
  if (uri->empty()) return;
  w.attr(prefix->empty() ? "xmlns" : "xmlns:" + *prefix, *uri);
}

namespace {

void write_list(XmlWriter& w, const ShapeRef& ref, std::string_view name, const Array& items) {
  const Shape& s = *ref.shape;
  if (is_flattened(ref)) {
    for (const auto& item : items) write_value(w, s.member, name, item);
    return;
  }
  w.open(name);
  write_namespace(w, ref);
  std::string member = ref_name(s.member, "member");
  for (const auto& item : items) write_value(w, s.member, member, item);
  w.close();
}

void write_entry(XmlWriter& w, const Shape& s, std::string_view key, const Value& value) {
  write_value(w, s.key, ref_name(s.key, "key"), Value(boost::json::string(key)));
  write_value(w, s.value, ref_name(s.value, "value"), value);
}

void write_map(XmlWriter& w, const ShapeRef& ref, std::string_view name, const Document& map) {
  const Shape& s = *ref.shape;
  if (is_flattened(ref)) {
    for (const auto& kv : map) {
      w.open(name);
      write_namespace(w, ref);
      write_entry(w, s, kv.key(), kv.value());
      w.close();
    }
    return;
  }
  w.open(name);
  write_namespace(w, ref);
  for (const auto& kv : map) {
    w.open("entry");
    write_entry(w, s, kv.key(), kv.value());
    w.close();
  }
  w.close();
}

}  // namespace

void write_members(XmlWriter& w, const Shape& shape, const Document& doc) {
  for (const auto& m : shape.members) {
    if (!m.ref.xml_attribute) continue;
    auto it = doc.find(m.name);
    if (it == doc.end() || it->value().is_null()) continue;
    w.attr(ref_name(m.ref, m.name), format_scalar(m.ref, it->value(), "iso8601"));
  }
  for (const auto& m : shape.members) {
    if (m.ref.xml_attribute) continue;
    auto it = doc.find(m.name);
    if (it == doc.end() || it->value().is_null()) continue;
    write_value(w, m.ref, member_xml_name(m), it->value());
  }
}

void write_value(XmlWriter& w, const ShapeRef& ref, std::string_view name, const Value& v) {
  if (v.is_null() || !ref.shape) return;
  switch (ref.shape->type) {
    case ShapeType::Structure:
    case ShapeType::Union:
      w.open(name);
      write_namespace(w, ref);
      if (v.is_object()) write_members(w, *ref.shape, v.get_object());
      w.close();
      return;
    case ShapeType::List:
      if (v.is_array()) write_list(w, ref, name, v.get_array());
      return;
    case ShapeType::Map:
      if (v.is_object()) write_map(w, ref, name, v.get_object());
      return;
    default:
      w.open(name);
      write_namespace(w, ref);
      w.text(format_scalar(ref, v, "iso8601"));
      w.close();
  }
}

// ---- reader ----------------------------------------------------------------------------

namespace {

// Element names are compared without their namespace prefix ("baz:name" is "name").
std::string_view local_name(const char* n) {
  const char* colon = std::strchr(n, ':');
  return colon ? std::string_view(colon + 1) : std::string_view(n);
}

pugi::xml_node child_named(const pugi::xml_node& node, std::string_view name) {
  for (auto c : node.children())
    if (c.type() == pugi::node_element && local_name(c.name()) == name) return c;
  return {};
}

Value read_scalar(const ShapeRef& ref, const pugi::xml_node& node) {
  std::string text;
  for (auto c : node.children())
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) text += c.value();
  return parse_scalar(ref, text, "MalformedXML");
}

void read_entry(const Shape& s, const pugi::xml_node& entry, Document& out) {
  auto k = child_named(entry, ref_name(s.key, "key"));
  auto v = child_named(entry, ref_name(s.value, "value"));
  if (!k) return;
  std::string key = read_scalar(s.key, k).as_string().c_str();
  out[key] = v ? read_value(s.value, v) : Value(nullptr);
}

}  // namespace

Value read_value(const ShapeRef& ref, const pugi::xml_node& node) {
  const Shape& s = *ref.shape;
  switch (s.type) {
    case ShapeType::Structure:
    case ShapeType::Union:
      return read_structure(s, node);
    case ShapeType::List: {
      Array items;
      std::string member = ref_name(s.member, "member");
      for (auto c : node.children())
        if (c.type() == pugi::node_element && local_name(c.name()) == member)
          items.push_back(read_value(s.member, c));
      return items;
    }
    case ShapeType::Map: {
      Document map;
      for (auto c : node.children())
        if (c.type() == pugi::node_element && local_name(c.name()) == "entry")
          read_entry(s, c, map);
      return map;
    }
    default:
      return read_scalar(ref, node);
  }
}

Document read_structure(const Shape& shape, const pugi::xml_node& node) {
  Document doc;
  for (const auto& m : shape.members) {
    if (!m.ref.shape) continue;
    std::string name = member_xml_name(m);
    if (m.ref.xml_attribute) {
      for (auto a : node.attributes())
        if (local_name(a.name()) == name || name == a.name())
          doc[m.name] = parse_scalar(m.ref, a.value(), "MalformedXML");
      continue;
    }
    if (is_flattened(m.ref) && m.ref.shape->type == ShapeType::List) {
      // Clients name flattened items after the member (botocore's serializer, Smithy)
      // or, in older models, after the list's member; both are accepted.
      std::string own = ref_name(m.ref, m.name);
      Array items;
      for (auto c : node.children())
        if (c.type() == pugi::node_element &&
            (local_name(c.name()) == name || local_name(c.name()) == own))
          items.push_back(read_value(m.ref.shape->member, c));
      if (!items.empty()) doc[m.name] = std::move(items);
      continue;
    }
    if (is_flattened(m.ref) && m.ref.shape->type == ShapeType::Map) {
      Document map;
      for (auto c : node.children())
        if (c.type() == pugi::node_element && local_name(c.name()) == name)
          read_entry(*m.ref.shape, c, map);
      if (!map.empty()) doc[m.name] = std::move(map);
      continue;
    }
    if (auto c = child_named(node, name)) doc[m.name] = read_value(m.ref, c);
  }
  return doc;
}

Document read_xml_body(std::string_view body, const Shape& shape) {
  pugi::xml_document xml;
  auto ok = xml.load_buffer(body.data(), body.size(),
                            pugi::parse_default | pugi::parse_ws_pcdata_single);
  if (!ok)
    throw AwsError("MalformedXML",
                   "The XML you provided was not well-formed or did not validate against "
                   "our published schema",
                   400);
  auto root = xml.document_element();
  if (!root) return {};
  return read_structure(shape, root);
}

}  // namespace nimbus::protocol::xml
